import ComplexModule

/// The real part of a complex tensor.
struct RealPart: ElementwiseUnary, LinearPrimitive {
    var name: String { "real" }
    static var domain: ElementDomain { .complex }
    func outputDType(_ input: DType) -> DType { input.realPart }
    func evaluate(_ x: ArrayValue) -> ArrayValue {
        x.dtype == .complex128
            ? Map.unary(x, .float64, Complex<Double>.self, Double.self) { $0.storedReal }
            : Map.unary(x, .float32, Complex<Float>.self, Float.self) { $0.storedReal }
    }
    // Transposes over the reals (JAX's convention): Re is transposed by embedding, t -> t + 0i.
    func transpose(_ cotangent: Tensor, _ primals: [Tensor]) -> [Tensor?] { [complex(cotangent, cotangent * 0)] }
}
