/// Arithmetic operators with NumPy broadcasting and dtype promotion (see ``DType``).
///
/// ```swift
/// let x = Tensor([1.0, 2.0, 3.0])
/// let y = 2 * x + 1          // [3, 5, 7]
/// let z = x / Tensor([Int32(2)]) // float64: integers promote to float for true division
/// ```
extension Tensor {
    /// The tensor converted to `dtype` (no copy when it already has that dtype).
    public func cast(to dtype: DType) -> Tensor {
        self.dtype == dtype ? self : bind1(ConvertElementType(dtype: dtype), self)
    }

    /// A rank-0 tensor of the given dtype holding `value`, for mixing Swift scalars into tensor math.
    static func constant(_ value: Double, dtype: DType) -> Tensor { full([], value, dtype: dtype) }
}

/// Casts both operands to their promoted dtype.
func promoted(_ a: Tensor, _ b: Tensor) -> (Tensor, Tensor) {
    let d = DType.promote(a.dtype, b.dtype)
    return (a.cast(to: d), b.cast(to: d))
}

/// Promotes both operands to a common inexact dtype (integers become float64).
func promotedInexact(_ a: Tensor, _ b: Tensor) -> (Tensor, Tensor) {
    let d = DType.promote(a.dtype, b.dtype).inexact
    return (a.cast(to: d), b.cast(to: d))
}

/// The scalar as a tensor of the dtype it takes next to `x` under weak typing.
func weakScalar(_ value: Double, beside x: Tensor) -> Tensor {
    Tensor.constant(value, dtype: DType.promoteWithFloatScalar(x.dtype))
}

func weakScalar(_ value: Int, beside x: Tensor) -> Tensor {
    Tensor.constant(Double(value), dtype: DType.promoteWithIntScalar(x.dtype))
}

extension Tensor {
    // Each operator first tries the primitive's direct eager evaluation (concrete operands of one
    // dtype, see ``ElementwiseBinary/eagerly(_:_:)``), then promotes and binds.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        if let r = Add().eagerly(a, b) { return r }
        let (x, y) = promoted(a, b); return bind1(Add(), x, y)
    }
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        if let r = Subtract().eagerly(a, b) { return r }
        let (x, y) = promoted(a, b); return bind1(Subtract(), x, y)
    }
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        if let r = Multiply().eagerly(a, b) { return r }
        let (x, y) = promoted(a, b); return bind1(Multiply(), x, y)
    }
    /// True division: integer operands give float64, as NumPy.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        if let r = Divide().eagerly(a, b) { return r }
        let (x, y) = promotedInexact(a, b)
        return bind1(Divide(), x, y)
    }
    public static prefix func - (a: Tensor) -> Tensor { bind1(Negate(), a) }

    public static func + (a: Tensor, b: Double) -> Tensor { Add().eagerly(a, scalar: b, scalarFirst: false) ?? a + weakScalar(b, beside: a) }
    public static func + (a: Double, b: Tensor) -> Tensor { Add().eagerly(b, scalar: a, scalarFirst: true) ?? weakScalar(a, beside: b) + b }
    public static func - (a: Tensor, b: Double) -> Tensor { Subtract().eagerly(a, scalar: b, scalarFirst: false) ?? a - weakScalar(b, beside: a) }
    public static func - (a: Double, b: Tensor) -> Tensor { Subtract().eagerly(b, scalar: a, scalarFirst: true) ?? weakScalar(a, beside: b) - b }
    public static func * (a: Tensor, b: Double) -> Tensor { Multiply().eagerly(a, scalar: b, scalarFirst: false) ?? a * weakScalar(b, beside: a) }
    public static func * (a: Double, b: Tensor) -> Tensor { Multiply().eagerly(b, scalar: a, scalarFirst: true) ?? weakScalar(a, beside: b) * b }
    public static func / (a: Tensor, b: Double) -> Tensor { Divide().eagerly(a, scalar: b, scalarFirst: false) ?? a / weakScalar(b, beside: a) }
    public static func / (a: Double, b: Tensor) -> Tensor { Divide().eagerly(b, scalar: a, scalarFirst: true) ?? weakScalar(a, beside: b) / b }

    public static func + (a: Tensor, b: Int) -> Tensor { a + weakScalar(b, beside: a) }
    public static func + (a: Int, b: Tensor) -> Tensor { weakScalar(a, beside: b) + b }
    public static func - (a: Tensor, b: Int) -> Tensor { a - weakScalar(b, beside: a) }
    public static func - (a: Int, b: Tensor) -> Tensor { weakScalar(a, beside: b) - b }
    public static func * (a: Tensor, b: Int) -> Tensor { a * weakScalar(b, beside: a) }
    public static func * (a: Int, b: Tensor) -> Tensor { weakScalar(a, beside: b) * b }
    public static func / (a: Tensor, b: Int) -> Tensor { a / weakScalar(b, beside: a) }
    public static func / (a: Int, b: Tensor) -> Tensor { weakScalar(a, beside: b) / b }

    public static func += (a: inout Tensor, b: Tensor) { a = a + b }
    public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
    public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
    public static func /= (a: inout Tensor, b: Tensor) { a = a / b }
    public static func += (a: inout Tensor, b: Double) { a = a + b }
    public static func -= (a: inout Tensor, b: Double) { a = a - b }
    public static func *= (a: inout Tensor, b: Double) { a = a * b }
    public static func /= (a: inout Tensor, b: Double) { a = a / b }
}

