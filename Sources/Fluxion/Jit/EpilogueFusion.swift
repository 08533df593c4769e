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
