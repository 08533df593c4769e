/// The blocked loop that runs a fused chain of elementwise float64 operations: the elements are
/// processed in blocks that fit in L1 cache, each operation of the chain running over the whole
/// block before the next, so each input is read once and each output written once, with one
/// dispatch per operation and block rather than per element.
@usableFromInline package enum FusedLoop {
    /// An operand of one block: an array (its elements at this block) or a scalar.
    @usableFromInline package typealias Operand = (pointer: UnsafePointer<Double>?, scalar: Double)
    /// The loop of a binary operation over one block of `n` elements.
    package typealias BinaryKernel = @Sendable (Operand, Operand, UnsafeMutablePointer<Double>, Int) -> Void

    /// One operation of a chain: its name and its block loop. The loop is the primitive's own float64
    /// kernel (the one its eager evaluation runs), so the element math is written once, in the primitive.
    /// Operations are identified by name.
    package struct Op: Hashable, Sendable, CustomStringConvertible {
        package let name: String
        let unary: VectorMath.Kernel?
        let binary: BinaryKernel?

        /// An operation of one operand, run by `kernel` on contiguous blocks.
        package static func unary(_ name: String, _ kernel: @escaping VectorMath.Kernel) -> Op {
            Op(name: name, unary: kernel, binary: nil)
        }
        /// An operation of two operands, either of which may be a scalar.
        package static func binary(_ name: String, _ kernel: @escaping BinaryKernel) -> Op {
            Op(name: name, unary: nil, binary: kernel)
        }
        package var arity: Int { unary == nil ? 2 : 1 }
        package var description: String { name }
        package static func == (a: Op, b: Op) -> Bool { a.name == b.name }
        package func hash(into hasher: inout Hasher) { hasher.combine(name) }
    }

    /// `d[i] = f(a[i], b[i])` over one block, for each kind of operand: the loop a binary primitive's
    /// ``BinaryKernel`` is made of (inlined, so `f` is not called through a pointer).
    @inlinable @inline(__always)
    package static func zipBlock(_ a: Operand, _ b: Operand, _ d: UnsafeMutablePointer<Double>, _ n: Int,
                                 _ f: (Double, Double) -> Double) {
        switch (a.pointer, b.pointer) {
        case let (p?, q?): for i in 0..<n { d[i] = f(p[i], q[i]) }
        case let (p?, nil): let w = b.scalar; for i in 0..<n { d[i] = f(p[i], w) }
        case let (nil, q?): let v = a.scalar; for i in 0..<n { d[i] = f(v, q[i]) }
        case (nil, nil): let r = f(a.scalar, b.scalar); for i in 0..<n { d[i] = r }
        }
    }

    /// Where an operation reads an operand: a chain input, an earlier result, or a constant.
    package enum Ref: Hashable, Sendable {
        case input(Int)
        case temporary(Int)
        case scalar(Double)
    }

    package struct Instruction: Hashable, Sendable {
        package let op: Op
        package let operands: [Ref]

        package init(op: Op, operands: [Ref]) {
            self.op = op
            self.operands = operands
        }
    }

    package static let blockSize = 512

    /// How a chain input lines up with the chain's elements.
    package enum Layout: Sendable {
        /// One element per element of the chain.
        case full
        /// One value for every element.
        case scalar
        /// A NumPy broadcast of a smaller array: the chain's elements are rows of `rowLength` (its
        /// last axis); the input's row `r` starts at `Σ digit_a(r) · outerStrides[a]`, with `r`'s
        /// digits in `outerShape` (the chain's other axes), and within a row the input advances by
        /// `innerStride` (1, or 0 when the input is broadcast along the last axis too).
        case broadcast(rowLength: Int, outerShape: [Int], outerStrides: [Int], innerStride: Int)

        /// The layout of a contiguous input of `shape` against a chain of `chain` (NumPy broadcasting;
        /// the shapes are known to broadcast).
        package static func of(_ shape: [Int], against chain: [Int]) -> Layout {
            let count = shape.reduce(1, *)
            if shape == chain || count == chain.reduce(1, *) { return .full }     // the same layout
            if count == 1 { return .scalar }
            let padded = [Int](repeating: 1, count: chain.count - shape.count) + shape
            var strides = [Int](repeating: 0, count: chain.count), step = 1
            for a in (0..<chain.count).reversed() {
                strides[a] = padded[a] == 1 ? 0 : step
                step *= padded[a]
            }
            return .broadcast(rowLength: chain.last!, outerShape: Array(chain.dropLast()), outerStrides: Array(strides.dropLast()),
                              innerStride: strides.last!)
        }
    }

    /// A chain resolved for running, once per chain (a compiled program's equation) rather than per
    /// call: where each operation reads its operands (a full input, a gathered broadcast input, an
    /// earlier result, a scalar input or a constant), which inputs are gathered, and where each
    /// result is written. A call then allocates only its outputs and one scratch area, which for the
    /// small arrays of an optimizer's update (a fused loop over a bias of 64) was most of its cost.
    package final class Plan: @unchecked Sendable {
        enum Source { case input(Int), gathered(Int), result(Int), scalarInput(Int), scalar(Double) }
        /// One operation: its operands, whether its kernel is unary, and the IEEE 754 operation it is
        /// when the one-element loop computes it inline. Its kernels are in ``unaryKernels`` and
        /// ``binaryKernels`` at the same index: a step holds nothing reference-counted, so reading
        /// one in a loop retains and releases nothing.
        struct Step {
            let a: Source
            let b: Source
            let isUnary: Bool
            let arithmetic: Arithmetic?
        }
        /// The IEEE 754 operations, which the one-element loop computes inline: correctly rounded,
        /// so the same bits as their kernels at every vector width.
        enum Arithmetic {
            case add, subtract, multiply, divide, negate

            init?(name: String) {
                switch name {
                case "add": self = .add
                case "sub": self = .subtract
                case "mul": self = .multiply
                case "div": self = .divide
                case "neg": self = .negate
                default: return nil
                }
            }
        }
        struct Gather { let input: Int; let rowLength: Int; let outerShape: [Int]; let outerStrides: [Int]; let innerStride: Int }

        let steps: [Step]
        /// The kernel of each unary step (a no-op at the other steps), and of each binary one. Plain
        /// closures, not optionals: a closure of tuple operands held in an `Optional` is stored in
        /// its generic form and re-wrapped in a freshly allocated thunk each time it is unwrapped.
        let unaryKernels: [VectorMath.Kernel]
        let binaryKernels: [BinaryKernel]
        let gathers: [Gather]
        /// The output each result is written to (an exported result is written straight into its
        /// output and read from there by later operations of the block), or -1 for a temporary.
        let outputOf: [Int]
        /// Outputs that repeat a result exported earlier: (output, result), copied per block.
        let copies: [(output: Int, result: Int)]
        /// The block-sized scratch row each temporary result is written to. Rows are reused once a
        /// result has been read for the last time, so a long chain (an optimizer's update of many
        /// leaves, a Taylor series) keeps a few rows in L1 cache rather than one per operation.
        let slotOf: [Int]
        let slotCount: Int

        /// The plan of `instructions` over inputs laid out as `layouts`, results `outputTemporaries`
        /// exported in that order.
        package init(_ instructions: [Instruction], layouts: [Layout], outputTemporaries: [Int]) {
            var gathers: [Gather] = []
            var gatherSlot = [Int](repeating: -1, count: layouts.count)
            for (i, layout) in layouts.enumerated() {
                if case let .broadcast(b, shape, strides, inner) = layout {
                    gatherSlot[i] = gathers.count
                    gathers.append(Gather(input: i, rowLength: b, outerShape: shape, outerStrides: strides, innerStride: inner))
                }
            }
            func source(_ r: Ref) -> Source {
                switch r {
                case .input(let i):
                    switch layouts[i] {
                    case .full: return .input(i)
                    case .scalar: return .scalarInput(i)
                    case .broadcast: return .gathered(gatherSlot[i])
                    }
                case .temporary(let j): return .result(j)
                case .scalar(let v): return .scalar(v)
                }
            }
            steps = instructions.map { instruction in
                let a = source(instruction.operands[0])
                let b = instruction.operands.count > 1 ? source(instruction.operands[1]) : a
                return Step(a: a, b: b, isUnary: instruction.op.unary != nil, arithmetic: Arithmetic(name: instruction.op.name))
            }
            unaryKernels = instructions.map { $0.op.unary ?? { _, _, _ in } }
            binaryKernels = instructions.map { $0.op.binary ?? { _, _, _, _ in } }
            var outputOf = [Int](repeating: -1, count: instructions.count)
            for (k, t) in outputTemporaries.enumerated() where outputOf[t] < 0 { outputOf[t] = k }
            copies = outputTemporaries.enumerated().filter { k, t in outputOf[t] != k }.map { (output: $0.offset, result: $0.element) }
            self.gathers = gathers
            self.outputOf = outputOf
            (slotOf, slotCount) = Plan.assignSlots(instructions, outputOf: outputOf)
        }

        /// Scratch rows for the temporaries: a row is free again after the operation that reads its
        /// result last, and is not handed to that operation's own result (a kernel's operand and
        /// destination stay distinct).
        private static func assignSlots(_ instructions: [Instruction], outputOf: [Int]) -> (slots: [Int], count: Int) {
            var lastUse = Array(instructions.indices)
            for (t, instruction) in instructions.enumerated() {
                for case .temporary(let j) in instruction.operands { lastUse[j] = t }
            }
            var slots = [Int](repeating: -1, count: instructions.count), free: [Int] = [], count = 0
            var releasedAt: [Int: [Int]] = [:]
            for t in instructions.indices {
                free += releasedAt.removeValue(forKey: t - 1) ?? []
                guard outputOf[t] < 0 else { continue }
                if let slot = free.popLast() { slots[t] = slot } else { slots[t] = count; count += 1 }
                releasedAt[lastUse[t], default: []].append(slots[t])
            }
            return (slots, count)
        }

        /// Runs the chain over `count` elements of `inputs` (element pointers laid out as the plan's
        /// layouts), writing `outputs`. A broadcast input's elements for a block are first gathered
        /// into a block-sized scratch row by row (in L1, and cheaper than blocks cut at the ends of
        /// short rows, which a bias of 64 would make 64 elements long).
        package func run(inputs: UnsafeBufferPointer<UnsafePointer<Double>>, outputs: UnsafeBufferPointer<UnsafeMutablePointer<Double>>,
                         count: Int) {
            let ins = UncheckedSendable(inputs), outs = UncheckedSendable(outputs)
            // Split when each thread gets some 32 k element operations: a long chain (an optimizer's
            // update of several leaves at once) is worth a second thread at fewer elements.
            let minimumChunk = Swift.max(1 << 10, (1 << 15) / Swift.max(steps.count, 1))
            Parallel.forChunks(count, minimumChunk: minimumChunk) { range in run(inputs: ins.value, outputs: outs.value, range: range) }
        }

        /// Runs the chain over the elements `range` only, on the calling thread (a thread's chunk, or
        /// an epilogue over rows a product has just finished).
        package func run(inputs: UnsafeBufferPointer<UnsafePointer<Double>>, outputs: UnsafeBufferPointer<UnsafeMutablePointer<Double>>,
                         range: Range<Int>) {
            guard !range.isEmpty else { return }
            if range.count == 1 && gathers.isEmpty {
                runOne(range.lowerBound, inputs, outputs)
                return
            }
            let block = Swift.min(blockSize, range.count)
            withUnsafeTemporaryAllocation(of: Double.self, capacity: (slotCount + gathers.count) * block) { temps in
                runChunk(range, block: block, temps: temps.baseAddress!, inputs, outputs)
            }
        }

        /// The chain on element `i` alone (a chain of single elements: the coefficients of a scalar
        /// Taylor series, hundreds of operations long), one value per operation, arithmetic inline
        /// and the other operations by their kernels on one element — as the blocked loop computes
        /// them, without its per-operation pointer bookkeeping.
        private func runOne(_ i: Int, _ inputs: UnsafeBufferPointer<UnsafePointer<Double>>,
                            _ outputs: UnsafeBufferPointer<UnsafeMutablePointer<Double>>) {
            withUnsafeTemporaryAllocation(of: Double.self, capacity: steps.count) { values in
                let v = values.baseAddress!
                func operand(_ s: Source) -> Operand {
                    switch s {
                    case .input(let k): return (inputs[k] + i, 0)
                    case .result(let t): return (UnsafePointer(v + t), 0)
                    case .scalarInput(let k): return (nil, inputs[k][0])
                    case .scalar(let c): return (nil, c)
                    case .gathered: preconditionFailure("a one-element chain has no broadcast inputs")
                    }
                }
                func value(_ s: Source) -> Double {
                    let o = operand(s)
                    return o.pointer?.pointee ?? o.scalar
                }
                for t in steps.indices {
                    let step = steps[t]
                    switch step.arithmetic {
                    case .add?: v[t] = value(step.a) + value(step.b)
                    case .subtract?: v[t] = value(step.a) - value(step.b)
                    case .multiply?: v[t] = value(step.a) * value(step.b)
                    case .divide?: v[t] = value(step.a) / value(step.b)
                    case .negate?: v[t] = -value(step.a)
                    case nil:
                        let a = operand(step.a)
                        if !step.isUnary {
                            binaryKernels[t](a, operand(step.b), v + t, 1)
                        } else if let p = a.pointer {
                            unaryKernels[t](p, v + t, 1)
                        } else {
                            var x = a.scalar
                            unaryKernels[t](&x, v + t, 1)
                        }
                    }
                    if outputOf[t] >= 0 { outputs[outputOf[t]][i] = v[t] }
                }
                for (k, t) in copies { outputs[k][i] = v[t] }
            }
        }

        private func runChunk(_ range: Range<Int>, block: Int, temps: UnsafeMutablePointer<Double>,
                              _ inputs: UnsafeBufferPointer<UnsafePointer<Double>>,
                              _ outputs: UnsafeBufferPointer<UnsafeMutablePointer<Double>>) {
            let scratch = temps + slotCount * block
            // A row repeated along every outer axis (a bias) reads the same in every block when the
            // blocks start on row boundaries: gathered once for the chunk, not per block.
            let repeating = gathers.map { g in
                g.outerStrides.allSatisfy { $0 == 0 } && block % g.rowLength == 0 && range.lowerBound % g.rowLength == 0
            }
            for (g, gather) in gathers.enumerated() where repeating[g] {
                FusedLoop.gatherBlock(inputs[gather.input], gather.rowLength, gather.outerShape, gather.outerStrides,
                                      gather.innerStride, from: range.lowerBound, count: block, into: scratch + g * block)
            }
            var start = range.lowerBound
            while start < range.upperBound {
                let n = Swift.min(block, range.upperBound - start)
                for (g, gather) in gathers.enumerated() where !repeating[g] {
                    FusedLoop.gatherBlock(inputs[gather.input], gather.rowLength, gather.outerShape, gather.outerStrides,
                                gather.innerStride, from: start, count: n, into: scratch + g * block)
                }
                func result(_ t: Int) -> UnsafeMutablePointer<Double> {
                    let k = outputOf[t]
                    return k >= 0 ? outputs[k] + start : temps + slotOf[t] * block
                }
                func operand(_ s: Source) -> Operand {
                    switch s {
                    case .input(let i): return (inputs[i] + start, 0)
                    case .gathered(let g): return (UnsafePointer(scratch + g * block), 0)
                    case .result(let t): return (UnsafePointer(result(t)), 0)
                    case .scalarInput(let i): return (nil, inputs[i][0])
                    case .scalar(let v): return (nil, v)
                    }
                }
                for t in steps.indices {
                    let step = steps[t]
                    let dst = result(t)
                    let a = operand(step.a)
                    if step.isUnary {
                        if let p = a.pointer {
                            unaryKernels[t](p, dst, n)
                        } else {
                            var x = a.scalar, y = 0.0
                            unaryKernels[t](&x, &y, 1)
                            dst.update(repeating: y, count: n)
                        }
                    } else {
                        binaryKernels[t](a, operand(step.b), dst, n)
                    }
                }
                for (k, t) in copies { (outputs[k] + start).update(from: result(t), count: n) }
                start += n
            }
        }
    }

    /// Copies elements `start..<start + n` of the chain as a broadcast input sees them (rows of
    /// `rowLength`, row `r` at `Σ digit_a(r) · outerStrides[a]`, `innerStride` 1 or 0) into `dst`.
    private static func gatherBlock(_ input: UnsafePointer<Double>, _ rowLength: Int, _ outerShape: [Int],
                                    _ outerStrides: [Int], _ innerStride: Int, from start: Int, count n: Int,
                                    into dst: UnsafeMutablePointer<Double>) {
        var position = start, written = 0
        while written < n {
            var row = position / rowLength, offset = 0
            for a in stride(from: outerShape.count - 1, through: 0, by: -1) {
                offset += (row % outerShape[a]) * outerStrides[a]
                row /= outerShape[a]
            }
            let column = position % rowLength
            let length = Swift.min(rowLength - column, n - written)
            if innerStride == 0 {
                (dst + written).update(repeating: input[offset], count: length)
            } else {
                (dst + written).update(from: input + offset + column, count: length)
            }
            written += length
            position += length
        }
    }
}
