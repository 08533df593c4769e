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
}
