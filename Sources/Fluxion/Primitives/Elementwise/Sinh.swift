import RealModule

/// Elementwise hyperbolic sine.
struct Sinh: AnalyticUnary {
    var name: String { "sinh" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.sinh(x) }
}
