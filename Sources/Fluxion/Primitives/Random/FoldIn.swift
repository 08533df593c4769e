/// A new key that mixes an integer into a key: inputs are the key (int64 `[2]`) and the value (an
/// int32 or int64 scalar); the output is the new key. A primitive, so that the value may be traced
/// (a step counter inside `jit`, an example index under `vmap`).
struct FoldIn: Primitive, NonDifferentiable {
    var name: String { "fold_in" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        guard inputs.count == 2, inputs[0].shape == [2], inputs[0].dtype == .int64 else {
            shapeFailure(name, "expects a key of type int64[2], got \(inputs.first.map { "\($0)" } ?? "nothing")")
        }
        guard inputs[1].shape.isEmpty, inputs[1].dtype.isInteger else {
            shapeFailure(name, "expects an integer scalar to fold in, got \(inputs[1])")
        }
        return [inputs[0]]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        let k = inputs[0].elements(as: Int64.self)
        let v = UInt64(bitPattern: inputs[1].dtype == .int32 ? Int64(inputs[1].elements(as: Int32.self)[0])
                                                               : inputs[1].elements(as: Int64.self)[0])
        // Counters 0, 1, … serve split; fold-in hashes a counter whose high word is a fixed tag instead.
        let (k0, k1) = (UInt32(truncatingIfNeeded: k[0]), UInt32(truncatingIfNeeded: k[1]))
        let (a, _) = Threefry.hash(k0, k1, 0x9E37_79B9, UInt32(truncatingIfNeeded: v >> 32))
        let (y0, y1) = Threefry.hash(k0, k1, a, UInt32(truncatingIfNeeded: v))
        return [ArrayValue([Int64(y0), Int64(y1)], shape: [2])]
    }

    /// Each example's key and value give their own key: applied per example.
    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        Batching.byLooping(self, inputs, dims, size: size)
    }
}
