/// One entry of a subscript: an integer, a range, a stride, a new axis, an ellipsis, or an integer
/// tensor of positions (gather).
public enum TensorIndex: Sendable {
    case index(Int)
    case range(start: Int?, end: Int?, step: Int)
    /// A new axis of extent 1; written `.newAxis`.
    case insertAxis
    /// As many full slices as needed; written `.ellipsis`.
    case fillAxes
    case gather(Tensor)
}

/// Types usable inside `x[...]`.
public protocol TensorIndexConvertible {
    var tensorIndex: TensorIndex { get }
}

extension TensorIndex: TensorIndexConvertible { public var tensorIndex: TensorIndex { self } }

// Lets `.all`, `.newAxis`, `.ellipsis` and `.stride(…)` be written inside `x[...]`.
extension TensorIndexConvertible where Self == TensorIndex {
    /// Every element of an axis (`:` in NumPy).
    public static var all: TensorIndex { .range(start: nil, end: nil, step: 1) }
    /// A new axis of extent 1 (`None` in NumPy).
    public static var newAxis: TensorIndex { .insertAxis }
    /// As many `.all` as needed to index every axis (`...` in NumPy).
    public static var ellipsis: TensorIndex { .fillAxes }
    /// `start:end:step` in NumPy's notation; a negative step walks backwards.
    public static func stride(from start: Int? = nil, to end: Int? = nil, by step: Int) -> TensorIndex {
        .range(start: start, end: end, step: step)
    }
}
extension Int: TensorIndexConvertible { public var tensorIndex: TensorIndex { .index(self) } }
extension Range: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .range(start: lowerBound, end: upperBound, step: 1) }
}
extension ClosedRange: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex {
        .range(start: lowerBound, end: upperBound == -1 ? nil : upperBound + 1, step: 1)
    }
}
extension PartialRangeFrom: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .range(start: lowerBound, end: nil, step: 1) }
}
extension PartialRangeUpTo: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .range(start: nil, end: upperBound, step: 1) }
}
extension PartialRangeThrough: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .range(start: nil, end: upperBound == -1 ? nil : upperBound + 1, step: 1) }
}
extension Tensor: TensorIndexConvertible { public var tensorIndex: TensorIndex { .gather(self) } }

extension Tensor {
    /// NumPy-style basic and integer-array indexing.
    ///
    /// ```swift
    /// x[0]                      // the first row
    /// x[-1, 1..<3]              // the last row, columns 1 and 2
    /// x[.all, .stride(by: -1)]  // columns reversed
    /// x[.newAxis, .ellipsis]    // a leading axis of extent 1
    /// x[Tensor([Int64(2), 0])]  // rows 2 and 0 (gather)
    /// ```
    /// Negative integers count from the end; an integer out of range stops with a message.
    /// At most one tensor index is allowed; its axes replace the axis it indexes.
    public subscript(_ indices: any TensorIndexConvertible...) -> Tensor {
        applying(indices.map(\.tensorIndex))
    }

    func applying(_ rawIndices: [TensorIndex]) -> Tensor {
        var indices = rawIndices
        let consuming = indices.filter { if case .insertAxis = $0 { return false }; if case .fillAxes = $0 { return false }; return true }.count
        guard consuming <= rank else { shapeFailure("index", "\(consuming) indices for shape \(shape) of rank \(rank)") }
        if let e = indices.firstIndex(where: { if case .fillAxes = $0 { return true }; return false }) {
            indices.replaceSubrange(e...e, with: Array(repeating: .all as TensorIndex, count: rank - consuming))
        } else {
            indices += Array(repeating: .all as TensorIndex, count: rank - consuming)
        }
        guard indices.filter({ if case .gather = $0 { return true }; return false }).count <= 1 else {
            shapeFailure("index", "only one tensor index is supported; use gathering(_:alongAxis:) for more")
        }
        var x = self
        var axis = 0            // the axis of `x` the next index applies to
        var dropped: [Int] = [] // axes of `x` indexed by an integer, removed at the end
        for index in indices {
            switch index {
            case .insertAxis:
                x = x.expandingShape(at: axis)
                axis += 1
            case .fillAxes:
                shapeFailure("index", "more than one ellipsis")
            case .index(let i):
                let n = x.shape[axis]
                let j = i < 0 ? i + n : i
                guard 0 <= j && j < n else {
                    shapeFailure("index", "index \(i) is out of range for axis \(axis) of extent \(n) in shape \(shape)")
                }
                x = x.sliced(axis: axis, start: j, end: j + 1)
                dropped.append(axis)
                axis += 1
            case .range(let start, let end, let step):
                guard step != 0 else { shapeFailure("index", "slice step must not be zero") }
                let n = x.shape[axis]
                if step > 0 {
                    let s = Self.clampBound(start ?? 0, n), e = Self.clampBound(end ?? n, n)
                    x = x.sliced(axis: axis, start: s, end: Swift.max(s, e), step: step)
                } else {
                    // Walking backwards from `start` down to (not including) `end` is a forward
                    // slice of the reversed axis.
                    let s = start.map { $0 < 0 ? $0 + n : $0 }.map { Swift.min($0, n - 1) } ?? n - 1
                    let e = end.map { $0 < 0 ? Swift.max($0 + n, -1) : $0 } ?? -1
                    let rs = Swift.min(Swift.max(n - 1 - s, 0), n), re = Swift.min(n - 1 - e, n)
                    x = x.flipped(axes: [axis]).sliced(axis: axis, start: rs, end: Swift.max(rs, re), step: -step)
                }
                axis += 1
            case .gather(let idx):
                x = x.gathering(idx, alongAxis: axis)
                axis += idx.rank
            }
        }
        if dropped.isEmpty { return x }
        return x.reshaped(to: x.shape.enumerated().filter { !dropped.contains($0.offset) }.map(\.element))
    }

