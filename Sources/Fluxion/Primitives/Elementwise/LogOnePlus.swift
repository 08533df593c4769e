import RealModule

/// Elementwise `log(1 + x)`, accurate near zero.
struct LogOnePlus: AnalyticUnary, DifferentiableUnary {
    var name: String { "log1p" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.log(onePlus: x) }
    func derivative(_ x: Tensor, _ y: Tensor) -> Tensor { 1 / (1 + x) }
    func taylorTerms(_ x: [Tensor?], _ y: Tensor) -> [Tensor?] { Taylor.log([x[0]! + 1] + x.dropFirst(), value: y) }
    static var vectorKernel: VectorMath.Kernel? { VectorMath.log1p }
}
