/// Elementwise mathematical functions. Integer and bool tensors are computed in float64, as NumPy.
///
/// ```swift
/// let y = tanh(x) * exp(-x * x)
/// ```

/// Converts to the dtype an inexact function computes in (integers to float64).
private func inexact(_ x: Tensor) -> Tensor { x.cast(to: x.dtype.inexact) }

public func exp(_ x: Tensor) -> Tensor { bind1(Exp(), inexact(x)) }
/// `exp(x) - 1`, accurate for small `x`.
public func expm1(_ x: Tensor) -> Tensor { bind1(ExpMinusOne(), inexact(x)) }
public func log(_ x: Tensor) -> Tensor { bind1(Log(), inexact(x)) }
/// `log(1 + x)`, accurate for small `x`.
public func log1p(_ x: Tensor) -> Tensor { bind1(LogOnePlus(), inexact(x)) }
public func sin(_ x: Tensor) -> Tensor { bind1(Sin(), inexact(x)) }
public func cos(_ x: Tensor) -> Tensor { bind1(Cos(), inexact(x)) }
public func tan(_ x: Tensor) -> Tensor { bind1(Tan(), inexact(x)) }
public func asin(_ x: Tensor) -> Tensor { bind1(Asin(), inexact(x)) }
public func acos(_ x: Tensor) -> Tensor { bind1(Acos(), inexact(x)) }
public func atan(_ x: Tensor) -> Tensor { bind1(Atan(), inexact(x)) }
public func sinh(_ x: Tensor) -> Tensor { bind1(Sinh(), inexact(x)) }
public func cosh(_ x: Tensor) -> Tensor { bind1(Cosh(), inexact(x)) }
public func tanh(_ x: Tensor) -> Tensor { bind1(Tanh(), inexact(x)) }
public func sqrt(_ x: Tensor) -> Tensor { bind1(Sqrt(), inexact(x)) }
/// `1 / sqrt(x)`.
public func rsqrt(_ x: Tensor) -> Tensor { 1 / sqrt(x) }

/// The error function, for real tensors.
public func erf(_ x: Tensor) -> Tensor { bind1(Erf(), realInexact(x, "erf")) }
public func floor(_ x: Tensor) -> Tensor { x.dtype.isInteger ? x : bind1(Floor(), realInexact(x, "floor")) }
public func ceil(_ x: Tensor) -> Tensor { x.dtype.isInteger ? x : bind1(Ceil(), realInexact(x, "ceil")) }
/// Rounds to the nearest integer, ties to even (as NumPy's `round`).
public func round(_ x: Tensor) -> Tensor { x.dtype.isInteger ? x : bind1(Round(), realInexact(x, "round")) }

private func realInexact(_ x: Tensor, _ name: String) -> Tensor {
    guard !x.dtype.isComplex else { shapeFailure(name, "does not accept dtype \(x.dtype)") }
    return inexact(x)
}

/// Absolute value; the modulus (a real tensor) for complex input.
public func abs(_ x: Tensor) -> Tensor { x.dtype == .bool ? x : bind1(Abs(), x) }
/// -1, 0 or 1 (for complex input, `z / |z|`).
public func sign(_ x: Tensor) -> Tensor { bind1(Sign(), x.dtype == .bool ? x.cast(to: .int32) : x) }

/// The real part (the tensor itself when it is real).
public func real(_ x: Tensor) -> Tensor { x.dtype.isComplex ? bind1(RealPart(), x) : x }
/// The imaginary part (zeros when the tensor is real).
public func imag(_ x: Tensor) -> Tensor { x.dtype.isComplex ? bind1(ImaginaryPart(), x) : x * 0 }
/// The complex conjugate (the tensor itself when it is real).
public func conj(_ x: Tensor) -> Tensor { x.dtype.isComplex ? bind1(Conjugate(), x) : x }

/// A complex tensor from its real and imaginary parts.
public func complex(_ re: Tensor, _ im: Tensor) -> Tensor {
    let (a, b) = promotedInexact(re, im)
    guard !a.dtype.isComplex else {
        shapeFailure("complex", "takes real parts, got \(re.dtype) and \(im.dtype)")
    }
    return bind1(ComplexFromParts(), a, b)
}

/// The logistic function `1 / (1 + exp(-x))`, written as `(1 + tanh(x/2)) / 2`: it never overflows,
/// and neither does its derivative.
public func sigmoid(_ x: Tensor) -> Tensor { 0.5 * tanh(0.5 * x) + 0.5 }

/// `log(1 + exp(x))`, computed as `max(x, 0) + log1p(exp(-|x|))` so that it neither overflows for
/// large `x` nor loses precision for very negative `x`.
public func softplus(_ x: Tensor) -> Tensor {
    let x = inexact(x)
    return maximum(x, 0) + log1p(exp(-abs(x)))
}
