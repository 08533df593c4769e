/// A loop over the leading axis of `xs` with a carried state: step `t` maps `(carry, xs[t])` to
/// `(carry', ys[t])`. Inputs are the initial carry then the `xs`; outputs the final carry then the
/// stacked `ys`. With `reverse`, steps run from the last to the first.
///
/// Reverse mode stores the carry entering every step and runs a reverse scan of the step's pullback
/// (which recomputes the step's inside): memory in O(length · carry). The step is a closed program;
/// the steps of the rules are derived from it once.
struct Scan: Primitive {
    let body: ClosedFunction       // carry + x_t -> carry' + y_t
    let carryCount: Int
    let length: Int
    let reverse: Bool
    var name: String { "scan" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let carry = Array(inputs[..<carryCount])
        let slices = inputs[carryCount...].map { t -> TensorType in
            guard t.shape.first == length else { shapeFailure(name, "scanned input \(t) does not have \(length) steps") }
            return TensorType(shape: Array(t.shape.dropFirst()), dtype: t.dtype)
        }
        guard carry + slices == body.inputTypes else {
            shapeFailure(name, "the step takes \(body.inputTypes), got \(carry + slices)")
        }
        let out = body.outputTypes
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

    /// Forward mode: a scan of the step's forward-mode function, carrying primal and tangent together.
    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        let t = filledZeros(tangents, like: primals)
        let (c, xs) = split(primals, at: carryCount), (tc, txs) = split(t, at: carryCount)
        let k = carryCount, body = self.body
        let jvpBody = body.derived("scan jvp \(k)") {
            // The forward function takes (carry, x, ċarry, ẋ) and gives (carry', y, ċarry', ẏ); the
            // scan needs the carries first: (carry, ċarry, x, ẋ) -> (carry', ċarry', y, ẏ).
            let m = body.inputTypes.count - k, r = body.outputTypes.count - k
            let (cT, xT) = (Array(body.inputTypes[..<k]), Array(body.inputTypes[k...]))
            let feeding = Array(0..<k) + (0..<m).map { 2 * k + $0 } + (0..<k).map { k + $0 } + (0..<m).map { 2 * k + m + $0 }
            let order = Array(0..<k) + Array((k + r)..<(2 * k + r)) + Array(k..<(k + r)) + Array((2 * k + r)..<(2 * k + 2 * r))
            return body.forward.rewired(inputTypes: cT + cT + xT + xT, feeding: feeding, outputs: order.map { .output($0) })
        }
        let scan = Scan(body: jvpBody, carryCount: 2 * k, length: length, reverse: reverse)
        let out = bind(scan, c + tc + xs + txs)
        let yCount = (out.count - 2 * k) / 2
        return Array(out[k..<(2 * k)]) + Array(out[(2 * k + yCount)...])
    }

