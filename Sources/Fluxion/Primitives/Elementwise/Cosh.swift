import RealModule

/// Elementwise hyperbolic cosine.
struct Cosh: AnalyticUnary {
    var name: String { "cosh" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.cosh(x) }
}
