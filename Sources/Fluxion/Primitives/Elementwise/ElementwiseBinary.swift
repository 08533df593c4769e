import ComplexModule
import RealModule

/// A primitive applied to corresponding elements of two tensors of one dtype, with NumPy
/// broadcasting of their shapes.
protocol ElementwiseBinary: ElementwiseBatching {
    static var domain: ElementDomain { get }
    /// The output dtype for the operands' dtype (the same by default).
    func outputDType(_ input: DType) -> DType
    func evaluate(_ a: ArrayValue, _ b: ArrayValue, shape: [Int]) -> ArrayValue
    /// A vectorized float64 loop for this operation (the arithmetic operations have one), used by
    /// fused chains and by eager evaluation when neither operand is broadcast along an axis; nil: the
    /// generic loop of `apply`.
    static var float64VectorKernel: FusedLoop.BinaryKernel? { get }
}

extension ElementwiseBinary {
    func outputDType(_ input: DType) -> DType { input }
    static var float64VectorKernel: FusedLoop.BinaryKernel? { nil }

    /// `a op b` by ``float64VectorKernel`` when both are float64 arrays of one shape or one is a
    /// scalar (split over threads when large), or when broadcasting leaves rows of at least 16
    /// elements (a row of each operand contiguous or one value: `[3, 128] * [512, 1, 128]`), the kernel
    /// then running row by row; nil otherwise.
    func vectorEvaluate(_ a: ArrayValue, _ b: ArrayValue, shape: [Int]) -> ArrayValue? {
        guard a.dtype == .float64, let kernel = Self.float64VectorKernel else { return nil }
        let plain = a.shape == b.shape || a.count == 1 || b.count == 1
        guard plain || (shape.last ?? 0) >= 16 else { return nil }
        let out = ArrayValue(uninitialized: shape, dtype: .float64)
        let pa = UncheckedSendable(UnsafePointer(a.pointer(as: Double.self))), pb = UncheckedSendable(UnsafePointer(b.pointer(as: Double.self)))
        let po = UncheckedSendable(out.pointer(as: Double.self))
        guard plain else {
            // Broadcast: the kernel over each innermost row, an operand of stride 0 as its one value.
            let length = shape[shape.count - 1], rows = out.count / length
            let shapes = [a.shape, b.shape]
            Parallel.forChunks(rows, minimumChunk: Swift.max(1, Parallel.minimumChunk / length)) { range in
                Broadcasting.forEachRow(shape, shapes, rows: range) { start, offsets, strides, n in
                    let x = pa.value + offsets[0], y = pb.value + offsets[1]
                    kernel(strides[0] == 0 ? (nil, x[0]) : (x, 0), strides[1] == 0 ? (nil, y[0]) : (y, 0), po.value + start, n)
                }
            }
            return out
        }
        let (aFull, bFull) = (a.count == out.count, b.count == out.count)
        let (sa, sb) = (aFull ? 0 : pa.value[0], bFull ? 0 : pb.value[0])
        Parallel.forChunks(out.count) { r in
            kernel((aFull ? pa.value + r.lowerBound : nil, sa), (bFull ? pb.value + r.lowerBound : nil, sb),
                   po.value + r.lowerBound, r.count)
        }
        return out
    }

    /// `x op y` for concrete operands of one accepted dtype with equal shapes or a scalar operand,
    /// evaluated as the eager interpreter would but without its lists (the common case of eager
    /// code); nil otherwise, for ``bind(_:_:)``.
    func eagerly(_ x: Tensor, _ y: Tensor) -> Tensor? {
        guard case .concrete(let a) = x.storage, case .concrete(let b) = y.storage,
              a.dtype == b.dtype, Self.domain.accepts(a.dtype), let shape = Self.plainShape(a.shape, b.shape) else { return nil }
        return Tensor(array: evaluate(a, b, shape: shape))
    }

    /// The output shape when neither operand needs broadcasting (equal shapes, or one a scalar): the
    /// common case, which needs no broadcast computation; nil otherwise.
    static func plainShape(_ a: [Int], _ b: [Int]) -> [Int]? {
        a == b || b.isEmpty ? a : a.isEmpty ? b : nil
    }

