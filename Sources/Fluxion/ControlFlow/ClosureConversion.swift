/// Closure conversion for the bodies of control-flow primitives.
///
/// A body is a Swift closure and may capture tensors traced by an enclosing transform (the argument
/// of a jitted function, a batched value). A primitive must not hold those: it may run later, from a
/// compiled plan, when they no longer exist. So the body is staged once; every tracer it captured
/// becomes an explicit extra input, and the body becomes a closed program of those inputs.
struct ConvertedFunction {
    /// Takes the original arguments followed by the captured values.
    let function: ClosedFunction
    /// The tracers the original closure captured, in the order the function expects them.
    let captured: [Tensor]
}

func closureConvert(_ f: @escaping ([Tensor]) -> [Tensor], _ types: [TensorType]) -> ConvertedFunction {
    var program = StagingInterpreter.stage(types) { f($0) }
    var captured: [Tensor] = []
    var variableOf: [ObjectIdentifier: Int] = [:]
    func convert(_ o: Program.Operand) -> Program.Operand {
        guard case .constant(let t) = o, case .traced(let tracer) = t.storage else { return o }
        let id = ObjectIdentifier(tracer)
        if let v = variableOf[id] { return .variable(v) }
        program.types.append(t.type)
        let v = program.types.count - 1
        program.inputs.append(v)
        variableOf[id] = v
        captured.append(t)
        return .variable(v)
    }
    for i in program.equations.indices { program.equations[i].inputs = program.equations[i].inputs.map(convert) }
    program.outputs = program.outputs.map(convert)
    return ConvertedFunction(function: ClosedFunction(optimized: Passes.optimize(program)), captured: captured)
}

/// Runs a program by binding its equations, so that it works under every transform.
func interpret(_ program: Program, _ inputs: [Tensor]) -> [Tensor] {
    var env: [Int: Tensor] = [:]
    for (v, x) in zip(program.inputs, inputs) { env[v] = x }
    func value(_ o: Program.Operand) -> Tensor {
        switch o {
        case .variable(let v): return env[v]!
        case .constant(let t): return t
        }
    }
    for e in program.equations {
        let outs = bindExistential(e.primitive, e.inputs.map(value))
        for (v, t) in zip(e.outputs, outs) { env[v] = t }
    }
    return program.outputs.map(value)
}
