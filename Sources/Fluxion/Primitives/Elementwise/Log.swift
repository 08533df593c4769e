import RealModule

/// Elementwise natural logarithm.
struct Log: AnalyticUnary, DifferentiableUnary {
    var name: String { "log" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.log(x) }
    func derivative(_ x: Tensor, _ y: Tensor) -> Tensor { 1 / x }
    func taylorTerms(_ x: [Tensor?], _ y: Tensor) -> [Tensor?] { Taylor.log(x, value: y) }
    static var vectorKernel: VectorMath.Kernel? { VectorMath.log }
}
