/// Forward mode: each tracer carries a primal value and its tangent (nil for a symbolic zero).
final class JVPInterpreter: Interpreter, @unchecked Sendable {
    let level: Int
    var transformName: String { "jvp" }

    init(level: Int) { self.level = level }

    final class JVPTracer: Tracer, @unchecked Sendable {
        let primal: Tensor
        let tangent: Tensor?
        init(_ interpreter: JVPInterpreter, primal: Tensor, tangent: Tensor?) {
            self.primal = primal
            self.tangent = tangent
            super.init(interpreter: interpreter, type: primal.type)
        }
        override var knownValue: Tensor? { primal }
    }

    /// The primal and tangent of a tensor as this interpreter sees it: its own tracers are unwrapped;
    /// anything else is a constant with a zero tangent.
    func unwrap(_ x: Tensor) -> (Tensor, Tensor?) {
        if case .traced(let t) = x.storage, t.interpreter === self, let j = t as? JVPTracer { return (j.primal, j.tangent) }
        return (x, nil)
    }

    func wrap(_ primal: Tensor, _ tangent: Tensor?) -> Tensor {
        guard let tangent else { return primal }
        precondition(tangent.shape == primal.shape,
                     "jvp: a rule produced a tangent of shape \(tangent.shape) for a value of shape \(primal.shape)")
        return Tensor(tracer: JVPTracer(self, primal: primal, tangent: matchingDType(tangent, primal)))
    }

    func process<P: Primitive>(_ primitive: P, _ inputs: [Tensor]) -> [Tensor] {
        let unwrapped = inputs.map(unwrap)
        let primals = unwrapped.map { $0.0 }, tangents = unwrapped.map { $0.1 }
        let outputs = bind(primitive, primals)
        if tangents.allSatisfy({ $0 == nil }) { return outputs }
        let outTangents = primitive.jvp(primals, tangents, outputs)
        return zip(outputs, outTangents).map { $1 == nil || !$0.dtype.isInexact ? $0 : wrap($0, $1) }
    }
}
