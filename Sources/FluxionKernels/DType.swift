/// The element type of a ``Tensor``, chosen at run time.
///
/// Fluxion has one `Tensor` type; its dtype is a value, not a generic parameter.
///
/// ## Promotion
/// Binary operations promote their operands as NumPy does (NEP 50):
/// - `bool` < `int32` < `int64` among integers; any integer with a float gives a float wide enough to
///   hold it: `int32` or `int64` with `float32` gives `float64` (a `float32` cannot hold every
///   `int32` exactly); `float32` with `float64` gives `float64`.
/// - A complex operand gives a complex result with the wider of the two real precisions:
///   `complex64` with `float64` gives `complex128`.
/// - Swift scalars are *weak*: `x + 2.0` keeps `x.dtype` when `x` is a float or complex tensor, and
///   gives `float64` when `x` is an integer or bool tensor; `x + 2` keeps `x.dtype` unless `x` is bool.
public enum DType: String, Sendable, CaseIterable, CustomStringConvertible {
    case bool, int32, int64, float32, float64, complex64, complex128

    /// The size of one element in bytes.
    public var byteSize: Int {
        switch self {
        case .bool: 1
        case .int32, .float32: 4
        case .int64, .float64, .complex64: 8
        case .complex128: 16
        }
    }

    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }
    public var isComplex: Bool { self == .complex64 || self == .complex128 }
    public var isInteger: Bool { self == .int32 || self == .int64 }
    /// Float or complex: the dtypes that can carry derivatives.
    public var isInexact: Bool { isFloatingPoint || isComplex }

    /// The real dtype of the same precision (`complex64` -> `float32`); self for real dtypes.
    public var realPart: DType {
        switch self {
        case .complex64: .float32
        case .complex128: .float64
        default: self
        }
    }

    /// The complex dtype of the same precision (`float32` -> `complex64`; integers -> `complex128`).
    public var complexCounterpart: DType {
        switch self {
        case .float32, .complex64: .complex64
        default: .complex128
        }
    }

    /// The inexact dtype that an operation such as `sqrt` computes in: integers and bool go to `float64`.
    public var inexact: DType { isInexact ? self : .float64 }

    public var description: String { rawValue }

    // Rank within a kind, used by promotion.
    private var kindRank: Int { isComplex ? 3 : isFloatingPoint ? 2 : isInteger ? 1 : 0 }
    private var precisionBits: Int {
        switch self {
        case .bool: 1
        case .int32: 32
        case .int64: 64
        case .float32, .complex64: 32
        case .float64, .complex128: 64
        }
    }

    /// The dtype two tensors of dtypes `a` and `b` promote to (see the type's documentation).
    public static func promote(_ a: DType, _ b: DType) -> DType {
        if a == b { return a }
        let (lo, hi) = a.kindRank <= b.kindRank ? (a, b) : (b, a)
        if lo.kindRank == hi.kindRank {
            return lo.precisionBits >= hi.precisionBits ? lo : hi
        }
        switch (lo.kindRank, hi.kindRank) {
        case (0, _): return hi
        case (1, 2): return .float64   // int32/int64 with float32 or float64 -> float64
        case (1, 3): return .complex128
        case (2, 3): return lo == .float64 ? .complex128 : hi
        default: return hi
        }
    }

    /// The dtype of `tensor ∘ scalar` where the scalar is a Swift floating-point literal (weak typing).
    package static func promoteWithFloatScalar(_ a: DType) -> DType { a.isInexact ? a : .float64 }
    /// The dtype of `tensor ∘ scalar` where the scalar is a Swift integer literal (weak typing).
    package static func promoteWithIntScalar(_ a: DType) -> DType { a == .bool ? .int64 : a }
}
