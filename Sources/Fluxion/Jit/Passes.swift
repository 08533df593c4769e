/// The optimization passes of `jit`, each a function from program to program.
enum Passes {
    /// The standard pipeline. With `splitting`, a program of row-by-row work over a long batch axis
    /// is split into blocks of rows (``splitBatch(_:)``); a block's own program is not split again.
    static func optimize(_ p: Program, splitting: Bool = true) -> Program {
        let simplified = deadCodeElimination(commonSubexpressions(sinkTransposes(collapseReshapes(simplify(
            eliminateIdentityProducts(constantFolding(inlineCalls(p))))))))
        return fuseProductEpilogues(fuseElementwise(scheduleElementwiseTail(splitting ? splitBatch(simplified) : simplified)))
    }

    /// A reshape of a reshape reads the first one's operand instead (the middle one is then dead),
    /// and a reshape back to its operand's shape is the operand. Chains of reshapes come from
    /// transforms that add and remove axes (a batch axis, the direction axis of Taylor mode).
    static func collapseReshapes(_ p: Program) -> Program {
        var source: [Int: Program.Operand] = [:]        // a reshape's output -> its chain's first operand
        var replacement: [Int: Program.Operand] = [:]
        func resolve(_ o: Program.Operand) -> Program.Operand { o.variable.flatMap { replacement[$0] } ?? o }
        var out = p
        out.equations = []
        for var e in p.equations {
            e.inputs = e.inputs.map(resolve)
            if let reshape = e.primitive as? Reshape, case .variable(let v) = e.inputs[0] {
                let operand = source[v] ?? e.inputs[0]
                if operand.type(in: p.types).shape == reshape.shape {
                    replacement[e.outputs[0]] = operand
                    continue
                }
                e.inputs[0] = operand
                source[e.outputs[0]] = operand
            }
            out.equations.append(e)
        }
        out.outputs = p.outputs.map(resolve)
        return out
    }

    /// The walk the forward passes share: each equation, with earlier replacements substituted into
    /// its operands, either stays, or `replace` gives the operands that stand for its outputs (and
    /// the equation is dropped). Program outputs are substituted last.
    private static func substituting(_ p: Program, _ replace: (Program.Equation, Int) -> [Program.Operand]?) -> Program {
        var replacement: [Int: Program.Operand] = [:]
        func resolve(_ o: Program.Operand) -> Program.Operand { o.variable.flatMap { replacement[$0] } ?? o }
        var out = p
        out.equations = []
        for (i, var e) in p.equations.enumerated() {
            e.inputs = e.inputs.map(resolve)
            if let r = replace(e, i) {
                for (v, o) in zip(e.outputs, r) { replacement[v] = o }
            } else {
                out.equations.append(e)
            }
        }
        out.outputs = p.outputs.map(resolve)
        return out
    }

    /// Replaces each `call` of a sub-program (a jitted function called inside `jit`) by the
    /// sub-program's equations, so the passes see through the call.
    static func inlineCalls(_ p: Program) -> Program {
        guard p.equations.contains(where: { $0.primitive is Call }) else { return p }
        var out = p
        out.equations = []
        // The outer program's call outputs, replaced by the callee's results.
        var alias: [Int: Program.Operand] = [:]
        func resolve(_ o: Program.Operand) -> Program.Operand { o.variable.flatMap { alias[$0] } ?? o }
        for var e in p.equations {
            e.inputs = e.inputs.map(resolve)
            guard let call = e.primitive as? Call else { out.equations.append(e); continue }
            let callee = inlineCalls(call.function.program)
            // The callee's variables get fresh numbers; its inputs stand for the call's operands.
            var renamed: [Int: Program.Operand] = [:]
            for (v, o) in zip(callee.inputs, e.inputs) { renamed[v] = o }
            func operand(_ o: Program.Operand) -> Program.Operand { o.variable.flatMap { renamed[$0] } ?? o }
            for ce in callee.equations {
                let outs = ce.outputs.map { v -> Int in
                    out.types.append(callee.types[v])
                    renamed[v] = .variable(out.types.count - 1)
                    return out.types.count - 1
                }
                out.equations.append(.init(primitive: ce.primitive, inputs: ce.inputs.map(operand), outputs: outs))
            }
            for (v, o) in zip(e.outputs, callee.outputs) { alias[v] = operand(o) }
        }
        out.outputs = p.outputs.map(resolve)
        return out
    }

    /// Evaluates equations whose inputs are all constants, replacing their outputs by constants.
    static func constantFolding(_ p: Program) -> Program {
        substituting(p) { e, _ in
            let constants = e.inputs.compactMap { o -> Tensor? in if case .constant(let t) = o, t.isConcrete { return t }; return nil }
            guard constants.count == e.inputs.count && type(of: e.primitive).isFoldable else { return nil }
            return bindExistential(e.primitive, constants).map { .constant($0) }
        }
    }

    /// Applies the rewrite rules of ``RewriteRules``: each replaces an equation's single output by
    /// one of its operands.
    static func simplify(_ p: Program) -> Program {
        substituting(p) { e, _ in
            guard e.outputs.count == 1, let r = RewriteRules.apply(e, types: p.types) else { return nil }
            return [r]
        }
    }

    /// Reuses the outputs of an earlier equation with the same primitive (same parameters) and the
    /// same operands.
    static func commonSubexpressions(_ p: Program) -> Program {
        struct Key: Hashable {
            let primitive: AnyHashable
            let operands: [OperandKey]
        }
        enum OperandKey: Hashable {
            case variable(Int)
            /// A small constant, by value: equal constants made separately are one.
            case value([UInt8], [Int], DType)
            /// A larger constant, by its buffer and type (a reshaped constant shares its buffer).
            case buffer(ObjectIdentifier, [Int], DType)
            /// A traced constant, by the equation's position (never merged).
            case traced(Int)
        }
        func key(_ o: Program.Operand, _ position: Int) -> OperandKey {
            switch o {
            case .variable(let v): return .variable(v)
            case .constant(let t):
                guard case .concrete(let a) = t.storage else { return .traced(position) }
                if t.count <= 64 {
                    let bytes = Array(UnsafeRawBufferPointer(start: a.buffer.raw, count: t.count * a.dtype.byteSize))
                    return .value(bytes, a.shape, a.dtype)
                }
                return .buffer(ObjectIdentifier(a.buffer), a.shape, a.dtype)
            }
        }
        var seen: [Key: [Int]] = [:]
        return substituting(p) { e, i in
            let k = Key(primitive: AnyHashable(e.primitive), operands: e.inputs.map { key($0, i) })
            if let earlier = seen[k] { return earlier.map { .variable($0) } }
            seen[k] = e.outputs
            return nil
        }
    }

    /// Removes equations none of whose outputs is used (primitives have no side effects).
    static func deadCodeElimination(_ p: Program) -> Program {
        var live = Set(p.outputs.compactMap(\.variable))
        var kept: [Program.Equation] = []
        for e in p.equations.reversed() where e.outputs.contains(where: live.contains) {
            kept.append(e)
            live.formUnion(e.inputs.compactMap(\.variable))
        }
        var out = p
        out.equations = kept.reversed()
        return out
    }
}

/// Binds a primitive held as an existential.
func bindExistential(_ p: any Primitive, _ inputs: [Tensor]) -> [Tensor] {
    func open<P: Primitive>(_ p: P) -> [Tensor] { bind(p, inputs) }
    return open(p)
}
