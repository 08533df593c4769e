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
}
