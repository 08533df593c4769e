/// A function whose intermediate values are not kept for reverse mode: the backward pass runs it
/// again. Trades compute for memory (JAX's `checkpoint`/`remat`).
struct Checkpoint: Primitive {
    let function: ClosedFunction
    var name: String { "checkpoint" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        guard inputs == function.inputTypes else {
            shapeFailure(name, "the function takes \(function.inputTypes), got \(inputs)")
        }
        return function.outputTypes
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        function.apply(inputs.map { Tensor(array: $0) }).map { $0.concrete(for: name) }
    }

    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        forwardMode(function.apply, at: primals, tangents: filledZeros(tangents, like: primals), transform: "jvp").tangents
    }

    /// Recomputes the function under a fresh tape and pulls the cotangents back through it.
    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        pullbackOfInexact(function.apply, at: primals, filledZeros(cotangents, like: outputs))
    }


    /// Taylor mode runs the function itself (forward mode keeps nothing for later).
    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        taylorMode(function.apply, at: primals, series: series, order: Taylor.order(series)).series
    }
    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        let args = zip(inputs, dims).map { Batching.toFront($0, $1, size: size) }
        let out = bind(Checkpoint(function: function.batched(size: size)), args)
        return (out, out.map { _ in 0 })
    }
}
