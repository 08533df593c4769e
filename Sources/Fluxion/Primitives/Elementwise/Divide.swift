import ComplexModule

/// Elementwise true division of floating-point tensors.
struct Divide: FieldBinary, DifferentiableBinary {
    var name: String { "div" }
    static var float64VectorKernel: FusedLoop.BinaryKernel? { VectorMath.divide }
    var rewriteRules: [RewriteRule] { [.identity(keep: 0, whenConstant: 1, equals: 1)] }
    static func apply<T: RealElement>(_ a: T, _ b: T) -> T { a / b }
    static func apply<T: RealElement>(_ a: Complex<T>, _ b: Complex<T>) -> Complex<T> { a / b }
    func partials(_ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) { (1 / b, -y / b) }

    func taylorTerms(_ a: [Tensor?], _ b: [Tensor?], _ y: Tensor) -> [Tensor?] { Taylor.divide(a, b, value: y) }
}
