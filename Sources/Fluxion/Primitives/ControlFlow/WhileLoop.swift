/// Repeats a function on a state while a predicate of the state holds. Inputs and outputs are the
/// state. With `maxTrips`, running longer is an error, and reverse mode is defined: the loop is
/// differentiated as a scan of `maxTrips` masked steps. Condition and body are closed programs;
/// the functions derived from them for the rules are made once per pair.
struct WhileLoop: Primitive {
    let condition: ClosedFunction     // state -> bool scalar
    let body: ClosedFunction          // state -> state
    let maxTrips: Int?
    var name: String { "while" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        guard inputs == body.inputTypes, inputs == condition.inputTypes else {
            shapeFailure(name, "the loop's state is \(body.inputTypes), got \(inputs)")
        }
        let c = condition.outputTypes
        guard c.count == 1, c[0].shape.isEmpty, c[0].dtype == .bool else {
            shapeFailure(name, "the condition must return a bool scalar, got \(c)")
        }
        guard body.outputTypes == inputs else { shapeFailure(name, "the body changes the state from \(inputs) to \(body.outputTypes)") }
        return inputs
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        var state = inputs.map { Tensor(array: $0) }
        var trips = 0
        while condition.apply(state)[0].scalar(as: Bool.self) {
            if let maxTrips, trips >= maxTrips {
                shapeFailure(name, "the loop is still running after maxTrips = \(maxTrips) iterations")
            }
            state = body.apply(state)
            trips += 1
        }
        return state.map { $0.concrete(for: name) }
    }

    /// Forward mode: the loop carries primal and tangent (the body's forward-mode function); the
    /// condition reads the primal and ignores the tangent.
    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        let n = primals.count, types = body.inputTypes
        let onPrimal = condition.derived("ignoring tangents") {
            condition.rewired(inputTypes: types + types, feeding: Array(0..<n), outputs: condition.allOutputs)
        }
        let lifted = WhileLoop(condition: onPrimal, body: body.forward, maxTrips: maxTrips)
        return Array(bind(lifted, primals + filledZeros(tangents, like: primals))[n...])
    }


    /// Taylor mode: the loop carries the state and its coefficients (the body's Taylor form); the
    /// condition reads the state and ignores the coefficients.
    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        let n = primals.count, order = Taylor.order(series), leads = Taylor.leads(series, order: order)
        let coefficients = Taylor.coefficientArguments(primals, series, leads: leads)
        let types = body.inputTypes + coefficients.map(\.type)
        let onPrimal = condition.derived("ignoring jet \(order) \(leads)") {
            condition.rewired(inputTypes: types, feeding: Array(0..<n), outputs: condition.allOutputs)
        }
        let lifted = WhileLoop(condition: onPrimal, body: body.taylor(order: order, leads: leads), maxTrips: maxTrips)
        let out = bind(lifted, primals + coefficients)
        return Taylor.seriesOfResults(outputs, Array(out[n...]), order: order)
    }

    /// Reverse mode through `maxTrips` masked steps: step `k` applies the body only while the
    /// condition has held at every step so far, and the scan's reverse rule does the rest.
    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        guard let maxTrips else {
            shapeFailure(name, """
                reverse-mode differentiation of a whileLoop whose values are not known while tracing needs an \
                upper bound: give whileLoop(maxTrips:) the largest number of iterations it can take
                """)
        }
        let n = primals.count, condition = self.condition, body = self.body
        // carry: the state, then the int32 flag "still running"
        let masked = body.derived("masked step", with: condition) {
            .stage(body.inputTypes + [TensorType(shape: [], dtype: .int32)]) { args in
                let (state, flag) = split(args, at: n)
                let running = flag[0].cast(to: .bool) .& condition.apply(state)[0]
                let next = body.apply(state)
                return zip(next, state).map { `where`(running, $0, $1) } + [running.cast(to: .int32)]
            }
        }
        let bounded: ([Tensor]) -> [Tensor] = { s in
            Array(bind(Scan(body: masked, carryCount: n + 1, length: maxTrips, reverse: false), s + [Tensor(Int32(1))])[..<n])
        }
        return pullbackOfInexact(bounded, at: primals, filledZeros(cotangents, like: outputs)).map { Optional($0) }
    }

    /// A batched condition runs until no example's condition holds; finished examples keep their state.
    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        let state = zip(inputs, dims).map { Batching.toFront($0, $1, size: size) }
        let condition = self.condition, body = self.body
        let perExample = condition.batched(size: size), batchedBody = body.batched(size: size)
        let anyRunning = condition.derived("any of \(size)") {
            .stage(perExample.inputTypes) { s in [perExample.apply(s)[0].any()] }
        }
        let step = body.derived("masked batch of \(size)", with: condition) {
            .stage(batchedBody.inputTypes) { s in
                let running = perExample.apply(s)[0]
                let next = batchedBody.apply(s)
                return zip(next, s).map { `where`(running.reshaped(to: [size] + [Int](repeating: 1, count: $0.rank - 1)), $0, $1) }
            }
        }
        let out = bind(WhileLoop(condition: anyRunning, body: step, maxTrips: maxTrips), state)
        return (out, out.map { _ in 0 })
    }
}
