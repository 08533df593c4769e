import RealModule

/// Elementwise square root (the principal branch for complex numbers).
struct Sqrt: AnalyticUnary {
    var name: String { "sqrt" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.sqrt(x) }
}