    /// `x op s` (`s op x` when `scalarFirst`) for a concrete float64 `x` and a Swift scalar, by the
    /// vector kernel with the scalar as its operand: the same loop and result as with `s` made a
    /// rank-0 tensor, without making it. nil otherwise.
    func eagerly(_ x: Tensor, scalar s: Double, scalarFirst: Bool) -> Tensor? {
        guard case .concrete(let a) = x.storage, a.dtype == .float64, let kernel = Self.float64VectorKernel else { return nil }
        let out = ArrayValue(uninitialized: a.shape, dtype: .float64)
        let pa = UncheckedSendable(UnsafePointer(a.pointer(as: Double.self))), po = UncheckedSendable(out.pointer(as: Double.self))
        Parallel.forChunks(out.count) { r in
            let array: FusedLoop.Operand = (pa.value + r.lowerBound, 0), constant: FusedLoop.Operand = (nil, s)
            kernel(scalarFirst ? constant : array, scalarFirst ? array : constant, po.value + r.lowerBound, r.count)
        }
        return Tensor(array: out)
    }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        guard inputs.count == 2 else { shapeFailure(name, "expects 2 operands, got \(inputs.count)") }
        let (a, b) = (inputs[0], inputs[1])
        guard a.dtype == b.dtype else {
            shapeFailure(name, "operand dtypes \(a.dtype) and \(b.dtype) differ")
        }
        guard Self.domain.accepts(a.dtype) else { shapeFailure(name, "does not accept dtype \(a.dtype)") }
        guard let shape = Broadcasting.shape([a.shape, b.shape]) else {
            shapeFailure(name, "shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        return [TensorType(shape: shape, dtype: outputDType(a.dtype))]
    }

    func checkEagerly(_ inputs: [ArrayValue]) {
        if inputs.count == 2, inputs[0].dtype == inputs[1].dtype, Self.domain.accepts(inputs[0].dtype),
           Self.plainShape(inputs[0].shape, inputs[1].shape) != nil { return }
        _ = outputTypes(inputs.map { $0.type })
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] { [evaluateSingle(inputs)] }

    func evaluateSingle(_ inputs: [ArrayValue]) -> ArrayValue {
        let (a, b) = (inputs[0], inputs[1])
        return evaluate(a, b, shape: Self.plainShape(a.shape, b.shape) ?? Broadcasting.shape([a.shape, b.shape])!)
    }
}

/// A ring operation (`+`, `-`, `*`) on integers (wrapping), reals and complex numbers.
protocol RingBinary: ElementwiseBinary {
    static func apply<T: AlgebraicField>(_ a: T, _ b: T) -> T
    static func wrapping<T: FixedWidthInteger>(_ a: T, _ b: T) -> T
}

extension RingBinary {
    /// The fused float64 loop: this primitive's `apply`, over one block.
    var fusedOperation: FusedLoop.Op? {
        .binary(name, Self.float64VectorKernel ?? { a, b, d, n in FusedLoop.zipBlock(a, b, d, n) { Self.apply($0, $1) } })
    }
    static var domain: ElementDomain { .numeric }

    func evaluate(_ a: ArrayValue, _ b: ArrayValue, shape: [Int]) -> ArrayValue {
        let d = a.dtype
        switch d {
        case .int32: return Map.binary(a, b, shape, d, Int32.self, Int32.self, Int32.self) { Self.wrapping($0, $1) }
        case .int64: return Map.binary(a, b, shape, d, Int64.self, Int64.self, Int64.self) { Self.wrapping($0, $1) }
        case .float32: return Map.binary(a, b, shape, d, Float.self, Float.self, Float.self) { Self.apply($0, $1) }
        case .float64:
            return vectorEvaluate(a, b, shape: shape) ?? Map.binary(a, b, shape, d, Double.self, Double.self, Double.self) { Self.apply($0, $1) }
        case .complex64:
            return Map.binary(a, b, shape, d, Complex<Float>.self, Complex<Float>.self, Complex<Float>.self) {
                Self.apply($0, $1)
            }
        case .complex128:
            return Map.binary(a, b, shape, d, Complex<Double>.self, Complex<Double>.self, Complex<Double>.self) {
                Self.apply($0, $1)
            }
        case .bool: shapeFailure(name, "does not accept dtype bool")
        }
    }
}

/// An operation on real and complex floating-point numbers only (`/`, `pow`).
protocol FieldBinary: ElementwiseBinary {
    static func apply<T: RealElement>(_ a: T, _ b: T) -> T
    static func apply<T: RealElement>(_ a: Complex<T>, _ b: Complex<T>) -> Complex<T>
}

extension FieldBinary {
    /// The fused float64 loop: this primitive's `apply`, over one block.
    var fusedOperation: FusedLoop.Op? {
        .binary(name, Self.float64VectorKernel ?? { a, b, d, n in FusedLoop.zipBlock(a, b, d, n) { Self.apply($0, $1) } })
    }
    static var domain: ElementDomain { .inexact }

