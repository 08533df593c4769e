/// Batching: each tracer carries a value with one extra axis, the batch axis, at a known position.
/// Primitives apply once to the whole batch through their batching rules.
final class BatchInterpreter: Interpreter, @unchecked Sendable {
    let level: Int
    let size: Int
    var transformName: String { "vmap" }

    init(level: Int, size: Int) {
        self.level = level
        self.size = size
    }

    final class BatchTracer: Tracer, @unchecked Sendable {
        let value: Tensor
        let dim: Int
        init(_ interpreter: BatchInterpreter, value: Tensor, dim: Int) {
            self.value = value
            self.dim = dim
            var shape = value.shape
            shape.remove(at: dim)
            super.init(interpreter: interpreter, type: TensorType(shape: shape, dtype: value.dtype))
        }
    }

    func unwrap(_ x: Tensor) -> (Tensor, Int?) {
        if case .traced(let t) = x.storage, t.interpreter === self, let b = t as? BatchTracer { return (b.value, b.dim) }
        return (x, nil)
    }

    func wrap(_ value: Tensor, _ dim: Int?) -> Tensor {
        guard let dim else { return value }
        precondition(value.shape[dim] == size, "vmap: a batching rule produced batch axis \(dim) of extent \(value.shape[dim]) in \(value.shape), expected \(size)")
        return Tensor(tracer: BatchTracer(self, value: value, dim: dim))
    }

    func process<P: Primitive>(_ primitive: P, _ inputs: [Tensor]) -> [Tensor] {
        let unwrapped = inputs.map(unwrap)
        let values = unwrapped.map(\.0), dims = unwrapped.map(\.1)
        if dims.allSatisfy({ $0 == nil }) { return bind(primitive, values) }
        let (outputs, outDims) = primitive.batch(values, dims, size: size)
        return zip(outputs, outDims).map { wrap($0, $1) }
    }
}
