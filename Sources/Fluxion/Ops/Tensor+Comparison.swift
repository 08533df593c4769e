/// Elementwise comparisons and logic, giving bool tensors. The dotted operators follow Swift's SIMD
/// convention (`==` stays the Swift equality of values).
///
/// ```swift
/// let mask = x .> 0 .& x .< 1
/// ```
extension Tensor {
    public static func .== (a: Tensor, b: Tensor) -> Tensor { let (x, y) = promoted(a, b); return bind1(Equal(), x, y) }
    public static func .!= (a: Tensor, b: Tensor) -> Tensor { let (x, y) = promoted(a, b); return bind1(NotEqual(), x, y) }
    public static func .< (a: Tensor, b: Tensor) -> Tensor { let (x, y) = orderable(a, b); return bind1(Less(), x, y) }
    public static func .<= (a: Tensor, b: Tensor) -> Tensor { let (x, y) = orderable(a, b); return bind1(LessEqual(), x, y) }
    public static func .> (a: Tensor, b: Tensor) -> Tensor { let (x, y) = orderable(a, b); return bind1(Greater(), x, y) }
    public static func .>= (a: Tensor, b: Tensor) -> Tensor { let (x, y) = orderable(a, b); return bind1(GreaterEqual(), x, y) }

    public static func .== (a: Tensor, b: Double) -> Tensor { a .== weakScalar(b, beside: a) }
    public static func .!= (a: Tensor, b: Double) -> Tensor { a .!= weakScalar(b, beside: a) }
    public static func .< (a: Tensor, b: Double) -> Tensor { a .< weakScalar(b, beside: a) }
    public static func .<= (a: Tensor, b: Double) -> Tensor { a .<= weakScalar(b, beside: a) }
    public static func .> (a: Tensor, b: Double) -> Tensor { a .> weakScalar(b, beside: a) }
    public static func .>= (a: Tensor, b: Double) -> Tensor { a .>= weakScalar(b, beside: a) }

    public static func .& (a: Tensor, b: Tensor) -> Tensor { bind1(LogicalAnd(), a.cast(to: .bool), b.cast(to: .bool)) }
    public static func .| (a: Tensor, b: Tensor) -> Tensor { bind1(LogicalOr(), a.cast(to: .bool), b.cast(to: .bool)) }
    public static func .^ (a: Tensor, b: Tensor) -> Tensor { bind1(LogicalXor(), a.cast(to: .bool), b.cast(to: .bool)) }
    public static prefix func .! (a: Tensor) -> Tensor { bind1(LogicalNot(), a.cast(to: .bool)) }
}

/// Promotes for an order comparison: bool compares as int32; complex numbers are not ordered.
private func orderable(_ a: Tensor, _ b: Tensor) -> (Tensor, Tensor) {
    let (x, y) = promoted(a, b)
    if x.dtype == .bool { return (x.cast(to: .int32), y.cast(to: .int32)) }
    return (x, y)
}

/// Which elements are NaN (false for integer tensors).
public func isnan(_ x: Tensor) -> Tensor {
    x.dtype.isInexact ? bind1(IsNaN(), x) : Tensor.full(x.shape, 0, dtype: .bool)
}

/// Which elements are finite (true for integer tensors).
public func isfinite(_ x: Tensor) -> Tensor {
    x.dtype.isInexact ? bind1(IsFinite(), x) : Tensor.full(x.shape, 1, dtype: .bool)
}
