import RealModule

/// Elementwise inverse tangent.
struct Atan: AnalyticUnary, DifferentiableUnary {
    var name: String { "atan" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.atan(x) }
    func derivative(_ x: Tensor, _ y: Tensor) -> Tensor { 1 / (1 + x * x) }
}
