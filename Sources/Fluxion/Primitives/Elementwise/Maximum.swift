/// Elementwise maximum; NaN in either operand gives NaN (as NumPy's `maximum`).
struct Maximum: OrderedBinary {
    var name: String { "max" }
    // `a != a` holds only for NaN: it propagates a NaN `a`; a NaN `b` fails `a >= b` and is chosen.
    static func apply<T: Comparable & Numeric>(_ a: T, _ b: T) -> T { a >= b || a != a ? a : b }
}
