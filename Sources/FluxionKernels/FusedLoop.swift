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

    /// Runs `instructions` over `count` elements. `inputs` are element pointers laid out as `layouts`
    /// says; results `outputTemporaries` are written to `outputs`. With a broadcast input, blocks stop
    /// at the ends of rows so that each block reads one row of it.
    package static func run(_ instructions: [Instruction], inputs: [UnsafePointer<Double>], layouts: [Layout],
                            outputs: [UnsafeMutablePointer<Double>], outputTemporaries: [Int], count: Int) {
        let ins = UncheckedSendable(inputs), outs = UncheckedSendable(outputs)
        let rowLength = layouts.lazy.compactMap { layout -> Int? in
            if case .broadcast(let b, _, _, _) = layout { return b } else { return nil }
        }.first
        Parallel.forChunks(count, minimumChunk: 1 << 14) { range in
            let block = Swift.min(blockSize, range.count)
            let temps = UnsafeMutablePointer<Double>.allocate(capacity: instructions.count * block)
            defer { temps.deallocate() }
            var start = range.lowerBound
            while start < range.upperBound {
                var n = Swift.min(block, range.upperBound - start)
                if let rowLength { n = Swift.min(n, rowLength - start % rowLength) }
                for (t, instruction) in instructions.enumerated() {
                    let dst = temps + t * block
                    func operand(_ r: Ref) -> Operand {
                        switch r {
                        case .input(let i):
                            switch layouts[i] {
                            case .full: return (ins.value[i] + start, 0)
                            case .scalar: return (nil, ins.value[i][0])
                            case let .broadcast(b, shape, strides, inner):
                                var row = start / b, offset = 0
                                for a in (0..<shape.count).reversed() {
                                    offset += (row % shape[a]) * strides[a]
                                    row /= shape[a]
                                }
                                return inner == 0 ? (nil, ins.value[i][offset]) : (ins.value[i] + offset + start % b, 0)
                            }
                        case .temporary(let j): return (UnsafePointer(temps + j * block), 0)
                        case .scalar(let v): return (nil, v)
                        }
                    }
                    let a = operand(instruction.operands[0])
                    if let kernel = instruction.op.unary {
                        if let p = a.pointer {
                            kernel(p, dst, n)
                        } else {
                            var x = a.scalar, y = 0.0
                            kernel(&x, &y, 1)
                            dst.update(repeating: y, count: n)
                        }
                    } else {
                        instruction.op.binary!(a, operand(instruction.operands[1]), dst, n)
                    }
                }
                for (k, t) in outputTemporaries.enumerated() {
                    (outs.value[k] + start).update(from: temps + t * block, count: n)
                }
                start += n
            }
        }
    }
}
