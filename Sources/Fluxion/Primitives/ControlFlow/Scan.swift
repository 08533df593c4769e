/// A loop over the leading axis of `xs` with a carried state: step `t` maps `(carry, xs[t])` to
/// `(carry', ys[t])`. Inputs are the initial carry then the `xs`; outputs the final carry then the
/// stacked `ys`. With `reverse`, steps run from the last to the first.
///
/// Reverse mode stores the carry entering every step and runs a reverse scan of the step's pullback
/// (which recomputes the step's inside): memory in O(length · carry).
struct Scan: Primitive {
    let body: TensorFunction       // carry + x_t -> carry' + y_t
    let carryCount: Int
    let length: Int
    let reverse: Bool
    /// Evaluation runs Swift functions, whose output types are known only by running (or staging) them.
    static var checksTypesEagerly: Bool { false }
    var name: String { "scan" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let carry = Array(inputs[..<carryCount])
        let slices = inputs[carryCount...].map { t -> TensorType in
            guard t.shape.first == length else { shapeFailure(name, "scanned input \(t) does not have \(length) steps") }
            return TensorType(shape: Array(t.shape.dropFirst()), dtype: t.dtype)
        }
        let out = body.outputTypes(carry + slices)
        guard Array(out[..<carryCount]) == carry else {
            shapeFailure(name, "the body changes the carry from \(carry) to \(Array(out[..<carryCount]))")
        }
        return carry + out[carryCount...].map { TensorType(shape: [length] + $0.shape, dtype: $0.dtype) }
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        run(inputs.map { Tensor(array: $0) }).map { $0.concrete(for: name) }
    }

    /// The loop itself, on tensors.
    func run(_ inputs: [Tensor]) -> [Tensor] {
        var (carry, xs) = split(inputs, at: carryCount)
        var ys: [[Tensor]] = []
        let order = reverse ? Array((0..<length).reversed()) : Array(0..<length)
        for t in order {
            let out = body.apply(carry + xs.map { $0[t] })
            carry = Array(out[..<carryCount])
            ys.append(Array(out[carryCount...]))
        }
        if reverse { ys.reverse() }
        guard length > 0 else {
            // No steps: the outputs are the carry and empty stacks of the step's output types.
            return carry + outputTypes(inputs.map(\.type))[carryCount...].map { Tensor.zeros($0.shape, dtype: $0.dtype) }
        }
        return carry + (0..<ys[0].count).map { k in Tensor.stack(ys.map { $0[k] }) }
    }

    // MARK: derivatives

    /// Forward mode: a scan of the step's JVP, carrying primal and tangent together.
    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        let t = filledZeros(tangents, like: primals)
        let (c, xs) = split(primals, at: carryCount), (tc, txs) = split(t, at: carryCount)
        let k = carryCount, body = self.body
        let jvpBody = TensorFunction { args in
            // args: carry, tangent of carry, x_t, tangent of x_t
            let (carry, rest) = split(args, at: k)
            let (tcarry, rest2) = split(rest, at: k)
            let (x, tx) = split(rest2, at: rest2.count / 2)
            let (out, tout) = forwardMode(body.apply, at: carry + x, tangents: tcarry + tx, transform: "jvp")
            let (oc, oy) = split(out, at: k), (toc, toy) = split(tout, at: k)
            return oc + toc + oy + toy
        }
        let scan = Scan(body: jvpBody, carryCount: 2 * k, length: length, reverse: reverse)
        let out = bind(scan, c + tc + xs + txs)
        let yCount = (out.count - 2 * k) / 2
        return Array(out[k..<(2 * k)]) + Array(out[(2 * k + yCount)...])
    }

    /// Reverse mode: a forward scan that also outputs the carry entering each step, then a reverse
    /// scan of the step's pullback.
    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        let k = carryCount, body = self.body
        let xs = Array(primals[k...])
        let saving = Scan(body: TensorFunction { args in
            let out = body.apply(args)
            return out + Array(args[..<k])
        }, carryCount: k, length: length, reverse: reverse)
        let saved = bind(saving, primals)
        let carries = Array(saved[(saved.count - k)...])
        let cts = filledZeros(cotangents, like: outputs)
        let (ctCarry, ctYs) = split(cts, at: k)
        let xCount = xs.count
        let backward = Scan(body: TensorFunction { args in
            // args: cotangent of the carry, then x_t, carry_t, cotangent of y_t
            let (ctc, rest) = split(args, at: k)
            let x = Array(rest[..<xCount]), carry = Array(rest[xCount..<(xCount + k)]), cty = Array(rest[(xCount + k)...])
            let inCTs = pullbackOfInexact(body.apply, at: carry + x, ctc + cty)
            return Array(inCTs[..<k]) + Array(inCTs[k...])
        }, carryCount: k, length: length, reverse: !reverse)
        let result = bind(backward, ctCarry + xs + carries + ctYs)
        return Array(result[..<k]) + Array(result[k...])
    }

    // MARK: batching

    /// A scan of the batched step: every carry and scanned input gets its batch axis in front (the
    /// scanned inputs just after their step axis).
    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        let k = carryCount, body = self.body
        let carries = (0..<k).map { Batching.toFront(inputs[$0], dims[$0], size: size) }
        let xs = (k..<inputs.count).map { i -> Tensor in
            let front = Batching.toFront(inputs[i], dims[i], size: size)   // [B, length, ...]
            return front.movingAxis(0, to: 1)                                // [length, B, ...]
        }
        let out = bind(Scan(body: body.batched, carryCount: k, length: length, reverse: reverse), carries + xs)
        return (out, (0..<out.count).map { $0 < k ? 0 : 1 })
    }
}
