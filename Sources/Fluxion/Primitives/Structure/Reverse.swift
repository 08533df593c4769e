/// Reverses the order of elements along the given axes.
struct Reverse: LinearPrimitive, AxisShiftBatching {
    let axes: [Int]
    var name: String { "rev" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        guard axes.allSatisfy({ 0 <= $0 && $0 < inputs[0].rank }) else {
            shapeFailure(name, "axes \(axes) out of range for shape \(inputs[0].shape)")
        }
        return [inputs[0]]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        let x = inputs[0]
        var strides = StridedCopy.contiguousStrides(x.shape)
        var offset = 0
        for a in Set(axes) where x.shape[a] > 0 {
            offset += (x.shape[a] - 1) * strides[a]
            strides[a] = -strides[a]
        }
        return [StridedCopy.gather(x, shape: x.shape, strides: strides, offset: offset)]
    }

    /// Reversal is its own transpose.
    func transpose(_ cotangent: Tensor, _ primals: [Tensor]) -> [Tensor?] { [bind1(self, cotangent)] }

    func shifted() -> Reverse { Reverse(axes: axes.map { $0 + 1 }) }
}
