/// A strided window: along axis `k`, elements `starts[k], starts[k] + steps[k], …` below `limits[k]`
/// (steps are positive; negative steps are a slice of a reversal).
struct Slice: LinearPrimitive {
    let starts: [Int]
    let limits: [Int]
    let steps: [Int]
    var name: String { "slice" }

    var outputShape: [Int] {
        zip(zip(starts, limits), steps).map { bounds, step in max(0, (bounds.1 - bounds.0 + step - 1) / step) }
    }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let x = inputs[0]
        guard starts.count == x.rank, limits.count == x.rank, steps.count == x.rank,
              zip(starts, limits).allSatisfy({ 0 <= $0 && $0 <= $1 }),
              zip(limits, x.shape).allSatisfy({ $0 <= $1 }), steps.allSatisfy({ $0 > 0 })
        else {
            shapeFailure(name, "window starts \(starts), limits \(limits), steps \(steps) do not fit shape \(x.shape)")
        }
        return [TensorType(shape: outputShape, dtype: x.dtype)]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        let x = inputs[0]
        let strides = StridedCopy.contiguousStrides(x.shape)
        let offset = zip(starts, strides).reduce(0) { $0 + $1.0 * $1.1 }
        return [StridedCopy.gather(x, shape: outputShape, strides: zip(strides, steps).map(*), offset: offset)]
    }

    /// Transposed by padding the cotangent back into place, with `step - 1` zeros between elements.
    func transpose(_ cotangent: Tensor, _ primals: [Tensor]) -> [Tensor?] {
        let shape = primals[0].shape, out = outputShape
        if out.contains(0) { return [Tensor.zeros(like: primals[0])] }
        let high = shape.indices.map { shape[$0] - (starts[$0] + (out[$0] - 1) * steps[$0] + 1) }
        return [bind1(Pad(low: starts, high: high, interior: steps.map { $0 - 1 }), cotangent)]
    }

    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        let x = Batching.toFront(inputs[0], dims[0], size: size)
        return ([bind1(Slice(starts: [0] + starts, limits: [size] + limits, steps: [1] + steps), x)], [0])
    }
}
