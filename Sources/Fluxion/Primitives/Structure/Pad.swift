/// Pads with zeros: `low[k]` elements before, `high[k]` after and `interior[k]` between neighbours
/// along axis `k` (all non-negative). Interior padding is what transposes a strided slice.
struct Pad: LinearPrimitive, AxisShiftBatching {
    let low: [Int]
    let high: [Int]
    var interior: [Int]? = nil
    var name: String { "pad" }

    private func gaps(_ rank: Int) -> [Int] { interior ?? [Int](repeating: 0, count: rank) }

    private func outputShape(_ shape: [Int]) -> [Int] {
        let g = gaps(shape.count)
        return shape.indices.map { low[$0] + shape[$0] + Swift.max(shape[$0] - 1, 0) * g[$0] + high[$0] }
    }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let x = inputs[0]
        guard low.count == x.rank, high.count == x.rank, gaps(x.rank).count == x.rank,
              (low + high + gaps(x.rank)).allSatisfy({ $0 >= 0 }) else {
            shapeFailure(name, "padding low \(low), high \(high), interior \(gaps(x.rank)) does not fit shape \(x.shape)")
        }
        return [TensorType(shape: outputShape(x.shape), dtype: x.dtype)]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        let x = inputs[0]
        let out = ArrayValue.zeros(outputShape(x.shape), dtype: x.dtype)
        let strides = StridedCopy.contiguousStrides(out.shape)
        let offset = zip(low, strides).reduce(0) { $0 + $1.0 * $1.1 }
        let g = gaps(x.shape.count)
        StridedCopy.scatter(x, into: out, strides: strides.indices.map { strides[$0] * (g[$0] + 1) }, offset: offset)
        return [out]
    }

    /// The transpose of padding is the strided slice that picks the original elements back out.
    func transpose(_ cotangent: Tensor, _ primals: [Tensor]) -> [Tensor?] {
        let shape = primals[0].shape, g = gaps(shape.count)
        if shape.contains(0) { return [Tensor.zeros(like: primals[0])] }
        let limits = shape.indices.map { low[$0] + (shape[$0] - 1) * (g[$0] + 1) + 1 }
        return [bind1(Slice(starts: low, limits: limits, steps: g.map { $0 + 1 }), cotangent)]
    }

    func shifted() -> Pad { Pad(low: [0] + low, high: [0] + high, interior: interior.map { [0] + $0 }) }
}
