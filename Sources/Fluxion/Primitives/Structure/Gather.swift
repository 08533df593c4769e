/// `take` along one axis: the slices of `x` at integer positions `indices` (any shape) along `axis`.
/// The output shape is `x.shape[..<axis] + indices.shape + x.shape[(axis+1)...]`.
struct Gather: LinearPrimitive {
    let axis: Int
    var name: String { "gather" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let (x, idx) = (inputs[0], inputs[1])
        guard 0 <= axis && axis < x.rank else { shapeFailure(name, "axis \(axis) out of range for shape \(x.shape)") }
        guard idx.dtype.isInteger else { shapeFailure(name, "indices must be int32 or int64, not \(idx.dtype)") }
        return [TensorType(shape: Array(x.shape[..<axis]) + idx.shape + Array(x.shape[(axis + 1)...]), dtype: x.dtype)]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        [IndexKernels.gather(inputs[0], inputs[1], axis: axis)]
    }

    /// Linear in the gathered tensor; the indices are fixed.
    func linearArguments(count: Int) -> [Int] { [0] }
    /// Transposed by adding the cotangent's slices back at their indices.
    func transpose(_ cotangent: Tensor, _ primals: [Tensor]) -> [Tensor?] {
        [bind1(ScatterAdd(axis: axis, extent: primals[0].shape[axis]), cotangent, primals[1]), nil]
    }

    /// Batched data with shared indices gathers one axis further in; shared data with batched
    /// indices needs nothing (the index axes, batch first, replace `axis`). When both are batched,
    /// example `b`'s indices are offset by `b·n` into the data with the batch and gathered axes merged.
    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        let (x, idx) = (inputs[0], inputs[1])
        switch (dims[0], dims[1]) {
        case (let dx?, nil):
            return ([bind1(Gather(axis: axis + 1), Batching.frontIfBatched(x, dx), idx)], [0])
        case (nil, let di?):
            return ([bind1(self, x, Batching.frontIfBatched(idx, di))], [axis])
        default:
            let xf = Batching.frontIfBatched(x, dims[0]), ib = Batching.frontIfBatched(idx, dims[1]).cast(to: .int64)
            let n = xf.shape[axis + 1]
            // [B, pre..., n, post...] -> [pre..., B, n, post...] -> [pre..., B·n, post...]
            let moved = axis == 0 ? xf : xf.movingAxis(0, to: axis)
            var merged = Array(moved.shape[..<axis])
            merged.append(size * n)
            merged += moved.shape[(axis + 2)...]
            let offsets = (Tensor.arange(size) * n).reshaped(to: [size] + [Int](repeating: 1, count: ib.rank - 1))
            let flatIndex = `where`(ib .< 0, ib + n, ib) + offsets
            return ([bind1(Gather(axis: axis), moved.reshaped(to: merged), flatIndex)], [axis])
        }
    }
}
