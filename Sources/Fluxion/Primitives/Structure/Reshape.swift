/// The same elements in row-major order under another shape of equal element count.
struct Reshape: LinearPrimitive {
    let shape: [Int]
    var name: String { "reshape" }
    var rewriteRules: [RewriteRule] { [.identity(keep: 0)] }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        guard inputs[0].count == shape.reduce(1, *), shape.allSatisfy({ $0 >= 0 }) else {
            shapeFailure(name, "cannot reshape \(inputs[0].shape) (\(inputs[0].count) elements) to \(shape)")
        }
        return [TensorType(shape: shape, dtype: inputs[0].dtype)]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] { [inputs[0].reshaped(shape)] }

    func transpose(_ cotangent: Tensor, _ primals: [Tensor]) -> [Tensor?] { [cotangent.reshaped(to: primals[0].shape)] }

    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        ([bind1(Reshape(shape: [size] + shape), Batching.toFront(inputs[0], dims[0], size: size))], [0])
    }
}