    func evaluate(_ a: ArrayValue, _ b: ArrayValue, shape: [Int]) -> ArrayValue {
        let d = a.dtype
        switch d {
        case .float32: return Map.binary(a, b, shape, d, Float.self, Float.self, Float.self) { Self.apply($0, $1) }
        case .float64:
            return vectorEvaluate(a, b, shape: shape) ?? Map.binary(a, b, shape, d, Double.self, Double.self, Double.self) { Self.apply($0, $1) }
        case .complex64:
            return Map.binary(a, b, shape, d, Complex<Float>.self, Complex<Float>.self, Complex<Float>.self) {
                Self.apply($0, $1)
            }
        case .complex128:
            return Map.binary(a, b, shape, d, Complex<Double>.self, Complex<Double>.self, Complex<Double>.self) {
                Self.apply($0, $1)
            }
        default: shapeFailure(name, "does not accept dtype \(d)")
        }
    }
}

/// An operation on ordered numbers: integers and reals (`max`, `min`, `atan2`).
protocol OrderedBinary: ElementwiseBinary {
    static func apply<T: Comparable & Numeric>(_ a: T, _ b: T) -> T
}

extension OrderedBinary {
    /// The fused float64 loop: this primitive's `apply`, over one block.
    var fusedOperation: FusedLoop.Op? {
        .binary(name) { a, b, d, n in FusedLoop.zipBlock(a, b, d, n) { Self.apply($0, $1) } }
    }
    static var domain: ElementDomain { [.integer, .real] }

    func evaluate(_ a: ArrayValue, _ b: ArrayValue, shape: [Int]) -> ArrayValue {
        let d = a.dtype
        switch d {
        case .int32: return Map.binary(a, b, shape, d, Int32.self, Int32.self, Int32.self) { Self.apply($0, $1) }
        case .int64: return Map.binary(a, b, shape, d, Int64.self, Int64.self, Int64.self) { Self.apply($0, $1) }
        case .float32: return Map.binary(a, b, shape, d, Float.self, Float.self, Float.self) { Self.apply($0, $1) }
        case .float64: return Map.binary(a, b, shape, d, Double.self, Double.self, Double.self) { Self.apply($0, $1) }
        default: shapeFailure(name, "does not accept dtype \(d)")
        }
    }
}

/// A comparison giving a bool tensor (no derivative). Equality accepts every dtype; order only integers and reals.
protocol ComparisonBinary: ElementwiseBinary, NonDifferentiable {
    static func apply<T: Comparable>(_ a: T, _ b: T) -> Bool
    /// Equality comparisons also accept bool and complex operands through this.
    static func applyEquatable<T: Equatable>(_ a: T, _ b: T) -> Bool?
}

extension ComparisonBinary {
    static func applyEquatable<T: Equatable>(_ a: T, _ b: T) -> Bool? { nil }
    func outputDType(_ input: DType) -> DType { .bool }

