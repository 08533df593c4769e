import RealModule

/// Elementwise hyperbolic tangent.
struct Tanh: AnalyticUnary, DifferentiableUnary {
    var name: String { "tanh" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.tanh(x) }
    func derivative(_ x: Tensor, _ y: Tensor) -> Tensor { 1 - y * y }
    func taylorTerms(_ x: [Tensor?], _ y: Tensor) -> [Tensor?] { Taylor.quadraticODE(x, value: y, sigma: -1) }
    static var vectorKernel: VectorMath.Kernel? { VectorMath.tanh }
}