    private static func clampBound(_ i: Int, _ n: Int) -> Int {
        let j = i < 0 ? i + n : i
        return Swift.min(Swift.max(j, 0), n)
    }

    /// The slices at integer `indices` (any shape; negative ones count from the end) along `axis`;
    /// the index axes replace `axis` (as NumPy's `take`).
    public func gathering(_ indices: Tensor, alongAxis axis: Int) -> Tensor {
        guard indices.dtype.isInteger else {
            shapeFailure("gather", "indices must be int32 or int64, not \(indices.dtype)")
        }
        return bind1(Gather(axis: normalizeAxis(axis, rank: rank, "gather")), self, indices)
    }

    /// `self` with `updates` added at `indices` along `axis`; repeated indices accumulate. `updates`
    /// has the shape `gathering(indices, alongAxis: axis)` would have.
    public func scatterAdding(_ updates: Tensor, at indices: Tensor, alongAxis axis: Int) -> Tensor {
        let a = normalizeAxis(axis, rank: rank, "scatter_add")
        guard indices.dtype.isInteger else {
            shapeFailure("scatter_add", "indices must be int32 or int64, not \(indices.dtype)")
        }
        let expected = Array(shape[..<a]) + indices.shape + Array(shape[(a + 1)...])
        guard updates.shape == expected else {
            shapeFailure("scatter_add", "updates of shape \(updates.shape) for indices \(indices.shape) into \(shape) along axis \(a) (expected \(expected))")
        }
        let d = DType.promote(dtype, updates.dtype)
        return cast(to: d) + bind1(ScatterAdd(axis: a, extent: shape[a]), updates.cast(to: d), indices)
    }
}

extension Tensor {
    /// Elements picked along `axis` by an integer tensor of the same shape (as NumPy's
    /// `take_along_axis`): `out[..., j, ...] = self[..., indices[..., j, ...], ...]`.
    ///
    /// Written as one gather over the flattened tensor, so it is differentiable in `self`.
    public func takingAlongAxis(_ indices: Tensor, axis: Int) -> Tensor {
        let a = normalizeAxis(axis, rank: rank, "take_along_axis")
        guard indices.rank == rank, indices.dtype.isInteger,
              (0..<rank).allSatisfy({ $0 == a || indices.shape[$0] == shape[$0] }) else {
            shapeFailure("take_along_axis", "indices of type \(indices.type) do not fit shape \(shape) along axis \(a)")
        }
        // Flat position = Σ_k index_k · stride_k, with the indices in place of the arange along `axis`.
        let strides = StridedCopy.contiguousStrides(shape)
        var flat = indices.cast(to: .int64) * strides[a]
        for k in 0..<rank where k != a {
            var s = [Int](repeating: 1, count: rank)
            s[k] = indices.shape[k]
            flat = flat + (Tensor.arange(indices.shape[k]) * strides[k]).reshaped(to: s)
        }
        let n = shape[a]
        let wrapped = `where`(indices.cast(to: .int64) .< 0, flat + n * strides[a], flat)
        return reshaped(to: [count]).gathering(wrapped, alongAxis: 0)
    }
}
