import ComplexModule

/// The real part of a complex tensor.
struct RealPart: ElementwiseUnary {
    var name: String { "real" }
    static var domain: ElementDomain { .complex }
    func outputDType(_ input: DType) -> DType { input.realPart }
    func evaluate(_ x: ArrayValue) -> ArrayValue {
        x.dtype == .complex128
            ? Map.unary(x, .float64, Complex<Double>.self, Double.self) { $0.real }
            : Map.unary(x, .float32, Complex<Float>.self, Float.self) { $0.real }
    }
}

/// The imaginary part of a complex tensor.
struct ImaginaryPart: ElementwiseUnary {
    var name: String { "imag" }
    static var domain: ElementDomain { .complex }
    func outputDType(_ input: DType) -> DType { input.realPart }
    func evaluate(_ x: ArrayValue) -> ArrayValue {
        x.dtype == .complex128
            ? Map.unary(x, .float64, Complex<Double>.self, Double.self) { $0.imaginary }
            : Map.unary(x, .float32, Complex<Float>.self, Float.self) { $0.imaginary }
    }
}

/// The complex conjugate of a complex tensor.
struct Conjugate: ElementwiseUnary {
    var name: String { "conj" }
    static var domain: ElementDomain { .complex }
    func evaluate(_ x: ArrayValue) -> ArrayValue {
        x.dtype == .complex128
            ? Map.unary(x, .complex128, Complex<Double>.self, Complex<Double>.self) { $0.conjugate }
            : Map.unary(x, .complex64, Complex<Float>.self, Complex<Float>.self) { $0.conjugate }
    }
}
