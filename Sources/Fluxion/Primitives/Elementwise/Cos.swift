import RealModule

/// Elementwise cosine.
struct Cos: AnalyticUnary {
    var name: String { "cos" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.cos(x) }
}
