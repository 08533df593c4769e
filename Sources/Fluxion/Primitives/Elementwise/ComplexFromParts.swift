import ComplexModule

/// A complex tensor from real and imaginary parts of one real dtype (broadcast together). Each part
/// is stored as given: `complex(1, inf)` is `1 + inf·i`, which `re + im·i` would turn into
/// `nan + inf·i` (`inf · 0` in the real part).
struct ComplexFromParts: ElementwiseBinary, LinearPrimitive {
    var name: String { "complex" }
    static var domain: ElementDomain { .real }
    func outputDType(_ input: DType) -> DType { input.complexCounterpart }

    func evaluate(_ a: ArrayValue, _ b: ArrayValue, shape: [Int]) -> ArrayValue {
        a.dtype == .float64
            ? Map.binary(a, b, shape, .complex128, Double.self, Double.self, Complex<Double>.self) { Complex($0, $1) }
            : Map.binary(a, b, shape, .complex64, Float.self, Float.self, Complex<Float>.self) { Complex($0, $1) }
    }

    /// Transposed over the reals (JAX's convention): the real part goes to `re`, minus the imaginary
    /// part to `im`; each summed back to its operand's shape.
    func transpose(_ cotangent: Tensor, _ primals: [Tensor]) -> [Tensor?] {
        [unbroadcast(real(cotangent), to: primals[0].shape), unbroadcast(-imag(cotangent), to: primals[1].shape)]
    }
}
