import ComplexModule

/// Elementwise absolute value; the modulus `|z|` (a real tensor) for complex input.
struct Abs: ElementwiseUnary, DifferentiableUnary {
    var name: String { "abs" }
    /// The float64 loop, eager and fused alike.
    static let float64Kernel: VectorMath.Kernel = { x, y, n in for i in 0..<n { y[i] = Swift.abs(x[i]) } }
    var fusedOperation: FusedLoop.Op? { .unary(name, Self.float64Kernel) }
    static var domain: ElementDomain { .numeric }
    func outputDType(_ input: DType) -> DType { input.realPart }

    func evaluate(_ x: ArrayValue) -> ArrayValue {
        switch x.dtype {
        case .int32: Map.unary(x, .int32, Int32.self, Int32.self) { $0 < 0 ? 0 &- $0 : $0 }
        case .int64: Map.unary(x, .int64, Int64.self, Int64.self) { $0 < 0 ? 0 &- $0 : $0 }
        case .float32: Map.unary(x, .float32, Float.self, Float.self) { Swift.abs($0) }
        case .float64: VectorMath.map(x, Self.float64Kernel)
        // `length` scales to avoid overflow and underflow, like hypot.
        case .complex64: Map.unary(x, .float32, Complex<Float>.self, Float.self) { $0.length }
        case .complex128: Map.unary(x, .float64, Complex<Double>.self, Double.self) { $0.length }
        case .bool: shapeFailure(name, "does not accept dtype bool")
        }
    }

    /// `sign(x)` for reals (0 at 0, as JAX). For complex `z` the derivative of `|z|` as a function of
    /// the real pair is `conj(z)/|z|` in JAX's convention, taken as 0 at `z = 0`.
    func derivative(_ x: Tensor, _ y: Tensor) -> Tensor {
        guard x.dtype.isComplex else { return sign(x) }
        let safe = `where`(y .== 0, 1, y)
        return `where`(y .== 0, 0, 1 / safe).cast(to: x.dtype) * conj(x)
    }

    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        guard let t = tangents[0] else { return [nil] }
        // For complex input the tangent of |z| is real: Re(conj(z)·ż)/|z|.
        let d = derivative(primals[0], outputs[0]) * t
        return [primals[0].dtype.isComplex ? real(d) : d]
    }

    /// For reals, `|x| = sign(x₀) x` near `x₀`: each coefficient is multiplied by the sign (zero at
    /// 0, as the derivative).
    func taylorTerms(_ x: [Tensor?], _ y: Tensor) -> [Tensor?] {
        let s = sign(x[0]!)
        return [y] + x.dropFirst().map { $0.map { s * $0 } }
    }

    /// Complex `|z|` is smooth away from 0 but has no short recurrence: its coefficients come from
    /// the first-order rule.
    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        guard primals[0].dtype.isComplex else {
            return [series[0].flatMap { TaylorSeries.from(terms: taylorTerms($0.terms(from: primals[0]), outputs[0])) }]
        }
        return coefficientsFromForwardRule(primals, series, outputs)
    }
}
