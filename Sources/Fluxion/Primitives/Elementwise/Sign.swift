import ComplexModule

/// Piecewise constant (derivative zero). Elementwise sign: -1, 0 or 1 for real numbers (NaN stays NaN); `z / |z|` (0 at 0) for complex ones.
struct Sign: ElementwiseUnary, NonDifferentiable {
    var name: String { "sign" }
    static var domain: ElementDomain { .numeric }

    func evaluate(_ x: ArrayValue) -> ArrayValue {
        switch x.dtype {
        case .int32: Map.unary(x, .int32, Int32.self, Int32.self) { $0.signum() }
        case .int64: Map.unary(x, .int64, Int64.self, Int64.self) { $0.signum() }
        case .float32: Map.unary(x, .float32, Float.self, Float.self) { Sign.real($0) }
        case .float64: Map.unary(x, .float64, Double.self, Double.self) { Sign.real($0) }
        case .complex64: Map.unary(x, .complex64, Complex<Float>.self, Complex<Float>.self) { Sign.complex($0) }
        case .complex128: Map.unary(x, .complex128, Complex<Double>.self, Complex<Double>.self) { Sign.complex($0) }
        case .bool: shapeFailure(name, "does not accept dtype bool")
        }
    }

    @inline(__always) static func real<T: RealElement>(_ x: T) -> T { x > 0 ? 1 : x < 0 ? -1 : x }
    @inline(__always) static func complex<T: RealElement>(_ z: Complex<T>) -> Complex<T> {
        z == .zero ? .zero : z.divided(by: z.length)
    }
}
