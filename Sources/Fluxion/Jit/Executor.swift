/// A program planned for execution: every variable gets a slot, constants are resolved to arrays,
/// and each step lists the slots whose last use it is. Releasing them right away returns their
/// buffers to the buffer cache, where the next result of the same size picks them up: buffer reuse
/// from a liveness analysis.
final class ExecutionPlan: @unchecked Sendable {
    enum Source {
        case slot(Int)
        case constant(ArrayValue)
    }

    /// A class, so that walking the steps retains one reference per step instead of copying four fields.
    final class Step {
        let primitive: any Primitive
        let inputs: [Source]
        let outputs: [Int]
        let release: [Int]
        /// The slot of the only output, when there is one (evaluated without a result array).
        let single: Int?
        init(primitive: any Primitive, inputs: [Source], outputs: [Int], release: [Int]) {
            self.primitive = primitive
            self.inputs = inputs
            self.outputs = outputs
            self.release = release
            single = outputs.count == 1 ? outputs[0] : nil
        }
    }

    let program: Program
    let inputSlots: [Int]
    let steps: [Step]
    let outputs: [Source]
    let slotCount: Int
    /// Whether the program transforms with FFTW: its plans are then made with measurement.
    let hasTransforms: Bool

    /// Plans `program`; nil when it captured a value that is not concrete (a tracer of an enclosing
    /// transform), which a cached plan must not hold. Slots are numbered densely over the variables
    /// the plan touches (the program's types also list variables that optimization removed), so a
    /// call allocates, fills and frees only as many slots as it uses.
    init?(_ program: Program) {
        self.program = program
        // Per-variable tables as arrays (variables are numbered densely by the program's types).
        let variableCount = program.types.count
        var slotOf = [Int](repeating: -1, count: variableCount)
        var slotCount = 0
        func slot(_ v: Int) -> Int {
            if slotOf[v] < 0 { slotOf[v] = slotCount; slotCount += 1 }
            return slotOf[v]
        }
        func source(_ o: Program.Operand) -> Source? {
            switch o {
            case .variable(let v): return .slot(slot(v))
            case .constant(let t):
                guard case .concrete(let a) = t.storage else { return nil }
                return .constant(a)
            }
        }
        let inputSlots = program.inputs.map(slot)
        var lastUse = [Int](repeating: -1, count: variableCount)
        for (i, e) in program.equations.enumerated() { for o in e.inputs { if let v = o.variable { lastUse[v] = i } } }
        var kept = [Bool](repeating: false, count: variableCount)
        for v in program.inputs { kept[v] = true }
        for o in program.outputs { if let v = o.variable { kept[v] = true } }
        var steps: [Step] = []
        steps.reserveCapacity(program.equations.count)
        var hasTransforms = false
        for (i, e) in program.equations.enumerated() {
            var inputs: [Source] = []
            var release: [Int] = []
            for o in e.inputs {
                guard let s = source(o) else { return nil }
                inputs.append(s)
                if let v = o.variable, lastUse[v] == i, !kept[v], case .slot(let r) = s, !release.contains(r) { release.append(r) }
            }
            steps.append(Step(primitive: e.primitive, inputs: inputs, outputs: e.outputs.map(slot), release: release))
            hasTransforms = hasTransforms || e.primitive is FourierTransform || e.primitive is RealToRealTransform
        }
        var outs: [Source] = []
        for o in program.outputs {
            guard let s = source(o) else { return nil }
            outs.append(s)
        }
        self.steps = steps
        self.hasTransforms = hasTransforms
        outputs = outs
        self.inputSlots = inputSlots
        self.slotCount = slotCount
    }

    /// Runs the plan on concrete tensors (FFT plans made with measurement, once per shape).
    func run(_ inputs: [Tensor]) -> [Tensor] {
        guard hasTransforms else { return runSteps(inputs) }
        return FFTWPlans.$compiledEffort.withValue(.measure) { runSteps(inputs) }
    }

    /// The steps in order over slots on the stack; each slot is emptied after its last use, so its
    /// buffer goes back for the next result.
    private func runSteps(_ inputs: [Tensor]) -> [Tensor] {
        withUnsafeTemporaryAllocation(of: ArrayValue?.self, capacity: slotCount) { slots in
            _ = slots.initialize(repeating: nil)
            defer { _ = slots.deinitialize() }
            for i in 0..<Swift.min(inputSlots.count, inputs.count) { slots[inputSlots[i]] = inputs[i].concrete(for: "call") }
            var args: [ArrayValue] = []
            args.reserveCapacity(4)
            for step in steps {
                args.removeAll(keepingCapacity: true)
                for source in step.inputs {
                    switch source {
                    case .slot(let s): args.append(slots[s].unsafelyUnwrapped)
                    case .constant(let a): args.append(a)
                    }
                }
                if let out = step.single {
                    slots[out] = step.primitive.evaluateSingle(args)
                } else {
                    let results = step.primitive.evaluate(args)
                    for k in 0..<results.count { slots[step.outputs[k]] = results[k] }
                }
                for slot in step.release { slots[slot] = nil }
            }
            return outputs.map { source in
                switch source {
                case .slot(let s): return Tensor(array: slots[s]!)
                case .constant(let a): return Tensor(array: a)
                }
            }
        }
    }
}
