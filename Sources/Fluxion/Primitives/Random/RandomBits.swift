/// Random 32-bit words from a key: the key is an int64 tensor `[2]` holding two 32-bit halves; the
/// output is an int64 tensor of `shape` with values in `[0, 2³²)` (Threefry-2x32 in counter mode).
struct RandomBits: Primitive, NonDifferentiable {
    let shape: [Int]
    var name: String { "random_bits" }
    /// Random words are cheap to draw and large to store: never folded into a constant.
    static var isFoldable: Bool { false }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        guard inputs[0].shape == [2], inputs[0].dtype == .int64 else {
            shapeFailure(name, "expects a key of type int64[2], got \(inputs[0])")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else { shapeFailure(name, "negative extent in shape \(shape)") }
        return [TensorType(shape: shape, dtype: .int64)]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        let key = inputs[0].elements(as: Int64.self)
        let words = Threefry.bits(UInt32(truncatingIfNeeded: key[0]), UInt32(truncatingIfNeeded: key[1]),
                                  count: shape.reduce(1, *))
        return [ArrayValue(words.map { Int64($0) }, shape: shape)]
    }

    /// Each example's key gives its own stream: applied per example.
    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        Batching.byLooping(self, inputs, dims, size: size)
    }
}
