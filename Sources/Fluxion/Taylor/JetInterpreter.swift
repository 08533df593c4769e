/// Taylor mode: each tracer carries a primal value and its normalized Taylor coefficients of orders
/// 1…K (``TaylorSeries``). Primitives push the series through their ``TaylorRules``.
///
/// With `collapsesTop`, the coefficient of the top order K is carried as the *mean* over the
/// directions instead of per direction ("collapsed Taylor mode", Dangel et al. 2025; for K = 2 the
/// forward Laplacian of Li et al. 2024). This is exact: every rule's top coefficient is
/// `y_K = J x_K + N(x_1 … x_{K−1})` with `J` the Jacobian, linear in `x_K`, so averaging the rule's
/// result over directions (the lower coefficients per direction, `x_K` as its mean broadcast to all)
/// gives the mean of the per-direction results. Linear primitives then apply once to the top
/// coefficient instead of once per direction.
final class JetInterpreter: Interpreter, @unchecked Sendable {
    let level: Int
    let order: Int
    let collapsesTop: Bool
    var transformName: String { "jet" }

    init(level: Int, order: Int, collapsesTop: Bool) {
        self.level = level
        self.order = order
        self.collapsesTop = collapsesTop
    }

    final class JetTracer: Tracer, @unchecked Sendable {
        let primal: Tensor
        let series: TaylorSeries
        init(_ interpreter: JetInterpreter, primal: Tensor, series: TaylorSeries) {
            self.primal = primal
            self.series = series
            super.init(interpreter: interpreter, type: primal.type)
        }
        override var knownValue: Tensor? { primal }
    }

    /// The primal and series of a tensor as this interpreter sees it (nil series: a constant).
    func unwrap(_ x: Tensor) -> (Tensor, TaylorSeries?) {
        if case .traced(let t) = x.storage, t.interpreter === self, let j = t as? JetTracer { return (j.primal, j.series) }
        return (x, nil)
    }

    /// Wraps a primal with its series, after bringing each coefficient to `[R] + primal.shape` and the
    /// primal's dtype, and collapsing the top coefficient to its mean over directions if asked.
    func wrap(_ primal: Tensor, _ series: TaylorSeries?) -> Tensor {
        guard let series, primal.dtype.isInexact else { return primal }
        precondition(series.order == order, "jet: a rule produced a series of order \(series.order), expected \(order)")
        // A stack from a linear rule already has the primal's dtype and shape; it is kept stacked
        // unless its top order needs collapsing.
        if let stack = series.stack, stack.tensor.dtype == primal.dtype,
           Array(stack.tensor.shape.dropFirst()) == primal.shape,
           !(collapsesTop && stack.orders.last == order && stack.leads.last! > 1) {
            return Tensor(tracer: JetTracer(self, primal: primal, series: series))
        }
        let coefficients = series.coefficients.enumerated().map { i, c -> Tensor? in
            guard var c else { return nil }
            precondition(c.rank == primal.rank + 1,
                         "jet: a rule produced a coefficient of shape \(c.shape) for a value of shape \(primal.shape)")
            c = matchingDType(c, primal)
            if collapsesTop && i == order - 1 && c.shape[0] > 1 { c = c.mean(alongAxes: [0], keepingDims: true) }
            let shape = [c.shape[0]] + primal.shape
            return c.shape == shape ? c : c.broadcast(to: shape)
        }
        guard coefficients.contains(where: { $0 != nil }) else { return primal }
        return Tensor(tracer: JetTracer(self, primal: primal, series: TaylorSeries(coefficients: coefficients)))
    }

    func process<P: Primitive>(_ primitive: P, _ inputs: [Tensor]) -> [Tensor] {
        let unwrapped = inputs.map(unwrap)
        let primals = unwrapped.map(\.0), series = unwrapped.map(\.1)
        let outputs = bind(primitive, primals)
        if series.allSatisfy({ $0 == nil }) { return outputs }
        let outSeries = Taylor.$collapsesTop.withValue(collapsesTop) { primitive.jet(primals, series, outputs) }
        return zip(outputs, outSeries).map { wrap($0, $1) }
    }
}

/// Taylor mode on flat lists: the outputs and their series (nil: zero) for input series of order
/// `order` (nil: a constant input).
func taylorMode(_ f: ([Tensor]) throws -> [Tensor], at xs: [Tensor], series: [TaylorSeries?], order: Int,
                collapsesTop: Bool = false) rethrows -> (values: [Tensor], series: [TaylorSeries?]) {
    precondition(xs.count == series.count, "jet: \(series.count) series for \(xs.count) inputs")
    if order == 0 { return (try f(xs), xs.map { _ in nil }) }
    let coefficientTensors = series.flatMap { s in s.map { $0.stack.map { [$0.tensor] } ?? $0.coefficients.compactMap { $0 } } ?? [] }
    let interpreter = JetInterpreter(level: newLevel(xs + coefficientTensors), order: order, collapsesTop: collapsesTop)
    let inputs = zip(xs, series).map { interpreter.wrap($0, $1) }
    let outputs = try TraceStack.$depth.withValue(interpreter.level) { try f(inputs) }
    let pairs = outputs.map(interpreter.unwrap)
    return (pairs.map(\.0), pairs.map(\.1))
}
