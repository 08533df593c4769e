import RealModule

/// Elementwise cosine.
struct Cos: AnalyticUnary, DifferentiableUnary {
    var name: String { "cos" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.cos(x) }
    func derivative(_ x: Tensor, _ y: Tensor) -> Tensor { -sin(x) }
    func taylorTerms(_ x: [Tensor?], _ y: Tensor) -> [Tensor?] { Taylor.sinCos(x, sin: sin(x[0]!), cos: y).1 }
    static var vectorKernel: VectorMath.Kernel? { VectorMath.cos }
}
