import RealModule

/// Elementwise tangent.
struct Tan: AnalyticUnary, DifferentiableUnary {
    var name: String { "tan" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.tan(x) }
    func derivative(_ x: Tensor, _ y: Tensor) -> Tensor { 1 + y * y }
    func taylorTerms(_ x: [Tensor?], _ y: Tensor) -> [Tensor?] { Taylor.quadraticODE(x, value: y, sigma: 1) }
}
