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

extension Passes {
    /// Epilogue fusion: a fused chain that reads a product's result (directly or through
    /// reshapes), where nothing else reads it, becomes one ``ProductWithEpilogue`` equation at the
    /// chain's place. The chain must read the result element for element (its full layout).
    static func fuseProductEpilogues(_ p: Program) -> Program {
        var producer: [Int: Int] = [:], uses: [Int: Int] = [:]
        for (i, e) in p.equations.enumerated() {
            for v in e.outputs { producer[v] = i }
            for o in e.inputs { if let v = o.variable { uses[v, default: 0] += 1 } }
        }
        for o in p.outputs { if let v = o.variable { uses[v, default: 0] += 1 } }
        var removed: Set<Int> = [], replaced: [Int: Program.Equation] = [:]
        var out = p
        for (i, e) in p.equations.enumerated() {
            guard let chain = e.primitive as? FusedElementwise else { continue }
            let count = chain.shape.reduce(1, *)
            for (position, operand) in e.inputs.enumerated() {
                guard case .variable(var v) = operand, uses[v] == 1, chain.inputShapes[position].reduce(1, *) == count else { continue }
                // Through reshapes (the same elements in the same order) read only here.
                var between: [Int] = []
                while let j = producer[v], p.equations[j].primitive is Reshape, case .variable(let w) = p.equations[j].inputs[0],
                      uses[w] == 1 {
                    between.append(j)
                    v = w
                }
                guard let d = producer[v], p.equations[d].primitive is DotGeneral, p.types[v].dtype == .float64 else { continue }
                let productEquation = p.equations[d]
                let inputs = productEquation.inputs + e.inputs.enumerated().filter { $0.offset != position }.map(\.element)
                // The replaced equations as a program over fresh variables, one per input.
                var types = out.types
                let fresh = inputs.map { o -> Int in types.append(o.type(in: p.types)); return types.count - 1 }
                var first = productEquation, last = e
                first.inputs = [.variable(fresh[0]), .variable(fresh[1])]
                var k = 2
                for q in last.inputs.indices where q != position {
                    last.inputs[q] = .variable(fresh[k])
                    k += 1
                }
                let equations = [first] + between.reversed().map { p.equations[$0] } + [last]
                out.types = types
                let original = Program(types: types, inputs: fresh, equations: equations, outputs: e.outputs.map { .variable($0) })
                let fused = ProductWithEpilogue(product: productEquation.primitive as! DotGeneral, chain: chain, productInput: position,
                                                original: ProgramBox(original))
                replaced[i] = .init(primitive: fused, inputs: inputs, outputs: e.outputs)
                removed.formUnion(between + [d])
                break
            }
        }
        guard !replaced.isEmpty else { return p }
        out.equations = p.equations.enumerated().compactMap { i, e in removed.contains(i) ? nil : replaced[i] ?? e }
        return out
    }
}