    func evaluate(_ a: ArrayValue, _ b: ArrayValue, shape: [Int]) -> ArrayValue {
        switch a.dtype {
        case .int32: Map.binary(a, b, shape, .bool, Int32.self, Int32.self, Bool.self) { Self.apply($0, $1) }
        case .int64: Map.binary(a, b, shape, .bool, Int64.self, Int64.self, Bool.self) { Self.apply($0, $1) }
        case .float32: Map.binary(a, b, shape, .bool, Float.self, Float.self, Bool.self) { Self.apply($0, $1) }
        case .float64: Map.binary(a, b, shape, .bool, Double.self, Double.self, Bool.self) { Self.apply($0, $1) }
        case .bool: Map.binary(a, b, shape, .bool, Bool.self, Bool.self, Bool.self) { Self.applyEquatable($0, $1)! }
        case .complex64:
            Map.binary(a, b, shape, .bool, Complex<Float>.self, Complex<Float>.self, Bool.self) {
                Self.applyEquatable(ComplexParts($0), ComplexParts($1))!   // part by part, IEEE
            }
        case .complex128:
            Map.binary(a, b, shape, .bool, Complex<Double>.self, Complex<Double>.self, Bool.self) {
                Self.applyEquatable(ComplexParts($0), ComplexParts($1))!   // part by part, IEEE
            }
        }
    }
}

/// A logical operation on bool tensors.
protocol LogicalBinary: ElementwiseBinary, NonDifferentiable {
    static func apply(_ a: Bool, _ b: Bool) -> Bool
}

extension LogicalBinary {
    static var domain: ElementDomain { .bool }
    func evaluate(_ a: ArrayValue, _ b: ArrayValue, shape: [Int]) -> ArrayValue {
        Map.binary(a, b, shape, .bool, Bool.self, Bool.self, Bool.self) { Self.apply($0, $1) }
    }
}

/// A differentiable binary elementwise function given by its partial derivatives `∂y/∂a` and
/// `∂y/∂b` (broadcastable against the output). Reverse mode sums each cotangent back down to its
/// operand's shape.
protocol DifferentiableBinary: ElementwiseBinary {
    func partials(_ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor)
    /// Taylor mode: the terms of `y = f(a, b)` (value first; nil is zero) from those of the operands,
    /// aligned for broadcasting, given the value `y`.
    func taylorTerms(_ a: [Tensor?], _ b: [Tensor?], _ y: Tensor) -> [Tensor?]
}

extension DifferentiableBinary {
    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        let (da, db) = partials(primals[0], primals[1], outputs[0])
        let terms = [tangents[0].map { $0 * da }, tangents[1].map { $0 * db }].compactMap { $0 }
        return [terms.dropFirst().reduce(terms[0], +).broadcast(to: outputs[0].shape)]
    }

    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        guard let ct = cotangents[0] else { return [nil, nil] }
        let (da, db) = partials(primals[0], primals[1], outputs[0])
        return [unbroadcast(ct * da, to: primals[0].shape), unbroadcast(ct * db, to: primals[1].shape)]
    }

    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        let (a, b) = Taylor.binaryTerms(primals, series, outputs)
        return [TaylorSeries.from(terms: taylorTerms(a, b, outputs[0]))]
    }
}

/// The Taylor terms of a function that is locally `wa · a + (1 − wa) · b` (`max`, `min`).
func weightedTerms(_ a: [Tensor?], _ b: [Tensor?], _ y: Tensor, weight wa: Tensor) -> [Tensor?] {
    let wb = 1 - wa
    return [y] + (1..<a.count).map { k in Taylor.sum([Taylor.product(a[k], wa), Taylor.product(b[k], wb)]) }
}

/// Addition and subtraction: linear, so the rules pass tangents and cotangents through (negated for
/// the subtrahend), broadcasting forward and summing backward.
protocol AdditiveBinary: RingBinary {
    /// 1 for addition, -1 for subtraction: the sign of the second operand.
    static var secondSign: Double { get }
}

extension AdditiveBinary {
    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        let shape = outputs[0].shape
        switch (tangents[0], tangents[1]) {
        case let (ta?, tb?): return [bind1(self, ta, tb)]
        case let (ta?, nil): return [ta.broadcast(to: shape)]
        case let (nil, tb?): return [(Self.secondSign < 0 ? -tb : tb).broadcast(to: shape)]
        case (nil, nil): return [nil]
        }
    }

    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        guard let ct = cotangents[0] else { return [nil, nil] }
        return [unbroadcast(ct, to: primals[0].shape), unbroadcast(Self.secondSign < 0 ? -ct : ct, to: primals[1].shape)]
    }

    /// Linear: coefficients add (or subtract) order by order. A series added to a constant of no
    /// larger shape passes through unchanged.
    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        if series[1] == nil, primals[0].shape == outputs[0].shape { return [series[0]] }
        if series[0] == nil, Self.secondSign > 0, primals[1].shape == outputs[0].shape { return [series[1]] }
        let (a, b) = Taylor.binaryTerms(primals, series, outputs)
        return [TaylorSeries(coefficients: (1...Taylor.order(series)).map { k in
            Taylor.sum([a[k], Self.secondSign < 0 ? b[k].map { -$0 } : b[k]])
        })]
    }
}
