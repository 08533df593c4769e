/// Repeats a function on a state while a predicate of the state holds. Inputs and outputs are the
/// state. With `maxTrips`, running longer is an error, and reverse mode is defined: the loop is
/// differentiated as a scan of `maxTrips` masked steps.
struct WhileLoop: Primitive {
    let condition: TensorFunction     // state -> bool scalar
    let body: TensorFunction          // state -> state
    let maxTrips: Int?
    /// Evaluation runs Swift functions, whose output types are known only by running (or staging) them.
    static var checksTypesEagerly: Bool { false }
    var name: String { "while" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let c = condition.outputTypes(inputs)
        guard c.count == 1, c[0].shape.isEmpty, c[0].dtype == .bool else {
            shapeFailure(name, "the condition must return a bool scalar, got \(c)")
        }
        let out = body.outputTypes(inputs)
        guard out == inputs else { shapeFailure(name, "the body changes the state from \(inputs) to \(out)") }
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

    /// Forward mode: the loop carries primal and tangent; the condition reads the primal.
    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        let n = primals.count, body = self.body, condition = self.condition
        let lifted = WhileLoop(condition: TensorFunction { condition.apply(Array($0[..<n])) },
                               body: TensorFunction { args in
                                   let (x, t) = split(args, at: n)
                                   let (y, ty) = forwardMode(body.apply, at: x, tangents: t, transform: "jvp")
                                   return y + ty
                               }, maxTrips: maxTrips)
        return Array(bind(lifted, primals + filledZeros(tangents, like: primals))[n...])
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
        let n = primals.count, body = self.body, condition = self.condition
        let masked = TensorFunction { args in
            // carry: state, then the int32 flag "still running"
            let (state, flag) = split(args, at: n)
            let running = flag[0].cast(to: .bool) .& condition.apply(state)[0]
            let next = body.apply(state)
            return zip(next, state).map { `where`(running, $0, $1) } + [running.cast(to: .int32)]
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
        let perExample: ([Tensor]) -> Tensor = { s in vmap({ (a: [Tensor]) in condition.apply(a)[0] })(s) }
        let anyRunning = TensorFunction { s in [perExample(s).any()] }
        let step = TensorFunction { s in
            let running = perExample(s)
            let next = body.batched.apply(s)
            return zip(next, s).map { `where`(running.reshaped(to: [size] + [Int](repeating: 1, count: $0.rank - 1)), $0, $1) }
        }
        let out = bind(WhileLoop(condition: anyRunning, body: step, maxTrips: maxTrips), state)
        return (out, out.map { _ in 0 })
    }
}
