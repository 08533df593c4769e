import RealModule

/// Elementwise `atan2(y, x)`: the angle of the point (x, y), in (-π, π].
struct Atan2: ElementwiseBinary, DifferentiableBinary {
    var name: String { "atan2" }
    static var domain: ElementDomain { .real }
    func evaluate(_ a: ArrayValue, _ b: ArrayValue, shape: [Int]) -> ArrayValue {
        a.dtype == .float64
            ? Map.binary(a, b, shape, .float64, Double.self, Double.self, Double.self) { .atan2(y: $0, x: $1) }
            : Map.binary(a, b, shape, .float32, Float.self, Float.self, Float.self) { .atan2(y: $0, x: $1) }
    }
    func partials(_ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) {
        let r2 = a * a + b * b
        return (b / r2, -a / r2)
    }

    /// `y' = (b a' − a b') / (a² + b²)`: the two weights' terms to order K−1, then integrated.
    func taylorTerms(_ a: [Tensor?], _ b: [Tensor?], _ y: Tensor) -> [Tensor?] {
        let order = a.count - 1
        let q = (0..<order).map { k in Taylor.sum([Taylor.cauchy(a, a, k), Taylor.cauchy(b, b, k)]) }
        let ha = Taylor.divide(Taylor.truncated(b, order - 1), q, value: b[0]! / q[0]!)
        let hb = Taylor.divide(Taylor.truncated(a, order - 1), q, value: a[0]! / q[0]!).map { $0.map { -$0 } }
        return [y] + (stride(from: 1, through: order, by: 1)).map { k in
            Taylor.sum([Taylor.integrate(a, ha, k), Taylor.integrate(b, hb, k)])
        }
    }
}
