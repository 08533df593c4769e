import ComplexModule

/// Elementwise absolute value; the modulus `|z|` (a real tensor) for complex input.
struct Abs: ElementwiseUnary {
    var name: String { "abs" }
    static var domain: ElementDomain { .numeric }
    func outputDType(_ input: DType) -> DType { input.realPart }

    func evaluate(_ x: ArrayValue) -> ArrayValue {
        switch x.dtype {
        case .int32: Map.unary(x, .int32, Int32.self, Int32.self) { $0 < 0 ? 0 &- $0 : $0 }
        case .int64: Map.unary(x, .int64, Int64.self, Int64.self) { $0 < 0 ? 0 &- $0 : $0 }
        case .float32: Map.unary(x, .float32, Float.self, Float.self) { Swift.abs($0) }
        case .float64: Map.unary(x, .float64, Double.self, Double.self) { Swift.abs($0) }
        // `length` scales to avoid overflow and underflow, like hypot.
        case .complex64: Map.unary(x, .float32, Complex<Float>.self, Float.self) { $0.length }
        case .complex128: Map.unary(x, .float64, Complex<Double>.self, Double.self) { $0.length }
        case .bool: shapeFailure(name, "does not accept dtype bool")
        }
    }
}
