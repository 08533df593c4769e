/// `cond(p, operands)`: one of two functions applied to the operands, chosen by a bool scalar.
/// Inputs are the predicate then the operands; both branches take the operands' types and give the
/// same output types. The branches are closed programs; their derived forms are made once.
struct Cond: Primitive {
    let whenTrue: ClosedFunction
    let whenFalse: ClosedFunction
    var name: String { "cond" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        guard inputs[0].shape.isEmpty, inputs[0].dtype == .bool else {
            shapeFailure(name, "the predicate must be a bool scalar, got \(inputs[0])")
        }
        let operands = Array(inputs.dropFirst())
        guard operands == whenTrue.inputTypes, operands == whenFalse.inputTypes else {
            shapeFailure(name, "the branches take \(whenTrue.inputTypes), got \(operands)")
        }
        let (t, f) = (whenTrue.outputTypes, whenFalse.outputTypes)
        guard t == f else { shapeFailure(name, "the branches give different types: \(t) and \(f)") }
        return t
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        let taken = inputs[0].elements(as: Bool.self)[0] ? whenTrue : whenFalse
        return taken.apply(inputs.dropFirst().map { Tensor(array: $0) }).map { $0.concrete(for: name) }
    }

    /// Forward mode: a `cond` of the branches' forward-mode functions, `(x, ẋ) -> (y, ẏ)`.
    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        let operands = Array(primals.dropFirst()), t = filledZeros(Array(tangents.dropFirst()), like: operands)
        let out = bind(Cond(whenTrue: whenTrue.forward, whenFalse: whenFalse.forward), [primals[0]] + operands + t)
        return Array(out[(out.count / 2)...])
    }

    /// Reverse mode: a `cond` of the branches' pullbacks (each recomputes its branch).
    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        let operands = Array(primals.dropFirst()), cts = filledZeros(cotangents, like: outputs)
        return [nil] + bind(Cond(whenTrue: whenTrue.pullback, whenFalse: whenFalse.pullback), [primals[0]] + operands + cts)
    }


    /// Taylor mode: a `cond` of the branches' Taylor forms; the predicate reads the primal.
    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        let operands = Array(primals.dropFirst()), operandSeries = Array(series.dropFirst())
        let order = Taylor.order(series), leads = Taylor.leads(operandSeries, order: order)
        let lifted = Cond(whenTrue: whenTrue.taylor(order: order, leads: leads), whenFalse: whenFalse.taylor(order: order, leads: leads))
        let out = bind(lifted, [primals[0]] + operands + Taylor.coefficientArguments(operands, operandSeries, leads: leads))
        return Taylor.seriesOfResults(outputs, Array(out[outputs.count...]), order: order)
    }
    /// A batched predicate runs both branches on the whole batch and selects per example; a shared
    /// predicate picks one branch, batched.
    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        let operands = (1..<inputs.count).map { Batching.toFront(inputs[$0], dims[$0], size: size) }
        let (batchedTrue, batchedFalse) = (whenTrue.batched(size: size), whenFalse.batched(size: size))
        guard let pd = dims[0] else {
            let out = bind(Cond(whenTrue: batchedTrue, whenFalse: batchedFalse), [inputs[0]] + operands)
            return (out, out.map { _ in 0 })
        }
        let p = Batching.frontIfBatched(inputs[0], pd)
        let (t, f) = (batchedTrue.apply(operands), batchedFalse.apply(operands))
        let out = zip(t, f).map { a, b in
            `where`(p.reshaped(to: [size] + [Int](repeating: 1, count: a.rank - 1)), a, b)
        }
        return (out, out.map { _ in 0 })
    }
}
