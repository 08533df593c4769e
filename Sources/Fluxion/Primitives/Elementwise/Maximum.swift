/// Elementwise maximum; NaN in either operand gives NaN (as NumPy's `maximum`).
struct Maximum: OrderedBinary, DifferentiableBinary {
    var name: String { "max" }
    // `a != a` holds only for NaN: it propagates a NaN `a`; a NaN `b` fails `a >= b` and is chosen.
    static func apply<T: Comparable & Numeric>(_ a: T, _ b: T) -> T { a >= b || a != a ? a : b }
    /// The derivative flows to the larger operand; at a tie it is split evenly between the two.
    func partials(_ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) {
        let wa = `where`(a .> b, 1, `where`(a .== b, 0.5, 0)).cast(to: y.dtype)
        return (wa, 1 - wa)
    }

    func taylorTerms(_ a: [Tensor?], _ b: [Tensor?], _ y: Tensor) -> [Tensor?] {
        weightedTerms(a, b, y, weight: partials(a[0]!, b[0]!, y).0)
    }
}
