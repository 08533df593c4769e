/// Elementwise minimum; NaN in either operand gives NaN (as NumPy's `minimum`).
struct Minimum: OrderedBinary {
    var name: String { "min" }
    static func apply<T: Comparable & Numeric>(_ a: T, _ b: T) -> T { a <= b || a != a ? a : b }
}
