import RealModule

/// The blocked loop that runs a fused chain of elementwise float64 operations: the elements are
/// processed in blocks that fit in L1 cache, each operation of the chain running over the whole
/// block before the next, so each input is read once and each output written once, with one
/// dispatch per operation and block rather than per element.
package enum FusedLoop {
    /// One operation of a chain.
    package enum Op: Hashable, Sendable {
        case neg, exp, expm1, log, log1p, sin, cos, tan, sinh, cosh, tanh, sqrt, abs
        case add, sub, mul, div, max, min
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

    /// Runs `instructions` over `count` elements. `inputs` are element pointers (a scalar input has
    /// `inputIsScalar` set and is read at index 0); results `outputTemporaries` are written to `outputs`.
    package static func run(_ instructions: [Instruction], inputs: [UnsafePointer<Double>], inputIsScalar: [Bool],
                    outputs: [UnsafeMutablePointer<Double>], outputTemporaries: [Int], count: Int) {
        let ins = UncheckedSendable(inputs), outs = UncheckedSendable(outputs)
        Parallel.forChunks(count, minimumChunk: 1 << 14) { range in
            let temps = UnsafeMutablePointer<Double>.allocate(capacity: instructions.count * blockSize)
            defer { temps.deallocate() }
            var start = range.lowerBound
            while start < range.upperBound {
                let n = Swift.min(blockSize, range.upperBound - start)
                for (t, instruction) in instructions.enumerated() {
                    let dst = temps + t * blockSize
                    func operand(_ r: Ref) -> (UnsafePointer<Double>?, Double) {
                        switch r {
                        case .input(let i): return inputIsScalar[i] ? (nil, ins.value[i][0]) : (ins.value[i] + start, 0)
                        case .temporary(let j): return (UnsafePointer(temps + j * blockSize), 0)
                        case .scalar(let v): return (nil, v)
                        }
                    }
                    let a = operand(instruction.operands[0])
                    if instruction.operands.count == 1 {
                        apply(instruction.op, a, dst, n)
                    } else {
                        apply(instruction.op, a, operand(instruction.operands[1]), dst, n)
                    }
                }
                for (k, t) in outputTemporaries.enumerated() {
                    (outs.value[k] + start).update(from: temps + t * blockSize, count: n)
                }
                start += n
            }
        }
    }

    /// The vectorized kernel of a unary operation, when there is one.
    private static func vectorKernel(_ op: Op) -> VectorMath.Kernel? {
        switch op {
        case .exp: VectorMath.exp
        case .expm1: VectorMath.expm1
        case .log: VectorMath.log
        case .log1p: VectorMath.log1p
        case .sin: VectorMath.sin
        case .cos: VectorMath.cos
        case .tanh: VectorMath.tanh
        default: nil
        }
    }

    @inline(__always)
    private static func apply(_ op: Op, _ a: (UnsafePointer<Double>?, Double), _ d: UnsafeMutablePointer<Double>, _ n: Int) {
        if let p = a.0, let kernel = vectorKernel(op) {
            kernel(p, d, n)
            return
        }
        func map(_ f: (Double) -> Double) {
            if let p = a.0 { for i in 0..<n { d[i] = f(p[i]) } } else { let v = f(a.1); for i in 0..<n { d[i] = v } }
        }
        switch op {
        case .neg: map { -$0 }
        case .exp: map { .exp($0) }
        case .expm1: map { .expMinusOne($0) }
        case .log: map { .log($0) }
        case .log1p: map { .log(onePlus: $0) }
        case .sin: map { .sin($0) }
        case .cos: map { .cos($0) }
        case .tan: map { .tan($0) }
        case .sinh: map { .sinh($0) }
        case .cosh: map { .cosh($0) }
        case .tanh: map { .tanh($0) }
        case .sqrt: map { $0.squareRoot() }
        case .abs: map { Swift.abs($0) }
        default: fatalError("fused: \(op) is not unary")
        }
    }

    @inline(__always)
    private static func apply(_ op: Op, _ a: (UnsafePointer<Double>?, Double), _ b: (UnsafePointer<Double>?, Double),
                              _ d: UnsafeMutablePointer<Double>, _ n: Int) {
        func zip(_ f: (Double, Double) -> Double) {
            switch (a.0, b.0) {
            case let (p?, q?): for i in 0..<n { d[i] = f(p[i], q[i]) }
            case let (p?, nil): let w = b.1; for i in 0..<n { d[i] = f(p[i], w) }
            case let (nil, q?): let v = a.1; for i in 0..<n { d[i] = f(v, q[i]) }
            case (nil, nil): let r = f(a.1, b.1); for i in 0..<n { d[i] = r }
            }
        }
        switch op {
        case .add: zip(+)
        case .sub: zip(-)
        case .mul: zip(*)
        case .div: zip(/)
        case .max: zip { $0 >= $1 || $0 != $0 ? $0 : $1 }
        case .min: zip { $0 <= $1 || $0 != $0 ? $0 : $1 }
        default: fatalError("fused: \(op) is not binary")
        }
    }
}
