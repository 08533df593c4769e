import ComplexModule
import RealModule

/// The dtypes an elementwise primitive accepts.
struct ElementDomain: OptionSet, Hashable, Sendable {
    let rawValue: Int
    static let bool = ElementDomain(rawValue: 1)
    static let integer = ElementDomain(rawValue: 2)
    static let real = ElementDomain(rawValue: 4)
    static let complex = ElementDomain(rawValue: 8)
    static let inexact: ElementDomain = [.real, .complex]
    static let numeric: ElementDomain = [.integer, .real, .complex]
    static let all: ElementDomain = [.bool, .integer, .real, .complex]

    func accepts(_ dtype: DType) -> Bool {
        switch dtype {
        case .bool: contains(.bool)
        case .int32, .int64: contains(.integer)
        case .float32, .float64: contains(.real)
        case .complex64, .complex128: contains(.complex)
        }
    }
}

/// A primitive applied to each element of one tensor; the output has the input's shape.
protocol ElementwiseUnary: ElementwiseBatching {
    /// The dtypes accepted.
    static var domain: ElementDomain { get }
    /// The output dtype for an input dtype (the same by default).
    func outputDType(_ input: DType) -> DType
    func evaluate(_ x: ArrayValue) -> ArrayValue
}

extension ElementwiseUnary {
    func outputDType(_ input: DType) -> DType { input }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        guard inputs.count == 1 else { shapeFailure(name, "expects 1 operand, got \(inputs.count)") }
        guard Self.domain.accepts(inputs[0].dtype) else {
            shapeFailure(name, "does not accept dtype \(inputs[0].dtype)")
        }
        return [TensorType(shape: inputs[0].shape, dtype: outputDType(inputs[0].dtype))]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] { [evaluate(inputs[0])] }
    func evaluateSingle(_ inputs: [ArrayValue]) -> ArrayValue { evaluate(inputs[0]) }

    func checkEagerly(_ inputs: [ArrayValue]) {
        if inputs.count == 1, Self.domain.accepts(inputs[0].dtype) { return }
        _ = outputTypes(inputs.map { $0.type })
    }
}

/// An analytic function, defined for real and complex floating-point tensors by one generic formula
/// (`exp`, `log`, `sin`, `tanh`, …).
protocol AnalyticUnary: ElementwiseUnary {
    static func apply<T: ElementaryFunctions>(_ x: T) -> T
    /// A vectorized float64 kernel, when one exists (see ``VectorMath``).
    static var vectorKernel: VectorMath.Kernel? { get }
}

extension AnalyticUnary {
    static var domain: ElementDomain { .inexact }
    static var vectorKernel: VectorMath.Kernel? { nil }
    /// The float64 loop, eager and fused alike: the vectorized kernel, or the formula per element.
    static var float64Kernel: VectorMath.Kernel {
        vectorKernel ?? { x, y, n in for i in 0..<n { y[i] = apply(x[i]) } }
    }
    var fusedOperation: FusedLoop.Op? { .unary(name, Self.float64Kernel) }

    func evaluate(_ x: ArrayValue) -> ArrayValue {
        switch x.dtype {
        case .float64: return VectorMath.map(x, Self.float64Kernel)
        case .float32: return Map.unary(x, .float32, Float.self, Float.self) { Self.apply($0) }
        case .complex128:
            return Map.unary(x, .complex128, Complex<Double>.self, Complex<Double>.self) { Self.apply($0) }
        case .complex64:
            return Map.unary(x, .complex64, Complex<Float>.self, Complex<Float>.self) { Self.apply($0) }
        default: shapeFailure(name, "does not accept dtype \(x.dtype)")
        }
    }
}

/// A function of real floating-point tensors only (`erf`, `floor`, …).
protocol RealUnary: ElementwiseUnary {
    static func apply<T: RealElement>(_ x: T) -> T
}

extension RealUnary {
    static var domain: ElementDomain { .real }
    /// The float64 loop, eager and fused alike.
    static var float64Kernel: VectorMath.Kernel { { x, y, n in for i in 0..<n { y[i] = apply(x[i]) } } }
    var fusedOperation: FusedLoop.Op? { .unary(name, Self.float64Kernel) }

    func evaluate(_ x: ArrayValue) -> ArrayValue {
        switch x.dtype {
        case .float64: VectorMath.map(x, Self.float64Kernel)
        case .float32: Map.unary(x, .float32, Float.self, Float.self) { Self.apply($0) }
        default: shapeFailure(name, "does not accept dtype \(x.dtype)")
        }
    }
}

/// An elementwise function with a derivative `f'(x)`, given with the input and output at hand
/// (`tanh' = 1 - y²` reuses the output). Forward mode multiplies the tangent by it, reverse mode the
/// cotangent (for complex numbers without conjugation, as JAX: the reverse rule is the transpose,
/// not the adjoint, of the forward one).
protocol DifferentiableUnary: ElementwiseUnary {
    func derivative(_ x: Tensor, _ y: Tensor) -> Tensor
    /// Taylor mode: the terms of `y = f(x)` (value first; nil is zero) from the terms of `x`, by the
    /// function's coefficient recurrence (see `Recurrences.swift`), given the value `y`.
    func taylorTerms(_ x: [Tensor?], _ y: Tensor) -> [Tensor?]
}

extension DifferentiableUnary {
    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        [tangents[0].map { $0 * derivative(primals[0], outputs[0]) }]
    }
    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        [cotangents[0].map { $0 * derivative(primals[0], outputs[0]) }]
    }

    /// Taylor mode: the function's recurrence. At order 2 (Laplacians, PINN residuals), the
    /// derivatives `f′` and `f″/2` are found once from the unit series of the value, and
    /// `y₁ = f′ x₁`, `y₂ = f′ x₂ + (f″/2) x₁²`: fewer passes over the directions than the recurrence,
    /// and when the top order is collapsed, the square is averaged over the directions at once.
    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        guard let s = series[0] else { return [nil] }
        guard s.order == 2 else { return [TaylorSeries.from(terms: taylorTerms(s.terms(from: primals[0]), outputs[0]))] }
        let x = primals[0]
        let unit = taylorTerms([x, Tensor.ones(like: x), nil], outputs[0])
        let (x1, x2) = (s[1], s[2])
        var square = x1.map { $0 * $0 }
        if Taylor.collapsesTop, let sq = square, sq.shape[0] > 1 { square = sq.mean(alongAxes: [0], keepingDims: true) }
        return [TaylorSeries.from(terms: [outputs[0], Taylor.product(x1, unit[1]),
                                          Taylor.sum([Taylor.product(x2, unit[1]), Taylor.product(square, unit[2])])])]
    }
}
