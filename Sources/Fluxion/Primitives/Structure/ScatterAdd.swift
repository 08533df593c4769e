/// The transpose of ``Gather``: a tensor with extent `extent` along `axis`, zero except where
/// `updates` (shaped like a gather's output) are added at `indices`; repeated indices accumulate.
struct ScatterAdd: LinearPrimitive {
    let axis: Int
    let extent: Int
    var name: String { "scatter_add" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let (u, idx) = (inputs[0], inputs[1])
        guard idx.dtype.isInteger else { shapeFailure(name, "indices must be int32 or int64, not \(idx.dtype)") }
        guard axis >= 0, u.rank >= axis + idx.rank, Array(u.shape[axis..<(axis + idx.rank)]) == idx.shape else {
            shapeFailure(name, "updates of shape \(u.shape) do not hold indices of shape \(idx.shape) at axis \(axis)")
        }
        return [TensorType(shape: Array(u.shape[..<axis]) + [extent] + Array(u.shape[(axis + idx.rank)...]), dtype: u.dtype)]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        [IndexKernels.scatterAdd(inputs[0], inputs[1], axis: axis, extent: extent)]
    }

    /// Linear in the updates; the indices are fixed.
    func linearArguments(count: Int) -> [Int] { [0] }
    /// Transposed by gathering the cotangent at the indices.
    func transpose(_ cotangent: Tensor, _ primals: [Tensor]) -> [Tensor?] {
        [bind1(Gather(axis: axis), cotangent, primals[1]), nil]
    }

    /// Batched updates with shared indices scatter one axis further in; with batched indices,
    /// example `b` scatters into rows `b·extent …` of a merged axis that is split afterwards.
    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        let (u, idx) = (inputs[0], inputs[1])
        if dims[1] == nil {
            return ([bind1(ScatterAdd(axis: axis + 1, extent: extent), Batching.toFront(u, dims[0], size: size), idx)], [0])
        }
        let ib = Batching.frontIfBatched(idx, dims[1]).cast(to: .int64)
        // Updates as [pre..., B, idx..., post...]: the batch axis just before the index axes.
        let uf = Batching.toFront(u, dims[0], size: size)
        let moved = axis == 0 ? uf : uf.movingAxis(0, to: axis)
        let offsets = (Tensor.arange(size) * extent).reshaped(to: [size] + [Int](repeating: 1, count: ib.rank - 1))
        let flatIndex = `where`(ib .< 0, ib + extent, ib) + offsets
        let scattered = bind1(ScatterAdd(axis: axis, extent: size * extent), moved, flatIndex)
        var shape = Array(scattered.shape[..<axis])
        shape += [size, extent]
        shape += scattered.shape[(axis + 1)...]
        return ([scattered.reshaped(to: shape)], [axis])
    }
}
