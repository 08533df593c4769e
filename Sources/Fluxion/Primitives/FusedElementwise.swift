/// A chain of elementwise float64 operations fused by `jit` into one blocked loop
/// (``FusedLoop``). It appears only in optimized programs. Its derivative and batching rules run
/// the original, unfused chain (kept as a program) under the transform.
struct FusedElementwise: Primitive, ReplacesEquations {
    let instructions: [FusedLoop.Instruction]
    let outputTemporaries: [Int]
    /// The chain's shape: broadcast operands line up against it.
    let shape: [Int]
    /// The shape of each output (all with the chain's element count).
    let outputShapes: [[Int]]
    /// The shapes of the inputs the chain was fused for (a broadcast input's layout follows from it).
    let inputShapes: [[Int]]
    /// The equations the chain replaced, as a program over the same inputs.
    let original: ProgramBox
    /// The loop resolved for those input shapes, once.
    let plan: FusedLoop.Plan

    init(instructions: [FusedLoop.Instruction], outputTemporaries: [Int], shape: [Int], outputShapes: [[Int]],
         inputShapes: [[Int]], original: ProgramBox) {
        self.instructions = instructions
        self.outputTemporaries = outputTemporaries
        self.shape = shape
        self.outputShapes = outputShapes
        self.inputShapes = inputShapes
        self.original = original
        plan = FusedLoop.Plan(instructions, layouts: inputShapes.map { FusedLoop.Layout.of($0, against: shape) },
                              outputTemporaries: outputTemporaries)
    }

    /// Equal chains over equal input shapes (the plan follows from them).
    static func == (a: Self, b: Self) -> Bool {
        a.instructions == b.instructions && a.outputTemporaries == b.outputTemporaries && a.shape == b.shape
            && a.outputShapes == b.outputShapes && a.inputShapes == b.inputShapes && a.original == b.original
    }
    func hash(into hasher: inout Hasher) {
        hasher.combine(instructions)
        hasher.combine(inputShapes)
        hasher.combine(original)
    }
    var name: String { "fused[" + instructions.map { "\($0.op)" }.joined(separator: ",") + "]" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        outputShapes.map { TensorType(shape: $0, dtype: .float64) }
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        let outputs = outputShapes.map { ArrayValue(uninitialized: $0, dtype: .float64) }
        run(inputs, outputs)
        return outputs
    }

    func evaluateSingle(_ inputs: [ArrayValue]) -> ArrayValue {
        let output = ArrayValue(uninitialized: outputShapes[0], dtype: .float64)
        run(inputs, CollectionOfOne(output))
        return output
    }

    /// The chain over `inputs` into `outputs`, element pointers on the stack.
    private func run(_ inputs: [ArrayValue], _ outputs: some Collection<ArrayValue>) {
        let count = shape.reduce(1, *)
        withPointers(inputs, outputs) { plan, ins, outs in plan.run(inputs: ins, outputs: outs, count: count) }
    }

    /// The plan for these inputs (the fused-for one when their shapes are those of the typed program,
    /// else one made for them) with the element pointers of `inputs` and `outputs`, on the stack.
    func withPointers(_ inputs: [ArrayValue], _ outputs: some Collection<ArrayValue>,
                      _ body: (FusedLoop.Plan, UnsafeBufferPointer<UnsafePointer<Double>>, UnsafeBufferPointer<UnsafeMutablePointer<Double>>) -> Void) {
        let plan = inputs.indices.allSatisfy({ inputs[$0].shape == inputShapes[$0] }) ? plan
            : FusedLoop.Plan(instructions, layouts: inputs.map { FusedLoop.Layout.of($0.shape, against: shape) },
                             outputTemporaries: outputTemporaries)
        withUnsafeTemporaryAllocation(of: UnsafePointer<Double>.self, capacity: inputs.count) { ins in
            for (i, x) in inputs.enumerated() { ins.initializeElement(at: i, to: UnsafePointer(x.pointer(as: Double.self))) }
            withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<Double>.self, capacity: outputs.count) { outs in
                for (k, y) in outputs.enumerated() { outs.initializeElement(at: k, to: y.pointer(as: Double.self)) }
                body(plan, UnsafeBufferPointer(ins), UnsafeBufferPointer(outs))
            }
        }
    }
}

/// A primitive that `jit`'s passes put in place of equations of a program (a fused chain, a product
/// with its epilogue), evaluated its own way but transformed through those equations: its
/// derivative, batching and Taylor rules run the original program under the transform.
protocol ReplacesEquations {
    /// The equations replaced, as a program over the primitive's inputs, with its outputs.
    var original: ProgramBox { get }
}

extension ReplacesEquations {
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
