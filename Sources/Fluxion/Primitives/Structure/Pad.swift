/// Pads with zeros: `low[k]` elements before and `high[k]` after along axis `k` (non-negative).
struct Pad: Primitive {
    let low: [Int]
    let high: [Int]
    var name: String { "pad" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let x = inputs[0]
        guard low.count == x.rank, high.count == x.rank, (low + high).allSatisfy({ $0 >= 0 }) else {
            shapeFailure(name, "padding low \(low), high \(high) does not fit shape \(x.shape)")
        }
        return [TensorType(shape: (0..<x.rank).map { x.shape[$0] + low[$0] + high[$0] }, dtype: x.dtype)]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        let x = inputs[0]
        let out = ArrayValue.zeros((0..<x.shape.count).map { x.shape[$0] + low[$0] + high[$0] }, dtype: x.dtype)
        let strides = StridedCopy.contiguousStrides(out.shape)
        let offset = zip(low, strides).reduce(0) { $0 + $1.0 * $1.1 }
        StridedCopy.scatter(x, into: out, strides: strides, offset: offset)
        return [out]
    }
}
