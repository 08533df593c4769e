import RealModule

/// Elementwise hyperbolic sine.
struct Sinh: AnalyticUnary, DifferentiableUnary {
    var name: String { "sinh" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.sinh(x) }
    func derivative(_ x: Tensor, _ y: Tensor) -> Tensor { cosh(x) }
    func taylorTerms(_ x: [Tensor?], _ y: Tensor) -> [Tensor?] { Taylor.sinCos(x, sin: y, cos: cosh(x[0]!), hyperbolic: true).0 }
}
