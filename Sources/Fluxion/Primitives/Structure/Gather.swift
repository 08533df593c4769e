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
}
