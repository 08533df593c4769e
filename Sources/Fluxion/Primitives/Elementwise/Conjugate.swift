import ComplexModule

/// The complex conjugate of a complex tensor.
struct Conjugate: ElementwiseUnary, LinearPrimitive {
    var name: String { "conj" }
    static var domain: ElementDomain { .complex }
    func evaluate(_ x: ArrayValue) -> ArrayValue {
        x.dtype == .complex128
            ? Map.unary(x, .complex128, Complex<Double>.self, Complex<Double>.self) { $0.conjugate }
            : Map.unary(x, .complex64, Complex<Float>.self, Complex<Float>.self) { $0.conjugate }
    }
    func transpose(_ cotangent: Tensor, _ primals: [Tensor]) -> [Tensor?] { [conj(cotangent)] }
}
