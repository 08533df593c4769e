import RealModule

/// Elementwise hyperbolic cosine.
struct Cosh: AnalyticUnary, DifferentiableUnary {
    var name: String { "cosh" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.cosh(x) }
    func derivative(_ x: Tensor, _ y: Tensor) -> Tensor { sinh(x) }
    func taylorTerms(_ x: [Tensor?], _ y: Tensor) -> [Tensor?] { Taylor.sinCos(x, sin: sinh(x[0]!), cos: y, hyperbolic: true).1 }
}
