import ComplexModule

/// The imaginary part of a complex tensor.
struct ImaginaryPart: ElementwiseUnary, LinearPrimitive {
    var name: String { "imag" }
    static var domain: ElementDomain { .complex }
    func outputDType(_ input: DType) -> DType { input.realPart }
    func evaluate(_ x: ArrayValue) -> ArrayValue {
        x.dtype == .complex128
            ? Map.unary(x, .float64, Complex<Double>.self, Double.self) { $0.storedImaginary }
            : Map.unary(x, .float32, Complex<Float>.self, Float.self) { $0.storedImaginary }
    }
    // Im is transposed by t -> 0 - ti.
    func transpose(_ cotangent: Tensor, _ primals: [Tensor]) -> [Tensor?] { [complex(cotangent * 0, -cotangent)] }
}
