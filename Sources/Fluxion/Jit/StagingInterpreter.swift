/// Staging: tracers are variables of a ``Program`` under construction, and applying a primitive to
/// them appends an equation instead of computing. Values from outside (concrete tensors, tracers of
/// enclosing transforms) enter the program as constants.
final class StagingInterpreter: Interpreter, @unchecked Sendable {
    let level: Int
    var transformName: String { "jit" }
    private(set) var program = Program(types: [], inputs: [], equations: [], outputs: [])

    init(level: Int) { self.level = level }

    final class StagingTracer: Tracer, @unchecked Sendable {
        let variable: Int
        init(_ interpreter: StagingInterpreter, variable: Int, type: TensorType) {
            self.variable = variable
            super.init(interpreter: interpreter, type: type)
        }
    }

    private func newVariable(_ type: TensorType) -> Int {
        program.types.append(type)
        return program.types.count - 1
    }

    /// A program input of the given type.
    func newInput(_ type: TensorType) -> Tensor {
        let v = newVariable(type)
        program.inputs.append(v)
        return Tensor(tracer: StagingTracer(self, variable: v, type: type))
    }

    func operand(_ x: Tensor) -> Program.Operand {
        if case .traced(let t) = x.storage, t.interpreter === self, let s = t as? StagingTracer { return .variable(s.variable) }
        return .constant(x)
    }

    func process<P: Primitive>(_ primitive: P, _ inputs: [Tensor]) -> [Tensor] {
        let operands = inputs.map(operand)
        let outTypes = primitive.outputTypes(inputs.map(\.type))
        let outs = outTypes.map(newVariable)
        program.equations.append(.init(primitive: primitive, inputs: operands, outputs: outs))
        return zip(outs, outTypes).map { Tensor(tracer: StagingTracer(self, variable: $0, type: $1)) }
    }

    /// Stages `f` on inputs of the given types. With `blockingMaps` (a jitted function's own trace),
    /// `vmap` calls made directly on its values may become blocked maps (``BlockedMap``).
    static func stage(_ types: [TensorType], blockingMaps: Bool = false,
                      _ f: ([Tensor]) throws -> [Tensor]) rethrows -> Program {
        let interpreter = StagingInterpreter(level: TraceStack.depth + 1)
        let inputs = types.map(interpreter.newInput)
        let outputs = try TraceStack.$staging.withValue(true) {
            try TraceStack.$blockedMapStage.withValue(blockingMaps ? ObjectIdentifier(interpreter) : nil) {
                try TraceStack.$depth.withValue(interpreter.level) { try f(inputs) }
            }
        }
        interpreter.program.outputs = outputs.map(interpreter.operand)
        return interpreter.program
    }
}
