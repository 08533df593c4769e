import RealModule

/// Elementwise cosine.
struct Cos: AnalyticUnary, DifferentiableUnary {
    var name: String { "cos" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.cos(x) }
    func derivative(_ x: Tensor, _ y: Tensor) -> Tensor { -sin(x) }
    static var vectorKernel: VectorMath.Kernel? { VectorMath.cos }
}
