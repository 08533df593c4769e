import RealModule

/// Elementwise inverse cosine.
struct Acos: AnalyticUnary, DifferentiableUnary {
    var name: String { "acos" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.acos(x) }
    func derivative(_ x: Tensor, _ y: Tensor) -> Tensor { -rsqrt(1 - x * x) }
    func taylorTerms(_ x: [Tensor?], _ y: Tensor) -> [Tensor?] {
        Taylor.integral(x, derivative: Taylor.inverseSquareRootOfOneMinusSquare(x).map { $0.map { -$0 } }, value: y)
    }
}
