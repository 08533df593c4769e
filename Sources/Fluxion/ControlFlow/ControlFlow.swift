/// Control flow that works under every transform.
///
/// When the values it depends on are known (eagerly, and under `grad` and `jvp`, which trace real
/// values) these run as Swift control flow, and differentiation sees each step. Under `jit` (where
/// loops stay loops in the program rather than being unrolled), or when a predicate is batched by
/// `vmap`, they become primitives with rules of their own: forward mode
/// transforms the body, reverse mode runs the body's pullback (a reverse scan for loops), and
/// batching runs the body on the whole batch (both branches, selected per example, for a batched
/// `cond` predicate; masked steps for a batched `whileLoop` condition).

/// How a loop trades memory for recomputation in reverse mode.
public enum CheckpointPolicy: Sendable, Equatable {
    /// Keep every intermediate value of every step (fastest, most memory).
    case none
    /// Keep only the carry entering each step; recompute each step's inside in the backward pass.
    case everyStep
    /// Keep only the carry entering every `k`-th step; the backward pass recomputes `k` steps at a
    /// time. Memory grows like `length/k + k` steps instead of `length`.
    case segments(Int)
}

/// ``cond(_:_:then:else:)`` on flat lists of tensors.
func flatCond(_ predicate: Tensor, _ operands: [Tensor], then whenTrue: @escaping ([Tensor]) -> [Tensor],
              else whenFalse: @escaping ([Tensor]) -> [Tensor]) -> [Tensor] {
    guard predicate.shape.isEmpty else { shapeFailure("cond", "the predicate must be a scalar, got shape \(predicate.shape)") }
    let p = predicate.cast(to: .bool)
    if valuesKnown([p]) { return p.scalar(as: Bool.self) ? whenTrue(operands) : whenFalse(operands) }
    let types = operands.map(\.type), n = operands.count
    let t = closureConvert(whenTrue, types), f = closureConvert(whenFalse, types)
    // Each branch receives the operands, then the values both branches captured.
    let (tc, fc) = (t.captured.count, f.captured.count)
    let all = types + (t.captured + f.captured).map(\.type)
    let branchTrue = t.function.rewired(inputTypes: all, feeding: Array(0..<(n + tc)), outputs: t.function.allOutputs)
    let branchFalse = f.function.rewired(inputTypes: all, feeding: Array(0..<n) + Array((n + tc)..<(n + tc + fc)),
                                         outputs: f.function.allOutputs)
    return bind(Cond(whenTrue: branchTrue, whenFalse: branchFalse), [p] + operands + t.captured + f.captured)
}

/// ``whileLoop(_:maxTrips:condition:body:)`` on flat lists of tensors.
func flatWhileLoop(_ initial: [Tensor], maxTrips: Int?, condition: @escaping ([Tensor]) -> Tensor,
                   body: @escaping ([Tensor]) -> [Tensor]) -> [Tensor] {
    var state = initial
    var trips = 0
    while !TraceStack.staging && valuesKnown(state) {
        let c = condition(state)
        guard valuesKnown([c]) else { break }
        guard c.cast(to: .bool).scalar(as: Bool.self) else { return state }
        if let maxTrips, trips >= maxTrips {
            shapeFailure("whileLoop", "the loop is still running after maxTrips = \(maxTrips) iterations")
        }
        state = body(state)
        trips += 1
    }
    let remaining = maxTrips.map { $0 - trips }
    let n = state.count, types = state.map(\.type)
    let c = closureConvert({ [condition($0).cast(to: .bool)] }, types), b = closureConvert(body, types)
    let (cc, bc) = (c.captured.count, b.captured.count)
    // The state is followed by the captured values, which the loop carries unchanged.
    let all = types + (c.captured + b.captured).map(\.type)
    let loopCondition = c.function.rewired(inputTypes: all, feeding: Array(0..<(n + cc)), outputs: c.function.allOutputs)
    let loopBody = b.function.rewired(inputTypes: all, feeding: Array(0..<n) + Array((n + cc)..<(n + cc + bc)),
                                      outputs: b.function.allOutputs + (n..<all.count).map { .input($0) })
    let out = bind(WhileLoop(condition: loopCondition, body: loopBody, maxTrips: remaining), state + c.captured + b.captured)
    return Array(out[..<n])
}

