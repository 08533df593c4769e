import RealModule

/// Elementwise multiplication.
struct Multiply: RingBinary, DifferentiableBinary {
    var name: String { "mul" }
    static var float64VectorKernel: FusedLoop.BinaryKernel? { VectorMath.multiply }
    var rewriteRules: [RewriteRule] { [.identity(keep: 0, whenConstant: 1, equals: 1), .identity(keep: 1, whenConstant: 0, equals: 1)] }
    static func apply<T: AlgebraicField>(_ a: T, _ b: T) -> T { a * b }
    static func wrapping<T: FixedWidthInteger>(_ a: T, _ b: T) -> T { a &* b }
    func partials(_ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) { (b, a) }

    /// The Cauchy product: `y_k = Σ_{i=0..k} a_i b_{k−i}`.
    func taylorTerms(_ a: [Tensor?], _ b: [Tensor?], _ y: Tensor) -> [Tensor?] {
        [y] + (1..<a.count).map { Taylor.cauchy(a, b, $0) }
    }
}
