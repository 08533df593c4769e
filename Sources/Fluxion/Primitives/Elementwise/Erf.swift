import RealModule

/// Elementwise error function.
struct Erf: RealUnary, DifferentiableUnary {
    var name: String { "erf" }
    static func apply<T: RealElement>(_ x: T) -> T { T.erf(x) }
    func derivative(_ x: Tensor, _ y: Tensor) -> Tensor { (2 / Double.pi.squareRoot()) * exp(-(x * x)) }
    func taylorTerms(_ x: [Tensor?], _ y: Tensor) -> [Tensor?] {
        Taylor.integral(x, derivative: Taylor.gaussian(x), value: y)
    }
}
