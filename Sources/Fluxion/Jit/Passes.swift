/// The optimization passes of `jit`, each a function from program to program.
enum Passes {
    /// The standard pipeline.
    static func optimize(_ p: Program) -> Program {
        fuseElementwise(deadCodeElimination(commonSubexpressions(simplify(constantFolding(p)))))
    }

    /// Evaluates equations whose inputs are all constants, replacing their outputs by constants.
    static func constantFolding(_ p: Program) -> Program {
        var known: [Int: Tensor] = [:]
        var out = p
        out.equations = []
        for var e in p.equations {
            e.inputs = e.inputs.map { o in o.variable.flatMap { known[$0] }.map { .constant($0) } ?? o }
            let constants = e.inputs.compactMap { o -> Tensor? in if case .constant(let t) = o, t.isConcrete { return t }; return nil }
            if constants.count == e.inputs.count && !(e.primitive is RandomBits) {
                let values = bindExistential(e.primitive, constants)
                for (v, t) in zip(e.outputs, values) { known[v] = t }
            } else {
                out.equations.append(e)
            }
        }
        out.outputs = p.outputs.map { o in o.variable.flatMap { known[$0] }.map { .constant($0) } ?? o }
        return out
    }

    /// Applies the rewrite rules of ``RewriteRules`` until none matches: each replaces an
    /// equation's single output by one of its operands.
    static func simplify(_ p: Program) -> Program {
        var replacement: [Int: Program.Operand] = [:]
        var out = p
        out.equations = []
        for var e in p.equations {
            e.inputs = e.inputs.map { o in o.variable.flatMap { replacement[$0] } ?? o }
            if e.outputs.count == 1, let r = RewriteRules.apply(e, types: p.types) {
                replacement[e.outputs[0]] = r
            } else {
                out.equations.append(e)
            }
        }
        out.outputs = p.outputs.map { o in o.variable.flatMap { replacement[$0] } ?? o }
        return out
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
            case constant(ObjectIdentifier?, Int)   // the constant's buffer, or its position if traced
        }
        func key(_ o: Program.Operand, _ position: Int) -> OperandKey {
            switch o {
            case .variable(let v): return .variable(v)
            case .constant(let t):
                if case .concrete(let a) = t.storage { return .constant(ObjectIdentifier(a.buffer), 0) }
                return .constant(nil, position)
            }
        }
        var seen: [Key: [Int]] = [:]
        var replacement: [Int: Int] = [:]
        var out = p
        out.equations = []
        for (i, var e) in p.equations.enumerated() {
            e.inputs = e.inputs.map { o in o.variable.flatMap { replacement[$0] }.map { .variable($0) } ?? o }
            let k = Key(primitive: AnyHashable(e.primitive), operands: e.inputs.map { key($0, i) })
            if let earlier = seen[k] {
                for (a, b) in zip(e.outputs, earlier) { replacement[a] = b }
            } else {
                seen[k] = e.outputs
                out.equations.append(e)
            }
        }
        out.outputs = p.outputs.map { o in o.variable.flatMap { replacement[$0] }.map { .variable($0) } ?? o }
        return out
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
