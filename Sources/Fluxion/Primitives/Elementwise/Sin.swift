import RealModule

/// Elementwise sine.
struct Sin: AnalyticUnary, DifferentiableUnary {
    var name: String { "sin" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.sin(x) }
    func derivative(_ x: Tensor, _ y: Tensor) -> Tensor { cos(x) }
    func taylorTerms(_ x: [Tensor?], _ y: Tensor) -> [Tensor?] { Taylor.sinCos(x, sin: y, cos: cos(x[0]!)).0 }
    static var vectorKernel: VectorMath.Kernel? { VectorMath.sin }
}
