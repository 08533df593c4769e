import ComplexModule

/// Which elements are finite (for complex numbers: both parts).
struct IsFinite: ElementwiseUnary, NonDifferentiable {
    var name: String { "isfinite" }
    static var domain: ElementDomain { .inexact }
    func outputDType(_ input: DType) -> DType { .bool }
    func evaluate(_ x: ArrayValue) -> ArrayValue {
        switch x.dtype {
        case .float32: Map.unary(x, .bool, Float.self, Bool.self) { $0.isFinite }
        case .float64: Map.unary(x, .bool, Double.self, Bool.self) { $0.isFinite }
        case .complex64: Map.unary(x, .bool, Complex<Float>.self, Bool.self) { $0.isFinite }
        default: Map.unary(x, .bool, Complex<Double>.self, Bool.self) { $0.isFinite }
        }
    }
}
