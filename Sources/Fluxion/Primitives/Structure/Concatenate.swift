/// Joins tensors along an existing axis; all other extents must agree.
struct Concatenate: LinearPrimitive, AxisShiftBatching {
    let axis: Int
    var name: String { "concatenate" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        guard let first = inputs.first else { shapeFailure(name, "needs at least one tensor") }
        guard 0 <= axis && axis < first.rank else { shapeFailure(name, "axis \(axis) out of range for shape \(first.shape)") }
        var shape = first.shape
        shape[axis] = 0
        for t in inputs {
            var s = t.shape
            guard t.rank == first.rank, t.dtype == first.dtype else {
                shapeFailure(name, "tensors of types \(inputs.map(\.description).joined(separator: ", ")) do not match")
            }
            shape[axis] += s[axis]
            s[axis] = first.shape[axis]
            guard s == first.shape else {
                shapeFailure(name, "shapes \(describeShapes(inputs)) differ off axis \(axis)")
            }
        }
        return [TensorType(shape: shape, dtype: first.dtype)]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        var shape = inputs[0].shape
        shape[axis] = inputs.reduce(0) { $0 + $1.shape[axis] }
        let out = ArrayValue(uninitialized: shape, dtype: inputs[0].dtype)
        let strides = StridedCopy.contiguousStrides(shape)
        var start = 0
        for x in inputs {
            StridedCopy.scatter(x, into: out, strides: strides, offset: start * strides[axis])
            start += x.shape[axis]
        }
        return [out]
    }

    /// Transposed by slicing the cotangent into the operands' extents.
    func transpose(_ cotangent: Tensor, _ primals: [Tensor]) -> [Tensor?] {
        var start = 0
        return primals.map { x in
            defer { start += x.shape[axis] }
            return cotangent.sliced(axis: axis, start: start, end: start + x.shape[axis])
        }
    }

    func shifted() -> Concatenate { Concatenate(axis: axis + 1) }
}
