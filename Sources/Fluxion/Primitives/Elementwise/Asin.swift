import RealModule

/// Elementwise inverse sine.
struct Asin: AnalyticUnary, DifferentiableUnary {
    var name: String { "asin" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.asin(x) }
    func derivative(_ x: Tensor, _ y: Tensor) -> Tensor { rsqrt(1 - x * x) }
    func taylorTerms(_ x: [Tensor?], _ y: Tensor) -> [Tensor?] {
        Taylor.integral(x, derivative: Taylor.inverseSquareRootOfOneMinusSquare(x), value: y)
    }
}