/// ``scan(_:over:length:checkpoint:reverse:body:)`` on flat lists of tensors.
func flatScan(_ initial: [Tensor], over xs: [Tensor], length: Int?, checkpoint policy: CheckpointPolicy,
              reverse: Bool,
              body: @escaping (_ carry: [Tensor], _ x: [Tensor]) -> (carry: [Tensor], y: [Tensor])) -> (carry: [Tensor], ys: [Tensor]) {
    guard let n = length ?? xs.first?.shape.first else {
        shapeFailure("scan", "give length: when there is nothing to scan over")
    }
    for x in xs where x.shape.first != n {
        shapeFailure("scan", "scanned tensor of shape \(x.shape) does not have \(n) steps")
    }
    let k = initial.count
    let step: ([Tensor]) -> [Tensor] = { args in
        let (c, y) = body(Array(args[..<k]), Array(args[k...]))
        guard c.count == k else { shapeFailure("scan", "the body returns \(c.count) carries, expected \(k)") }
        return c + y
    }
    if case .segments(let size) = policy, size > 1, size < n, n % size == 0 {
        // Segments: an outer scan over n/size segments, each a checkpointed inner scan of `size` steps.
        let segmented = xs.map { $0.reshaped(to: [n / size, size] + Array($0.shape.dropFirst())) }
        let inner = flatCheckpoint { (args: [Tensor]) -> [Tensor] in
            let (c, segment) = split(args, at: k)
            let (carry, ys) = flatScan(c, over: segment, length: size, checkpoint: .everyStep, reverse: reverse, body: body)
            return carry + ys
        }
        let (carry, ys) = flatScan(initial, over: segmented, length: n / size, checkpoint: .none, reverse: reverse) { c, seg in
            let out = inner(c + seg)
            return (Array(out[..<k]), Array(out[k...]))
        }
        return (carry, ys.map { $0.reshaped(to: [n] + Array($0.shape.dropFirst(2))) })
    }
    let sliceTypes = xs.map { TensorType(shape: Array($0.shape.dropFirst()), dtype: $0.dtype) }
    let converted = closureConvert(step, initial.map(\.type) + sliceTypes)
    if !TraceStack.staging && valuesKnown(initial + xs) && n > 0 {
        // Known values: a Swift loop, each step recorded by differentiation (whole, or as one
        // checkpointed step that the backward pass recomputes).
        var carry = initial
        var ys: [[Tensor]] = []
        for t in (reverse ? Array((0..<n).reversed()) : Array(0..<n)) {
            let args = carry + xs.map { $0[t] }
            let out = policy == .none ? step(args) : bind(Checkpoint(function: converted.function), args + converted.captured)
            carry = Array(out[..<k])
            ys.append(Array(out[k...]))
        }
        if reverse { ys.reverse() }
        return (carry, (0..<ys[0].count).map { j in Tensor.stack(ys.map { $0[j] }) })
    }
    let m = converted.captured.count
    // The captured values follow the carry and are carried unchanged: the step takes
    // (carry, captured, x) where the converted function takes (carry, x, captured).
    let inner = converted.function, stepTypes = inner.inputTypes
    let xCount = stepTypes.count - k - m
    let carried = inner.rewired(
        inputTypes: Array(stepTypes[..<k]) + Array(stepTypes[(k + xCount)...]) + Array(stepTypes[k..<(k + xCount)]),
        feeding: Array(0..<k) + (0..<xCount).map { k + m + $0 } + (0..<m).map { k + $0 },
        outputs: (0..<k).map { .output($0) } + (k..<(k + m)).map { .input($0) } + (k..<inner.outputTypes.count).map { .output($0) })
    let out = bind(Scan(body: carried, carryCount: k + m, length: n, reverse: reverse), initial + converted.captured + xs)
    return (Array(out[..<k]), Array(out[(k + m)...]))
}

/// ``checkpoint(_:)`` on flat lists of tensors.
func flatCheckpoint(_ f: @escaping ([Tensor]) -> [Tensor]) -> ([Tensor]) -> [Tensor] {
    { xs in
        let converted = closureConvert(f, xs.map(\.type))
        return bind(Checkpoint(function: converted.function), xs + converted.captured)
    }
}

