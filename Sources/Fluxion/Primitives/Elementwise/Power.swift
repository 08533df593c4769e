import ComplexModule

/// Elementwise `a ** b`. For reals this is C's `pow` (so `(-2) ** 2 == 4`, and a negative base with a
/// non-integer exponent gives NaN, as NumPy); for complex numbers the principal branch.
struct Power: FieldBinary {
    var name: String { "pow" }
    static func apply<T: RealElement>(_ a: T, _ b: T) -> T {
        T.cPow(a, b)
    }
    static func apply<T: RealElement>(_ a: Complex<T>, _ b: Complex<T>) -> Complex<T> {
        if b == .zero { return .one }
        if a == .zero { return b.real > 0 ? .zero : Complex(T.nan, T.nan) }
        return Complex.pow(a, b)
    }
}
