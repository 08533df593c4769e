import RealModule

/// Elementwise `exp(x) - 1`, accurate near zero.
struct ExpMinusOne: AnalyticUnary, DifferentiableUnary {
    var name: String { "expm1" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.expMinusOne(x) }
    func derivative(_ x: Tensor, _ y: Tensor) -> Tensor { y + 1 }
    func taylorTerms(_ x: [Tensor?], _ y: Tensor) -> [Tensor?] { Taylor.exp(x, value: y, offset: 1) }
    static var vectorKernel: VectorMath.Kernel? { VectorMath.expm1 }
}
