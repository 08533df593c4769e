/// Reverse mode: records every primitive applied to its tracers on a tape, then walks the tape
/// backwards applying each primitive's reverse rule.
///
/// The tape stores the primal inputs and outputs of each step as tensors of the levels below, so
/// the backward pass is made of ordinary primitives: under an outer transform it is itself traced,
/// which is how derivatives of derivatives work.
final class VJPInterpreter: Interpreter, @unchecked Sendable {
    let level: Int
    let transformName: String

    init(level: Int, transformName: String = "grad") {
        self.level = level
        self.transformName = transformName
    }

    final class VJPTracer: Tracer, @unchecked Sendable {
        let primal: Tensor
        let id: Int
        init(_ interpreter: VJPInterpreter, primal: Tensor, id: Int) {
            self.primal = primal
            self.id = id
            super.init(interpreter: interpreter, type: primal.type)
        }
        override var knownValue: Tensor? { primal }
    }

    /// One recorded application of a primitive.
    struct Step {
        let primitive: any Primitive
        let primals: [Tensor]
        let outputs: [Tensor]
        let inputIDs: [Int?]
        let outputIDs: [Int?]
    }

    private(set) var steps: [Step] = []
    private var nextID = 0

    /// A new tracer for an input of the function being differentiated.
    func newInput(_ primal: Tensor) -> Tensor {
        defer { nextID += 1 }
        return Tensor(tracer: VJPTracer(self, primal: primal, id: nextID))
    }

    /// The tape identifier of a tensor, when it is one of this interpreter's tracers.
    func id(of x: Tensor) -> Int? {
        if case .traced(let t) = x.storage, t.interpreter === self, let v = t as? VJPTracer { return v.id }
        return nil
    }

    func primal(of x: Tensor) -> Tensor {
        if case .traced(let t) = x.storage, t.interpreter === self, let v = t as? VJPTracer { return v.primal }
        return x
    }

    func process<P: Primitive>(_ primitive: P, _ inputs: [Tensor]) -> [Tensor] {
        let ids = inputs.map(id(of:))
        let primals = inputs.map(primal(of:))
        let outputs = bind(primitive, primals)
        if ids.allSatisfy({ $0 == nil }) { return outputs }
        var outputIDs: [Int?] = []
        let results = outputs.map { out -> Tensor in
            // Integer and bool results carry no derivative: they leave the tape.
            guard out.dtype.isInexact else { outputIDs.append(nil); return out }
            outputIDs.append(nextID)
            defer { nextID += 1 }
            return Tensor(tracer: VJPTracer(self, primal: out, id: nextID))
        }
        steps.append(Step(primitive: primitive, primals: primals, outputs: outputs, inputIDs: ids, outputIDs: outputIDs))
        return results
    }

    /// Propagates cotangents from `seeds` (tape identifier to cotangent) back to every identifier.
    func backward(_ seeds: [Int: Tensor]) -> [Int: Tensor] {
        var cotangents = seeds
        for step in steps.reversed() {
            let outCTs = step.outputIDs.map { $0.flatMap { cotangents[$0] } }
            if outCTs.allSatisfy({ $0 == nil }) { continue }
            let inCTs = step.primitive.vjp(step.primals, step.outputs, outCTs)
            for (k, id) in step.inputIDs.enumerated() {
                guard let id, let ct = inCTs[k] else { continue }
                let matched = matchingDType(ct, step.primals[k])
                precondition(matched.shape == step.primals[k].shape,
                             "\(step.primitive.name): reverse rule gave a cotangent of shape \(matched.shape) for an input of shape \(step.primals[k].shape)")
                cotangents[id] = cotangents[id].map { $0 + matched } ?? matched
            }
        }
        return cotangents
    }
}

/// The level a new transform gets: above every active transform and every tracer it is given.
func newLevel(_ inputs: [Tensor]) -> Int {
    var level = TraceStack.depth
    for x in inputs {
        if case .traced(let t) = x.storage { level = Swift.max(level, t.interpreter.level) }
    }
    return level + 1
}

/// The transpose of a linear map given as a function of tangents: runs `map` on tape tracers
/// standing for the tangents of the inexact `primals`, then pulls `cotangents` back through it.
func transposeLinearMap(primals: [Tensor], cotangents: [Tensor?], _ map: ([Tensor?]) -> [Tensor?]) -> [Tensor?] {
    let tape = VJPInterpreter(level: newLevel(primals + cotangents.compactMap { $0 }), transformName: "transpose")
    let inputs: [Tensor?] = primals.map { $0.dtype.isInexact ? tape.newInput(Tensor.zeros(like: $0)) : nil }
    let outs = TraceStack.$depth.withValue(tape.level) { map(inputs) }
    var seeds: [Int: Tensor] = [:]
    for (out, ct) in zip(outs, cotangents) {
        guard let out, let ct, let id = tape.id(of: out) else { continue }
        seeds[id] = seeds[id].map { $0 + ct } ?? ct
    }
    let result = tape.backward(seeds)
    return inputs.map { input in input.flatMap { tape.id(of: $0) }.flatMap { result[$0] } }
}
