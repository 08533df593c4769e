import ComplexModule

/// Elementwise negation (wrapping for integers, as NumPy).
struct Negate: ElementwiseUnary, LinearPrimitive {
    var name: String { "neg" }
    /// The float64 loop, eager and fused alike.
    static let float64Kernel: VectorMath.Kernel = { x, y, n in for i in 0..<n { y[i] = -x[i] } }
    var fusedOperation: FusedLoop.Op? { .unary(name, Self.float64Kernel) }
    static var domain: ElementDomain { .numeric }

    func evaluate(_ x: ArrayValue) -> ArrayValue {
        switch x.dtype {
        case .int32: Map.unary(x, .int32, Int32.self, Int32.self) { 0 &- $0 }
        case .int64: Map.unary(x, .int64, Int64.self, Int64.self) { 0 &- $0 }
        case .float32: Map.unary(x, .float32, Float.self, Float.self) { -$0 }
        case .float64: VectorMath.map(x, Self.float64Kernel)
        case .complex64: Map.unary(x, .complex64, Complex<Float>.self, Complex<Float>.self) { -$0 }
        case .complex128: Map.unary(x, .complex128, Complex<Double>.self, Complex<Double>.self) { -$0 }
        case .bool: shapeFailure(name, "does not accept dtype bool")
        }
    }

    func transpose(_ cotangent: Tensor, _ primals: [Tensor]) -> [Tensor?] { [-cotangent] }
}
