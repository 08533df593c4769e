import ComplexModule

/// Elementwise negation (wrapping for integers, as NumPy).
struct Negate: ElementwiseUnary, LinearPrimitive {
    var name: String { "neg" }
    var fusedOperation: FusedLoop.Op? { .neg }
    static var domain: ElementDomain { .numeric }

    func evaluate(_ x: ArrayValue) -> ArrayValue {
        switch x.dtype {
        case .int32: Map.unary(x, .int32, Int32.self, Int32.self) { 0 &- $0 }
        case .int64: Map.unary(x, .int64, Int64.self, Int64.self) { 0 &- $0 }
        case .float32: Map.unary(x, .float32, Float.self, Float.self) { -$0 }
        case .float64: Map.unary(x, .float64, Double.self, Double.self) { -$0 }
        case .complex64: Map.unary(x, .complex64, Complex<Float>.self, Complex<Float>.self) { -$0 }
        case .complex128: Map.unary(x, .complex128, Complex<Double>.self, Complex<Double>.self) { -$0 }
        case .bool: shapeFailure(name, "does not accept dtype bool")
        }
    }

    func transpose(_ cotangent: Tensor, _ primals: [Tensor]) -> [Tensor?] { [-cotangent] }
}
