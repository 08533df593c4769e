import RealModule

/// Elementwise exponential.
struct Exp: AnalyticUnary, DifferentiableUnary {
    var name: String { "exp" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.exp(x) }
    func derivative(_ x: Tensor, _ y: Tensor) -> Tensor { y }
    func taylorTerms(_ x: [Tensor?], _ y: Tensor) -> [Tensor?] { Taylor.exp(x, value: y) }
    static var vectorKernel: VectorMath.Kernel? { VectorMath.exp }
}
