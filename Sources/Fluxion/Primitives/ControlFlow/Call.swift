/// A call of a staged sub-program: what a jitted function binds when it is called under another
/// transform (`grad(jit(f))`, `vmap(jit(f))`, `jit` inside `jit`), so the enclosing transform
/// reuses the compiled program instead of tracing the Swift function again. Its rules call the
/// derived programs of ``ClosedFunction``, each staged once.
struct Call: Primitive {
    let function: ClosedFunction
    var name: String { "call" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        guard inputs == function.inputTypes else {
            shapeFailure(name, "the program takes \(function.inputTypes), got \(inputs)")
        }
        return function.outputTypes
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        function.apply(inputs.map { Tensor(array: $0) }).map { $0.concrete(for: name) }
    }

    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        let out = bind(Call(function: function.forward), primals + filledZeros(tangents, like: primals))
        return Array(out[outputs.count...])
    }

    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        bind(Call(function: function.pullback), primals + filledZeros(cotangents, like: outputs))
    }


    /// Taylor mode: a call of the function's Taylor form.
    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        let order = Taylor.order(series), leads = Taylor.leads(series, order: order)
        let out = bind(Call(function: function.taylor(order: order, leads: leads)),
                       primals + Taylor.coefficientArguments(primals, series, leads: leads))
        return Taylor.seriesOfResults(outputs, Array(out[outputs.count...]), order: order)
    }
    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        let args = zip(inputs, dims).map { Batching.toFront($0, $1, size: size) }
        let out = bind(Call(function: function.batched(size: size)), args)
        return (out, out.map { _ in 0 })
    }
}
