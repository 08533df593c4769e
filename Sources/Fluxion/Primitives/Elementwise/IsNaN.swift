import ComplexModule

/// Which elements are NaN (for complex numbers: either part).
struct IsNaN: ElementwiseUnary, NonDifferentiable {
    var name: String { "isnan" }
    static var domain: ElementDomain { .inexact }
    func outputDType(_ input: DType) -> DType { .bool }
    func evaluate(_ x: ArrayValue) -> ArrayValue {
        switch x.dtype {
        case .float32: Map.unary(x, .bool, Float.self, Bool.self) { $0.isNaN }
        case .float64: Map.unary(x, .bool, Double.self, Bool.self) { $0.isNaN }
        case .complex64: Map.unary(x, .bool, Complex<Float>.self, Bool.self) { $0.storedReal.isNaN || $0.storedImaginary.isNaN }
        default: Map.unary(x, .bool, Complex<Double>.self, Bool.self) { $0.storedReal.isNaN || $0.storedImaginary.isNaN }
        }
    }
}
