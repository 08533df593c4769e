import ComplexModule
#if canImport(Glibc)
import Glibc
#endif
import RealModule

/// A Swift type that can be stored in a ``Tensor``: `Bool`, `Int32`, `Int64`, `Float`, `Double`,
/// `Complex<Float>` and `Complex<Double>`.
public protocol TensorElement: Sendable {
    /// The dtype that stores values of this type.
    static var dtype: DType { get }
    /// The value converted to `Double` (the real part for complex values; 1 or 0 for `Bool`).
    var doubleValue: Double { get }
    /// A value converted from `Double` (rounded toward zero for integers).
    init(fromDouble value: Double)
    static var zeroValue: Self { get }
}

/// The floating-point element types on which real elementwise math is defined.
public protocol RealElement: TensorElement, Real, BinaryFloatingPoint {
    /// C's `pow`: unlike `Real.pow`, defined for a negative base with an integer exponent.
    static func cPow(_ x: Self, _ y: Self) -> Self
}

extension Bool: TensorElement {
    public static var dtype: DType { .bool }
    public var doubleValue: Double { self ? 1 : 0 }
    public init(fromDouble value: Double) { self = value != 0 }
    public static var zeroValue: Bool { false }
}

extension Int32: TensorElement {
    public static var dtype: DType { .int32 }
    public var doubleValue: Double { Double(self) }
    public init(fromDouble value: Double) { self = Int32(value) }
    public static var zeroValue: Int32 { 0 }
}

extension Int64: TensorElement {
    public static var dtype: DType { .int64 }
    public var doubleValue: Double { Double(self) }
    public init(fromDouble value: Double) { self = Int64(value) }
    public static var zeroValue: Int64 { 0 }
}

extension Float: RealElement {
    public static func cPow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
    public static var dtype: DType { .float32 }
    public var doubleValue: Double { Double(self) }
    public init(fromDouble value: Double) { self = Float(value) }
    public static var zeroValue: Float { 0 }
}

extension Double: RealElement {
    public static func cPow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
    public static var dtype: DType { .float64 }
    public var doubleValue: Double { self }
    public init(fromDouble value: Double) { self = value }
    public static var zeroValue: Double { 0 }
}

extension Complex: TensorElement where RealType: RealElement {
    public static var dtype: DType { RealType.dtype == .float32 ? .complex64 : .complex128 }
    public var doubleValue: Double { storedReal.doubleValue }
    public init(fromDouble value: Double) { self.init(RealType(value), 0) }
    public static var zeroValue: Complex<RealType> { .zero }
}

extension Complex {
    /// The stored real part. (swift-numerics' `real` reads NaN whenever either part is not finite;
    /// a tensor keeps both parts as stored, as NumPy does: `real(nan + 2i)` is NaN, `imag` is 2.)
    @inlinable package var storedReal: RealType { rawStorage.x }
    /// The stored imaginary part (see ``storedReal``).
    @inlinable package var storedImaginary: RealType { rawStorage.y }
}

/// A complex value's stored parts, compared as IEEE numbers part by part (NumPy's `==`): unlike
/// swift-numerics' `Complex`, which treats every non-finite value as one point at infinity.
@usableFromInline package struct ComplexParts<RealType: Real & BinaryFloatingPoint>: Equatable {
    @usableFromInline package let real: RealType
    @usableFromInline package let imaginary: RealType
    @inlinable package init(_ z: Complex<RealType>) {
        real = z.rawStorage.x
        imaginary = z.rawStorage.y
    }
}
