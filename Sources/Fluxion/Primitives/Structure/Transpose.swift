/// Permutes the axes: output axis `i` is input axis `permutation[i]`.
struct Transpose: LinearPrimitive, AxisShiftBatching {
    let permutation: [Int]
    var name: String { "transpose" }
    var rewriteRules: [RewriteRule] { permutation == Array(permutation.indices) ? [.identity(keep: 0)] : [] }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let x = inputs[0]
        guard permutation.sorted() == Array(0..<x.rank) else {
            shapeFailure(name, "\(permutation) is not a permutation of the axes of shape \(x.shape)")
        }
        return [TensorType(shape: permutation.map { x.shape[$0] }, dtype: x.dtype)]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        let x = inputs[0]
        if permutation == Array(0..<x.shape.count) { return [x] }
        let strides = StridedCopy.contiguousStrides(x.shape)
        return [StridedCopy.gather(x, shape: permutation.map { x.shape[$0] },
                                   strides: permutation.map { strides[$0] }, offset: 0)]
    }

    /// Transposed by the inverse permutation.
    func transpose(_ cotangent: Tensor, _ primals: [Tensor]) -> [Tensor?] {
        var inverse = permutation
        for (i, p) in permutation.enumerated() { inverse[p] = i }
        return [cotangent.transposed(permutation: inverse)]
    }

    func shifted() -> Transpose { Transpose(permutation: [0] + permutation.map { $0 + 1 }) }
}
