import RealModule

/// Elementwise inverse tangent.
struct Atan: AnalyticUnary, DifferentiableUnary {
    var name: String { "atan" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.atan(x) }
    func derivative(_ x: Tensor, _ y: Tensor) -> Tensor { 1 / (1 + x * x) }
    func taylorTerms(_ x: [Tensor?], _ y: Tensor) -> [Tensor?] {
        Taylor.integral(x, derivative: Taylor.reciprocal(Taylor.shiftedSquare(x, constant: 1, sigma: 1, order: x.count - 2)), value: y)
    }
}
