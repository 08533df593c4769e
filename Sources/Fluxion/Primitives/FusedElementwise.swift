/// A chain of elementwise float64 operations fused by `jit` into one blocked loop
/// (``FusedLoop``). It appears only in optimized programs. Its derivative and batching rules run
/// the original, unfused chain (kept as a program) under the transform.
struct FusedElementwise: Primitive {
    let instructions: [FusedLoop.Instruction]
    let outputTemporaries: [Int]
    /// The chain's shape: broadcast operands line up against it.
    let shape: [Int]
    /// The shape of each output (all with the chain's element count).
    let outputShapes: [[Int]]
    /// The equations the chain replaced, as a program over the same inputs.
    let original: ProgramBox
    var name: String { "fused[" + instructions.map { "\($0.op)" }.joined(separator: ",") + "]" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        outputShapes.map { TensorType(shape: $0, dtype: .float64) }
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        let outputs = outputShapes.map { ArrayValue(uninitialized: $0, dtype: .float64) }
        FusedLoop.run(instructions, inputs: inputs.map { UnsafePointer($0.pointer(as: Double.self)) },
                      layouts: inputs.map { FusedLoop.Layout.of($0.shape, against: shape) },
                      outputs: outputs.map { $0.pointer(as: Double.self) }, outputTemporaries: outputTemporaries,
                      count: shape.reduce(1, *))
        return outputs
    }


    /// Taylor mode through the equations the chain replaced.
    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        taylorMode({ interpret(original.program, $0) }, at: primals, series: series, order: Taylor.order(series)).series
    }
    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        forwardMode({ interpret(original.program, $0) }, at: primals, tangents: filledZeros(tangents, like: primals),
                    transform: "jvp").tangents
    }

    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        pullbackOfInexact({ interpret(original.program, $0) }, at: primals, filledZeros(cotangents, like: outputs))
    }

    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        let args = zip(inputs, dims).map { Batching.toFront($0, $1, size: size) }
        let out = vmap({ (a: [Tensor]) in interpret(original.program, a) })(args)
        return (out, out.map { _ in 0 })
    }
}

/// A program held by reference, compared by identity (so that a primitive holding one is Hashable).
final class ProgramBox: Hashable, @unchecked Sendable {
    let program: Program
    init(_ program: Program) { self.program = program }
    static func == (a: ProgramBox, b: ProgramBox) -> Bool { a === b }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
