/// Elementwise fusion: runs of consecutive elementwise float64 equations producing one element
/// count are replaced by one ``FusedElementwise`` equation. Operands have that many elements (in any
/// shape that broadcasts, such as `[n, 1, m]` against `[n, m]`: the same layout), are scalars, or
/// broadcast to the chain's shape (a bias `[m]` against `[n, m]`: the loop gathers its elements for
/// each block); a value of the run that is used later, or returned, becomes an
/// output of the fused equation, in its own shape. Chains of single elements (the coefficients of a
/// scalar Taylor series) are fused from four operations on.
extension Passes {
    static func fuseElementwise(_ p: Program) -> Program {
        var out = p
        out.equations = []
        var run: [Program.Equation] = []
        var runPositions: Set<Int> = []
        // Reshapes of the run's values met inside it: emitted after the fused equation, so that a
        // reshape between two elementwise equations does not end their run.
        var deferred: [Program.Equation] = []
        var deferredOutputs: Set<Int> = []
        var runShape: [Int]?
        var runBroadcasts = false       // an operand of the run broadcasts: the run keeps its shape

        func opcode(_ e: Program.Equation) -> FusedLoop.Op? { e.primitive.fusedOperation }
        func fusible(_ e: Program.Equation) -> ElementwiseClass? { ElementwiseClass(e, in: p) }
        func joins(_ f: ElementwiseClass) -> Bool {
            guard let shape = runShape else { return true }
            return f.joins(shape: shape, broadcasting: runBroadcasts)
        }

        // Which equations (by position) use each variable, to tell a run's outputs from its temporaries.
        var users: [Int: [Int]] = [:]
        for (i, e) in p.equations.enumerated() { for v in e.inputs.compactMap(\.variable) { users[v, default: []].append(i) } }
        let programOutputs = Set(p.outputs.compactMap(\.variable))

        func flush() {
            defer {
                out.equations += deferred
                run = []; runPositions = []; deferred = []; deferredOutputs = []; runShape = nil; runBroadcasts = false
            }
            guard let shape = runShape, run.count >= (shape.reduce(1, *) == 1 ? 4 : 2) else { out.equations += run; return }
            let produced = Dictionary(uniqueKeysWithValues: run.enumerated().map { ($0.element.outputs[0], $0.offset) })
            var inputs: [Program.Operand] = [], inputIndex: [Int: Int] = [:]
            var instructions: [FusedLoop.Instruction] = []
            // The run as a sub-program: a constant array operand becomes a new input variable of it.
            var subTypes = p.types, subEquations: [Program.Equation] = [], subInputs: [Int] = []
            for e in run {
                var subEquation = e
                let refs = e.inputs.enumerated().map { position, o -> FusedLoop.Ref in
                    switch o {
                    case .variable(let v):
                        if let t = produced[v] { return .temporary(t) }
                        if let i = inputIndex[v] { return .input(i) }
                        inputIndex[v] = inputs.count
                        inputs.append(o)
                        subInputs.append(v)
                        return .input(inputs.count - 1)
                    case .constant(let c):
                        if c.count == 1, c.isConcrete { return .scalar(c.scalars(as: Double.self)[0]) }
                        subTypes.append(c.type)
                        subInputs.append(subTypes.count - 1)
                        subEquation.inputs[position] = .variable(subTypes.count - 1)
                        inputs.append(o)
                        return .input(inputs.count - 1)
                    }
                }
                subEquations.append(subEquation)
                instructions.append(.init(op: opcode(e)!, operands: refs))
            }
            // Outputs: values used after the run or returned by the program.
            let exported = run.enumerated().filter { _, e in
                let v = e.outputs[0]
                return programOutputs.contains(v) || (users[v] ?? []).contains { !runPositions.contains($0) }
            }
            let sub = Program(types: subTypes, inputs: subInputs, equations: subEquations,
                              outputs: exported.map { .variable($0.element.outputs[0]) })
            let fused = FusedElementwise(instructions: instructions, outputTemporaries: exported.map(\.offset), shape: shape,
                                         outputShapes: exported.map { p.types[$0.element.outputs[0]].shape },
                                         inputShapes: inputs.map { $0.type(in: p.types).shape },
                                         original: ProgramBox(sub))
            out.equations.append(.init(primitive: fused, inputs: inputs, outputs: exported.map { $0.element.outputs[0] }))
        }

        for (i, e) in p.equations.enumerated() {
            if !run.isEmpty, e.primitive is Reshape, let v = e.inputs[0].variable {
                // A reshape inside a run: of one of its values, after it; of an earlier value, before it.
                if run.contains(where: { $0.outputs[0] == v }) || deferredOutputs.contains(v) {
                    deferred.append(e)
                    deferredOutputs.formUnion(e.outputs)
                } else {
                    out.equations.append(e)
                }
                continue
            }
            let readsDeferred = e.inputs.contains { $0.variable.map(deferredOutputs.contains) ?? false }
            if !readsDeferred, let f = fusible(e), joins(f) {
                if runShape == nil || f.broadcasts { runShape = f.shape }
                runBroadcasts = runBroadcasts || f.broadcasts
                run.append(e)
                runPositions.insert(i)
            } else {
                flush()
                if let f = fusible(e) {
                    runShape = f.shape
                    runBroadcasts = f.broadcasts
                    run.append(e)
                    runPositions.insert(i)
                } else {
                    out.equations.append(e)
                }
            }
        }
        flush()
        return out
    }
}

/// What decides whether an elementwise equation can join a fused run: the shape of its one float64
/// output, and whether an operand broadcasts to it (which ties a run to that shape). Operands have
/// the output's element count (in any shape), one element, or broadcast to the output's shape.
struct ElementwiseClass {
    let shape: [Int]
    let broadcasts: Bool

    /// The class of a fusible equation of `p`, or nil when the equation cannot be fused.
    init?(_ e: Program.Equation, in p: Program) {
        guard e.primitive.fusedOperation != nil, e.outputs.count == 1 else { return nil }
        let t = p.types[e.outputs[0]]
        guard t.dtype == .float64 else { return nil }
        var broadcasts = false
        for o in e.inputs {
            let type = o.type(in: p.types)
            guard type.dtype == .float64 else { return nil }
            if type.count == t.count || type.count == 1 { continue }
            guard type.rank <= t.rank, Broadcasting.shape([type.shape, t.shape]) == t.shape else { return nil }
            broadcasts = true
        }
        (shape, self.broadcasts) = (t.shape, broadcasts)
    }

    var count: Int { shape.reduce(1, *) }

    /// Whether an equation of this class joins a run of `shape`: the same element count, and the
    /// run's own shape when an operand of either broadcasts.
    func joins(shape runShape: [Int], broadcasting runBroadcasts: Bool) -> Bool {
        if broadcasts || runBroadcasts { return shape == runShape }
        return count == runShape.reduce(1, *)
    }
}
