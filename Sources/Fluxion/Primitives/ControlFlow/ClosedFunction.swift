import Synchronization

/// A staged, closed function of tensors: a typed ``Program`` that captures no tracer, held by the
/// primitives that call sub-programs (`call`, and the bodies of `cond`, `whileLoop`, `scan`,
/// `checkpoint`). Its output types are read from the program, never re-staged. The functions
/// derived from it for the transforms (forward mode, the pullback, the batched body) are staged
/// once, on first use, and kept.
final class ClosedFunction: Hashable, @unchecked Sendable {
    let program: Program
    let inputTypes: [TensorType]
    let outputTypes: [TensorType]
    /// Derived functions by key, each with the partner it was derived with (kept alive, so that its
    /// identity in the key is never reused).
    private let derived = Mutex<[String: (function: ClosedFunction, partner: ClosedFunction?)]>([:])
    private let planned = Mutex<ExecutionPlan?>(nil)

    /// Wraps an optimized program that captures no tracer.
    init(optimized program: Program) {
        self.program = program
        inputTypes = program.inputs.map { program.types[$0] }
        outputTypes = program.outputTypes
    }

    /// Stages `f` on inputs of the given types and optimizes it. `f` must not capture tracers (it
    /// is a rule built from other closed functions); use ``closureConvert(_:_:)`` for user code.
    static func stage(_ types: [TensorType], _ f: ([Tensor]) -> [Tensor]) -> ClosedFunction {
        ClosedFunction(optimized: Passes.optimize(StagingInterpreter.stage(types, f)))
    }

    static func == (a: ClosedFunction, b: ClosedFunction) -> Bool { a === b }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    /// Applies the function by binding its equations, so that it works under every transform.
    func apply(_ inputs: [Tensor]) -> [Tensor] {
        if inputs.allSatisfy({ if case .concrete = $0.storage { true } else { false } }), let plan = plan() {
            return plan.run(inputs)
        }
        return interpret(program, inputs)
    }

    /// The execution plan, made on first use.
    private func plan() -> ExecutionPlan? {
        planned.withLock { p in
            if p == nil { p = ExecutionPlan(program) }
            return p
        }
    }

    /// A function derived from this one, made on first use under `key` and kept. With `partner`, the
    /// function is derived from the pair (a loop's condition and body), and kept per partner.
    func derived(_ key: String, with partner: ClosedFunction? = nil, _ make: () -> ClosedFunction) -> ClosedFunction {
        let fullKey = partner.map { "\(key) with \(ObjectIdentifier($0))" } ?? key
        if let d = derived.withLock({ $0[fullKey]?.function }) { return d }
        let d = make()
        return derived.withLock { cache in
            if let existing = cache[fullKey] { return existing.function }
            cache[fullKey] = (d, partner)
            return d
        }
    }

    /// Where an output of a rewired function comes from: an output of the original, or an input of
    /// the rewired function passed through.
    enum Source {
        case output(Int)
        case input(Int)
    }

    /// Every output of the original, in order.
    var allOutputs: [Source] { outputTypes.indices.map { .output($0) } }

    /// The same program with its inputs and outputs rearranged, without staging anything: the new
    /// function takes inputs of `types`, of which input `feeding[i]` is the original's input `i`
    /// (the others are unused), and returns `outputs`.
    func rewired(inputTypes types: [TensorType], feeding: [Int], outputs: [Source]) -> ClosedFunction {
        var p = program
        var variables = [Int?](repeating: nil, count: types.count)
        for (i, j) in feeding.enumerated() {
            precondition(variables[j] == nil && types[j] == inputTypes[i], "rewired: input \(j) fed twice or retyped")
            variables[j] = program.inputs[i]
        }
        p.inputs = variables.enumerated().map { j, v in
            if let v { return v }
            p.types.append(types[j])
            return p.types.count - 1
        }
        p.outputs = outputs.map { source in
            switch source {
            case .output(let k): program.outputs[k]
            case .input(let j): .variable(p.inputs[j])
            }
        }
        return ClosedFunction(optimized: p)
    }

    /// Forward mode: `(x, ẋ) -> (y, ẏ)`.
    var forward: ClosedFunction {
        derived("jvp") {
            let n = inputTypes.count
            return .stage(inputTypes + inputTypes) { args in
                let (x, t) = split(args, at: n)
                let (y, ty) = forwardMode(self.apply, at: x, tangents: t, transform: "jvp")
                return y + ty
            }
        }
    }

    /// Reverse mode: `(x, ȳ) -> x̄`, recomputing the forward values (integer and bool inputs get
    /// zero cotangents).
    var pullback: ClosedFunction {
        derived("vjp") {
            let n = inputTypes.count
            return .stage(inputTypes + outputTypes) { args in
                let (x, ct) = split(args, at: n)
                return pullbackOfInexact(self.apply, at: x, ct)
            }
        }
    }

    /// The function mapped over a leading batch axis of `size` on every input and output.
    func batched(size: Int) -> ClosedFunction {
        derived("batched \(size)") {
            .stage(inputTypes.map { TensorType(shape: [size] + $0.shape, dtype: $0.dtype) }) { args in
                vmap({ (a: [Tensor]) in self.apply(a) })(args)
            }
        }
    }
}
