import ComplexModule

extension Tensor {
    /// The most elements a tensor may have, 2⁴⁸. Every shape is checked where it enters (creation,
    /// reshape, broadcast, files): a negative extent or a larger count stops with a message naming
    /// the operation, and element and byte counts below the limit cannot overflow.
    public static var maximumElementCount: Int { FluxionKernels.maximumElementCount }

    /// A tensor from Swift values laid out in row-major order.
    ///
    /// ```swift
    /// let m = Tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], shape: [2, 3])
    /// let v = Tensor([Int32(1), 2, 3])          // int32, shape [3]
    /// ```
    /// - Parameter shape: defaults to `[values.count]`; its product must equal `values.count`.
    public init<T: TensorElement>(_ values: [T], shape: [Int]? = nil) {
        let shape = shape ?? [values.count]
        guard checkedElementCount(shape, "Tensor(_:shape:)") == values.count else {
            shapeFailure("Tensor(_:shape:)", "\(values.count) values do not fill shape \(shape)")
        }
        self.init(array: ArrayValue(values, shape: shape))
    }

    /// A matrix from rows of equal length.
    public init<T: TensorElement>(_ rows: [[T]]) {
        let n = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == n }, "Tensor(_:): rows of unequal length")
        self.init(rows.flatMap { $0 }, shape: [rows.count, n])
    }

    /// A rank-0 tensor holding one value.
    public init<T: TensorElement>(_ value: T) { self.init([value], shape: []) }

    /// A rank-0 float64 tensor.
    public init(_ value: Double) { self.init([value], shape: []) }

    /// A tensor of the given shape and dtype with every element equal to `value`.
    public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float64) -> Tensor {
        _ = checkedElementCount(shape, "full")
        let a = ArrayValue(uninitialized: shape, dtype: dtype)
        let n = a.count
        func fill<T: TensorElement>(_: T.Type) {
            a.pointer(as: T.self).initialize(repeating: T(fromDouble: value), count: n)
        }
        switch dtype {
        case .bool: fill(Bool.self)
        case .int32: fill(Int32.self)
        case .int64: fill(Int64.self)
        case .float32: fill(Float.self)
        case .float64: fill(Double.self)
        case .complex64: fill(Complex<Float>.self)
        case .complex128: fill(Complex<Double>.self)
        }
        return Tensor(array: a)
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int], dtype: DType = .float64) -> Tensor {
        _ = checkedElementCount(shape, "zeros")
        return Tensor(array: .zeros(shape, dtype: dtype))
    }

    /// A tensor of ones.
    public static func ones(_ shape: [Int], dtype: DType = .float64) -> Tensor { full(shape, 1, dtype: dtype) }

    /// Zeros with the shape and dtype of `other`.
    public static func zeros(like other: Tensor) -> Tensor { zeros(other.shape, dtype: other.dtype) }

    /// Ones with the shape and dtype of `other`.
    public static func ones(like other: Tensor) -> Tensor { ones(other.shape, dtype: other.dtype) }

    /// Evenly spaced values `start, start + step, …` below `end` (as NumPy's `arange`).
    public static func arange(_ start: Double = 0, _ end: Double, step: Double = 1,
                              dtype: DType = .float64) -> Tensor {
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
            shapeFailure("arange", "start, end and step must be finite and step non-zero, got \(start), \(end), \(step)")
        }
        let steps = ((end - start) / step).rounded(.up)
        guard steps <= Double(maximumElementCount) else {
            shapeFailure("arange", "\(steps) values are more than a tensor may hold (2^48)")
        }
        let n = Swift.max(0, Int(steps))
        return Tensor((0..<n).map { start + Double($0) * step }, shape: [n]).cast(to: dtype)
    }

    /// Integers `0, 1, …, n - 1` as int64 (or `dtype`).
    public static func arange(_ n: Int, dtype: DType = .int64) -> Tensor {
        _ = checkedElementCount([n], "arange")
        return Tensor((0..<Int64(n)).map { $0 }, shape: [n]).cast(to: dtype)
    }

    /// `count` evenly spaced values from `start` to `stop` (inclusive unless `endpoint` is false).
    public static func linspace(_ start: Double, _ stop: Double, count: Int, endpoint: Bool = true,
                                dtype: DType = .float64) -> Tensor {
        _ = checkedElementCount([count], "linspace")
        guard start.isFinite, stop.isFinite else { shapeFailure("linspace", "start and stop must be finite, got \(start) and \(stop)") }
        let div = Double(endpoint ? Swift.max(count - 1, 1) : Swift.max(count, 1))
        let step = (stop - start) / div
        var values = (0..<count).map { start + Double($0) * step }
        if endpoint && count > 1 { values[count - 1] = stop }
        return Tensor(values, shape: [count]).cast(to: dtype)
    }

    /// An `n`×`m` matrix with ones on the `k`-th diagonal (`k > 0` above the main one).
    public static func eye(_ n: Int, _ m: Int? = nil, k: Int = 0, dtype: DType = .float64) -> Tensor {
        let m = m ?? n
        _ = checkedElementCount([n, m], "eye")
        var values = [Double](repeating: 0, count: n * m)
        for i in 0..<n where i + k >= 0 && i + k < m { values[i * m + i + k] = 1 }
        return Tensor(values, shape: [n, m]).cast(to: dtype)
    }
}
