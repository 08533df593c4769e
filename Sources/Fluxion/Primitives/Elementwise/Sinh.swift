import RealModule

/// Elementwise hyperbolic sine.
struct Sinh: AnalyticUnary, DifferentiableUnary {
    var name: String { "sinh" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.sinh(x) }
    func derivative(_ x: Tensor, _ y: Tensor) -> Tensor { cosh(x) }
}
