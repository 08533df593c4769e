import RealModule

/// Elementwise square root (the principal branch for complex numbers).
struct Sqrt: AnalyticUnary, DifferentiableUnary {
    var name: String { "sqrt" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.sqrt(x) }
    static var vectorKernel: VectorMath.Kernel? { VectorMath.sqrt }
    func derivative(_ x: Tensor, _ y: Tensor) -> Tensor { 0.5 / y }
    func taylorTerms(_ x: [Tensor?], _ y: Tensor) -> [Tensor?] { Taylor.sqrt(x, value: y) }
}
