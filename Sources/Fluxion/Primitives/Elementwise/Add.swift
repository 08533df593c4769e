import RealModule

/// Elementwise addition.
struct Add: RingBinary, AdditiveBinary {
    var name: String { "add" }
    static func apply<T: AlgebraicField>(_ a: T, _ b: T) -> T { a + b }
    static func wrapping<T: FixedWidthInteger>(_ a: T, _ b: T) -> T { a &+ b }
    static var secondSign: Double { 1 }
}
