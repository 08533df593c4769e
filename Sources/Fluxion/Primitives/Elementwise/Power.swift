import ComplexModule

/// Elementwise `a ** b`. For reals this is C's `pow` (so `(-2) ** 2 == 4`, and a negative base with a
/// non-integer exponent gives NaN, as NumPy); for complex numbers the principal branch.
struct Power: FieldBinary, DifferentiableBinary {
    var name: String { "pow" }
    static func apply<T: RealElement>(_ a: T, _ b: T) -> T {
        T.cPow(a, b)
    }
    static func apply<T: RealElement>(_ a: Complex<T>, _ b: Complex<T>) -> Complex<T> {
        if b == .zero { return .one }
        if a == .zero { return b.real > 0 ? .zero : Complex(T.nan, T.nan) }
        return Complex.pow(a, b)
    }
    /// `∂/∂a = b·a^(b-1)` (0 where b = 0, so `x^0` has derivative 0 even at x = 0) and
    /// `∂/∂b = log(a)·y` (0 where a = 0, as JAX: the limit along a > 0 when y → 0).
    func partials(_ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) {
        let da = `where`(b .== 0, Tensor.zeros(like: y), b * pow(a, b - 1))
        let safeA = `where`(a .== 0, Tensor.ones(like: a), a)
        return (da, `where`(a .== 0, Tensor.zeros(like: y), log(safeA) * y))
    }

    /// A constant exponent: the power recurrence. A varying one: `exp(b · log a)`.
    func taylorTerms(_ a: [Tensor?], _ b: [Tensor?], _ y: Tensor) -> [Tensor?] {
        if b.dropFirst().allSatisfy({ $0 == nil }) { return Taylor.power(a, exponent: b[0]!, value: y) }
        let l = Taylor.log(a, value: log(a[0]!))
        let m = (0..<a.count).map { Taylor.cauchy(b, l, $0) }
        return Taylor.exp(m, value: y)
    }
}
