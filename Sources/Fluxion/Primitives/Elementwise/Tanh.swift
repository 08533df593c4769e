import RealModule

/// Elementwise hyperbolic tangent.
struct Tanh: AnalyticUnary {
    var name: String { "tanh" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.tanh(x) }
}
