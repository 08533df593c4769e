/// Elementwise minimum; NaN in either operand gives NaN (as NumPy's `minimum`).
struct Minimum: OrderedBinary, DifferentiableBinary {
    var name: String { "min" }
    static func apply<T: Comparable & Numeric>(_ a: T, _ b: T) -> T { a <= b || a != a ? a : b }
    /// The derivative flows to the smaller operand; at a tie it is split evenly between the two.
    func partials(_ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) {
        let wa = `where`(a .< b, 1, `where`(a .== b, 0.5, 0)).cast(to: y.dtype)
        return (wa, 1 - wa)
    }

    func taylorTerms(_ a: [Tensor?], _ b: [Tensor?], _ y: Tensor) -> [Tensor?] {
        weightedTerms(a, b, y, weight: partials(a[0]!, b[0]!, y).0)
    }
}
