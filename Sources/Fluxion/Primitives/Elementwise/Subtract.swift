import RealModule

/// Elementwise subtraction.
struct Subtract: RingBinary, AdditiveBinary {
    var name: String { "sub" }
    static var float64VectorKernel: FusedLoop.BinaryKernel? { VectorMath.subtract }
    var rewriteRules: [RewriteRule] { [.identity(keep: 0, whenConstant: 1, equals: 0)] }
    static func apply<T: AlgebraicField>(_ a: T, _ b: T) -> T { a - b }
    static func wrapping<T: FixedWidthInteger>(_ a: T, _ b: T) -> T { a &- b }
    static var secondSign: Double { -1 }
}
