import RealModule

/// Elementwise multiplication.
struct Multiply: RingBinary {
    var name: String { "mul" }
    static func apply<T: AlgebraicField>(_ a: T, _ b: T) -> T { a * b }
    static func wrapping<T: FixedWidthInteger>(_ a: T, _ b: T) -> T { a &* b }
}
