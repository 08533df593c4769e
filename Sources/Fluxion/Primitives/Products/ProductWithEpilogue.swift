import FluxionKernels

/// A product whose result is used only by a fused elementwise chain (a dense layer's bias and
/// activation, `tanh(x·W + b)`; a backward layer's `(1 − t²)·(ȳ·Wᵀ)`): the chain runs as the
/// product's epilogue, on each group of rows the product kernel has just finished, while they are in
/// cache, instead of in a pass of its own over the whole result once it has left the cache. The
/// product's result is not kept. Made by `jit`'s passes only (printed `dot_general→fused[…]`); its
/// rules run the two equations it replaced.
struct ProductWithEpilogue: Primitive, ReplacesEquations {
    let product: DotGeneral
    let chain: FusedElementwise
    /// The chain input that is the product's result. The primitive's inputs are the product's two
    /// operands, then the chain's other inputs in order.
    let productInput: Int
    let original: ProgramBox

    var name: String { "dot_general→" + chain.name }
    static var isFoldable: Bool { false }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        chain.outputShapes.map { TensorType(shape: $0, dtype: .float64) }
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        let outputs = chain.outputShapes.map { ArrayValue(uninitialized: $0, dtype: .float64) }
        // The product's result, laid out as the chain reads it; the chain's pointers made once.
        let result = ArrayValue(uninitialized: chain.inputShapes[productInput], dtype: .float64)
        var chainInputs = Array(inputs.dropFirst(2))
        chainInputs.insert(result, at: productInput)
        let count = result.count
        chain.withPointers(chainInputs, outputs) { plan, ins, outs in
            let pointers = UncheckedSendable((ins, outs))
            _ = product.evaluate(Array(inputs.prefix(2)), into: result, epilogue: { elements in
                // The whole result at once (a product that ran on one thread, or in halves of its
                // contraction) comes on the calling thread: the chain then splits over the threads.
                if elements.count == count {
                    plan.run(inputs: pointers.value.0, outputs: pointers.value.1, count: count)
                } else {
                    plan.run(inputs: pointers.value.0, outputs: pointers.value.1, range: elements)
                }
            })
        }
        return outputs
    }
}
