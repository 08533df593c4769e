/// `select(c, a, b)`: `a` where the bool tensor `c` holds, `b` elsewhere, with NumPy broadcasting.
struct Select: ElementwiseBatching, PiecewiseLinear {
    var name: String { "where" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        guard inputs.count == 3 else { shapeFailure(name, "expects 3 operands, got \(inputs.count)") }
        let (c, a, b) = (inputs[0], inputs[1], inputs[2])
        guard c.dtype == .bool else { shapeFailure(name, "the condition must be bool, not \(c.dtype)") }
        guard a.dtype == b.dtype else { shapeFailure(name, "operand dtypes \(a.dtype) and \(b.dtype) differ") }
        guard let shape = Broadcasting.shape([c.shape, a.shape, b.shape]) else {
            shapeFailure(name, "shapes \(c.shape), \(a.shape) and \(b.shape) do not broadcast")
        }
        return [TensorType(shape: shape, dtype: a.dtype)]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        let (c, a, b) = (inputs[0], inputs[1], inputs[2])
        let shape = Broadcasting.shape([c.shape, a.shape, b.shape])!
        // Selection only moves bytes, so it is dispatched on the element size, not the dtype (a
        // complex128 element is two 8-byte words: the selection of a `[..., 2]` array of words).
        let out: ArrayValue
        switch a.dtype.byteSize {
        case 1: out = Map.select(c, a, b, shape, a.dtype, UInt8.self)
        case 4: out = Map.select(c, a, b, shape, a.dtype, UInt32.self)
        case 8: out = Map.select(c, a, b, shape, a.dtype, UInt64.self)
        default:
            let words = { (x: ArrayValue) in ArrayValue(buffer: x.buffer, shape: x.shape + [2], dtype: .float64) }
            let pair = Map.select(c.reshaped(c.shape + [1]), words(a), words(b), shape + [2], .float64, UInt64.self)
            out = ArrayValue(buffer: pair.buffer, shape: shape, dtype: a.dtype)
        }
        return [out]
    }

    /// Linear in the two branches; the condition routes tangents and cotangents.
    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        guard tangents[1] != nil || tangents[2] != nil else { return [nil] }
        let zero = Tensor.zeros(like: outputs[0])
        return [bind(self, [primals[0], tangents[1] ?? zero, tangents[2] ?? zero])[0]]
    }

    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        guard let ct = cotangents[0] else { return [nil, nil, nil] }
        let zero = Tensor.zeros(like: ct)
        return [nil, unbroadcast(bind(self, [primals[0], ct, zero])[0], to: primals[1].shape),
                unbroadcast(bind(self, [primals[0], zero, ct])[0], to: primals[2].shape)]
    }
}
