import RealModule

/// Elementwise multiplication.
struct Multiply: RingBinary, DifferentiableBinary {
    var name: String { "mul" }
    static func apply<T: AlgebraicField>(_ a: T, _ b: T) -> T { a * b }
    static func wrapping<T: FixedWidthInteger>(_ a: T, _ b: T) -> T { a &* b }
    func partials(_ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) { (b, a) }
}
