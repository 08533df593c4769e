/// Broadcasts a tensor to a larger shape by NumPy's rules (axes aligned on the right; extent-1 axes
/// stretch; new leading axes are added).
struct BroadcastTo: LinearPrimitive {
    let shape: [Int]
    var name: String { "broadcast_to" }
    var rewriteRules: [RewriteRule] { [.identity(keep: 0)] }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let x = inputs[0]
        guard x.rank <= shape.count, Broadcasting.shape([x.shape, shape]) == shape else {
            shapeFailure(name, "cannot broadcast shape \(x.shape) to \(shape)")
        }
        return [TensorType(shape: shape, dtype: x.dtype)]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        let x = inputs[0]
        if x.shape == shape { return [x] }
        return [StridedCopy.gather(x, shape: shape, strides: Broadcasting.strides(of: x.shape, in: shape), offset: 0)]
    }

    /// Transposed by summing over the broadcast axes.
    func transpose(_ cotangent: Tensor, _ primals: [Tensor]) -> [Tensor?] { [unbroadcast(cotangent, to: primals[0].shape)] }

    /// The batch axis goes in front; the example's axes are aligned on the right of the new shape.
    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        let x = Batching.toFront(inputs[0], dims[0], size: size)
        let missing = shape.count - (x.rank - 1)
        let aligned = x.reshaped(to: [size] + [Int](repeating: 1, count: missing) + Array(x.shape.dropFirst()))
        return ([bind1(BroadcastTo(shape: [size] + shape), aligned)], [0])
    }
}