/// `a ** b` elementwise (`pow(-2.0, 2.0) == 4`; a negative base with a fractional exponent gives NaN).
public func pow(_ a: Tensor, _ b: Tensor) -> Tensor {
    let (x, y) = promotedInexact(a, b)
    return bind1(Power(), x, y)
}
public func pow(_ a: Tensor, _ b: Double) -> Tensor {
    // Small integer powers are products: exact, cheaper than C's pow, and differentiable at 0.
    switch b {
    case 1: return a.cast(to: a.dtype.inexact)
    case 2: return a.cast(to: a.dtype.inexact) * a.cast(to: a.dtype.inexact)
    default: return pow(a, weakScalar(b, beside: a))
    }
}
public func pow(_ a: Double, _ b: Tensor) -> Tensor { pow(weakScalar(a, beside: b), b) }

/// The angle of the point `(x, y)` elementwise, in (-π, π].
public func atan2(_ y: Tensor, _ x: Tensor) -> Tensor {
    let (a, b) = promotedInexact(y, x)
    return bind1(Atan2(), a, b)
}

/// Elementwise maximum (NaN propagates).
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { let (x, y) = promoted(a, b); return bind1(Maximum(), x, y) }
/// Elementwise minimum (NaN propagates).
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { let (x, y) = promoted(a, b); return bind1(Minimum(), x, y) }
public func maximum(_ a: Tensor, _ b: Double) -> Tensor { maximum(a, weakScalar(b, beside: a)) }
public func minimum(_ a: Tensor, _ b: Double) -> Tensor { minimum(a, weakScalar(b, beside: a)) }

/// Limits every element to `[low, high]`.
public func clip(_ x: Tensor, min low: Double, max high: Double) -> Tensor {
    minimum(maximum(x, low), high)
}

/// Elementwise choice: `a` where `condition` is true, `b` elsewhere (broadcast together).
public func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    let (x, y) = promoted(a, b)
    return bind(Select(), [condition.cast(to: .bool), x, y])[0]
}
public func `where`(_ condition: Tensor, _ a: Tensor, _ b: Double) -> Tensor { `where`(condition, a, weakScalar(b, beside: a)) }
public func `where`(_ condition: Tensor, _ a: Double, _ b: Tensor) -> Tensor { `where`(condition, weakScalar(a, beside: b), b) }
public func `where`(_ condition: Tensor, _ a: Double, _ b: Double) -> Tensor {
    `where`(condition, Tensor(a), Tensor(b))
}