    /// Taylor mode: a scan of the step's Taylor form, carrying the state's coefficients with it. The
    /// scanned inputs' coefficients `[R, T, …]` are scanned along T (moved to the front), and the
    /// stacked outputs' coefficients moved back.
    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        let k = carryCount, order = Taylor.order(series), body = self.body
        let (c, xs) = split(primals, at: k)
        // Direction counts per order: those of the carries and of the scanned inputs (axis 0 of their
        // coefficients in both cases).
        let leads = Taylor.leads(series, order: order)
        let carryCoefficients = Taylor.coefficientArguments(c, Array(series[..<k]), leads: leads)
        let xsCoefficients = Taylor.coefficientArguments(xs, Array(series[k...]), leads: leads).map { $0.movingAxis(1, to: 0) }
        let (ck, cx) = (carryCoefficients.count, xsCoefficients.count)
        let m = xs.count, r = body.outputTypes.count - k
        let yInexact = body.outputTypes[k...].filter(\.dtype.isInexact).count
        let step = body.derived("scan jet \(k) \(order) \(leads)") {
            // The Taylor form takes (carry, x, ċ_carry, ċ_x) and gives (carry', y, ċ_carry', ċ_y); the
            // scan needs the carries first: (carry, ċ_carry, x, ċ_x) -> (carry', ċ_carry', y, ċ_y).
            let taylor = body.taylor(order: order, leads: leads)
            let t = taylor.inputTypes
            let carryT = Array(t[..<k]), xT = Array(t[k..<(k + m)])
            let ccT = Array(t[(k + m)..<(k + m + ck)]), cxT = Array(t[(k + m + ck)...])
            let feeding = Array(0..<k) + (0..<m).map { k + ck + $0 } + (0..<ck).map { k + $0 } + (0..<cx).map { k + ck + m + $0 }
            let outputOrder = Array(0..<k) + Array((k + r)..<(k + r + ck)) + Array(k..<(k + r))
                + Array((k + r + ck)..<(k + r + ck + yInexact * leads.count))
            return taylor.rewired(inputTypes: carryT + ccT + xT + cxT, feeding: feeding, outputs: outputOrder.map { .output($0) })
        }
        let scan = Scan(body: step, carryCount: k + ck, length: length, reverse: reverse)
        let out = bind(scan, c + carryCoefficients + xs + xsCoefficients)
        let carrySeries = Taylor.seriesOfResults(Array(outputs[..<k]), Array(out[k..<(k + ck)]), order: order)
        let yCoefficients = out[(k + ck + r)...].map { $0.movingAxis(0, to: 1) }
        return carrySeries + Taylor.seriesOfResults(Array(outputs[k...]), yCoefficients, order: order)
    }

    /// Reverse mode: a forward scan that also outputs the carry entering each step, then a reverse
    /// scan of the step's pullback.
    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        let k = carryCount, body = self.body
        let m = body.inputTypes.count - k, r = body.outputTypes.count - k
        let xs = Array(primals[k...])
        let saving = body.derived("scan saving carries \(k)") {
            body.rewired(inputTypes: body.inputTypes, feeding: Array(body.inputTypes.indices),
                         outputs: body.allOutputs + (0..<k).map { .input($0) })
        }
        let saved = bind(Scan(body: saving, carryCount: k, length: length, reverse: reverse), primals)
        let carries = Array(saved[(saved.count - k)...])
        let cts = filledZeros(cotangents, like: outputs)
        let (ctCarry, ctYs) = split(cts, at: k)
        let backward = body.derived("scan pullback \(k)") {
            // The pullback takes (carry, x, c̄arry', ȳ) and gives (c̄arry, x̄); the backward scan
            // carries the cotangent: (c̄arry', x, carry, ȳ).
            let (cT, xT, yT) = (Array(body.inputTypes[..<k]), Array(body.inputTypes[k...]), Array(body.outputTypes[k...]))
            let feeding = (0..<k).map { k + m + $0 } + (0..<m).map { k + $0 } + Array(0..<k) + (0..<r).map { 2 * k + m + $0 }
            let pullback = body.pullback
            return pullback.rewired(inputTypes: cT + xT + cT + yT, feeding: feeding, outputs: pullback.allOutputs)
        }
        return bind(Scan(body: backward, carryCount: k, length: length, reverse: !reverse), ctCarry + xs + carries + ctYs)
    }

    // MARK: batching

    /// A scan of the batched step: every carry and scanned input gets its batch axis in front (the
    /// scanned inputs just after their step axis).
    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        let k = carryCount
        let carries = (0..<k).map { Batching.toFront(inputs[$0], dims[$0], size: size) }
        let xs = (k..<inputs.count).map { i -> Tensor in
            let front = Batching.toFront(inputs[i], dims[i], size: size)   // [B, length, ...]
            return front.movingAxis(0, to: 1)                                // [length, B, ...]
        }
        let out = bind(Scan(body: body.batched(size: size), carryCount: k, length: length, reverse: reverse), carries + xs)
        return (out, (0..<out.count).map { $0 < k ? 0 : 1 })
    }
}
