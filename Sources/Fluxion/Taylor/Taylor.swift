/// Helpers of the Taylor rules: applying a map that is linear in the perturbation to every
/// coefficient at once, and deriving the coefficients of a primitive from its first-order rule.
/// The coefficient recurrences of the elementwise functions are in `Recurrences.swift`.
enum Taylor {
    /// Whether the interpreter applying the current rule carries its top order collapsed (the mean
    /// over directions): rules may then average early, where the average is exact.
    @TaskLocal static var collapsesTop = false

    /// Applies `map`, linear in the tangents (`nil`: zero), to every coefficient of every order and
    /// direction, batched (`vmap`) over the directions, so that a matrix product over all directions
    /// of an order is one GEMM. A series that is one stack (a single order, or the output of a
    /// previous linear rule) goes through as one batch; separate orders go one by one.
    static func perCoefficient(_ series: [TaylorSeries?], primals: [Tensor], outputs: [Tensor],
                               _ map: @escaping ([Tensor?]) -> [Tensor?]) -> [TaylorSeries?] {
        let active = series.indices.filter { series[$0] != nil }
        let order = Taylor.order(series), allLeads = Taylor.leads(series, order: order)
        let orders = stride(from: 1, through: order, by: 1).filter { k in active.contains { series[$0]!.has(k) } }
        let leads = orders.map { allLeads[$0 - 1] }
        let inexact = outputs.indices.filter { outputs[$0].dtype.isInexact }
        guard !orders.isEmpty, !inexact.isEmpty else { return outputs.map { _ in nil } }
        // A series already stacked with this layout is used as it is.
        func stackedAlike(_ i: Int) -> Tensor? {
            series[i]!.stack.flatMap { $0.orders == orders && $0.leads == leads ? $0.tensor : nil }
        }
        // Orders held apart are applied one by one (all directions of an order at once): stacking
        // them would copy every coefficient, which costs more than the separate products save
        // (measured on W7, W4 and the collapsed-Taylor setup: 10-15% slower, 1.6x the memory).
        if orders.count > 1, !active.allSatisfy({ stackedAlike($0) != nil }) {
            return byOrder(series, primals: primals, outputs: outputs, orders: orders, leads: leads, order: order, map)
        }
        let stacked = active.map { i in stackedAlike(i) ?? fitted(series[i]![orders[0]], lead: leads[0], like: primals[i]) }
        let results = overDirections(applying(map, to: active, primals: primals, outputs: outputs), stacked,
                                     count: leads.reduce(0, +))
        var out = [TaylorSeries?](repeating: nil, count: outputs.count)
        for (o, r) in zip(inexact, results) {
            out[o] = TaylorSeries(stack: .init(tensor: r, orders: orders, leads: leads), order: order)
        }
        return out
    }

    /// `map` as a function of the tangents of the inputs at `active` (the others zero), returning
    /// those of the inexact outputs (zeros where `map` gives none) in the outputs' dtypes.
    private static func applying(_ map: @escaping ([Tensor?]) -> [Tensor?], to active: [Int], primals: [Tensor],
                                 outputs: [Tensor]) -> ([Tensor]) -> [Tensor] {
        let inexact = outputs.indices.filter { outputs[$0].dtype.isInexact }
        return { ts in
            var tangents = [Tensor?](repeating: nil, count: primals.count)
            for (i, t) in zip(active, ts) { tangents[i] = t }
            let out = map(tangents)
            return inexact.map { matchingDType(out[$0] ?? Tensor.zeros(like: outputs[$0]), outputs[$0]) }
        }
    }

    /// ``perCoefficient`` one order at a time (each order batched over its directions).
    private static func byOrder(_ series: [TaylorSeries?], primals: [Tensor], outputs: [Tensor], orders: [Int], leads: [Int],
                                order: Int, _ map: @escaping ([Tensor?]) -> [Tensor?]) -> [TaylorSeries?] {
        let inexact = outputs.indices.filter { outputs[$0].dtype.isInexact }
        var coefficients = outputs.map { _ in [Tensor?](repeating: nil, count: order) }
        for (k, lead) in zip(orders, leads) {
            let active = series.indices.filter { series[$0]?[k] != nil }
            let args = active.map { fitted(series[$0]![k], lead: lead, like: primals[$0]) }
            let results = overDirections(applying(map, to: active, primals: primals, outputs: outputs), args, count: lead)
            for (o, r) in zip(inexact, results) { coefficients[o][k - 1] = r }
        }
        return outputs.indices.map { inexact.contains($0) ? TaylorSeries(coefficients: coefficients[$0]) : nil }
    }

    /// The Taylor coefficients of a function known through its value and first-order rule.
    ///
    /// Along `x(t)`, `y(t) = f(x(t))` has derivative `ẏ(t) = jvp_f(x(t), ẋ(t))`. The series of
    /// `ẋ` is known from that of `x` (`ẋ_m = (m+1) x_{m+1}`), so the series of `ẏ` to order K−1 is one
    /// Taylor-mode pass of order K−1 through the rule (and through `f` inside it), and
    /// `y_k = ẏ_{k−1} / k`. The recursion ends at order 1, the rule itself. It costs K nested passes
    /// of decreasing order, so it serves the primitives whose higher-order structure has no closed
    /// recurrence (eigen-, QR, LU and singular-value decompositions, products of many elements, and
    /// `customJVP` functions, whose rule it respects at every order).
    static func integratingForwardRule(primals: [Tensor], series: [TaylorSeries?], outputs: [Tensor],
                                       apply: @escaping ([Tensor]) -> [Tensor],
                                       jvp: @escaping ([Tensor], [Tensor?], [Tensor]) -> [Tensor?]) -> [TaylorSeries?] {
        let active = series.indices.filter { series[$0] != nil }
        let inexact = outputs.indices.filter { outputs[$0].dtype.isInexact }
        let order = Taylor.order(series)
        guard order > 0, !inexact.isEmpty else { return outputs.map { _ in nil } }
        let lead = Taylor.leads(series, order: order).max()!
        let n = primals.count

        // One direction: coefficients x_1…x_K of each active input (input-major) -> y_1…y_K of each
        // inexact output (output-major).
        let oneDirection: ([Tensor]) -> [Tensor] = { flat in
            let x = active.indices.map { a in Array(flat[(a * order)..<((a + 1) * order)]) }
            func tangents(_ values: [Tensor]) -> [Tensor?] {
                var t = [Tensor?](repeating: nil, count: n)
                for (a, i) in active.enumerated() { t[i] = values[a] }
                return t
            }
            if order == 1 {
                let t = jvp(primals, tangents(x.map { $0[0] }), outputs)
                return inexact.map { t[$0] ?? Tensor.zeros(like: outputs[$0]) }
            }
            // G(x, ẋ) = jvp_f(x, ẋ) for the inexact outputs.
            let g: ([Tensor]) -> [Tensor] = { args in
                let xs = Array(args[..<n])
                let y = apply(xs)
                let t = jvp(xs, tangents(Array(args[n...])), y)
                return inexact.map { t[$0] ?? Tensor.zeros(like: y[$0]) }
            }
            var innerSeries = [TaylorSeries?](repeating: nil, count: n)
            for (a, i) in active.enumerated() {
                innerSeries[i] = TaylorSeries(coefficients: (0..<(order - 1)).map { x[a][$0].expandingShape(at: 0) })
            }
            innerSeries += active.indices.map { a in
                TaylorSeries(coefficients: (1..<order).map { m in (Double(m + 1) * x[a][m]).expandingShape(at: 0) })
            }
            let (ydot, ydotSeries) = taylorMode(g, at: primals + x.map { $0[0] }, series: innerSeries, order: order - 1)
            return inexact.indices.flatMap { o in
                [ydot[o]] + (1..<order).map { m in
                    (ydotSeries[o]?[m]?.squeezed(axes: [0]) ?? Tensor.zeros(like: ydot[o])) / Double(m + 1)
                }
            }
        }
        let flat = active.flatMap { i in (1...order).map { fitted(series[i]![$0], lead: lead, like: primals[i]) } }
        let results = overDirections(oneDirection, flat, count: lead)
        var out = [TaylorSeries?](repeating: nil, count: outputs.count)
        for (j, o) in inexact.enumerated() {
            out[o] = TaylorSeries(coefficients: Array(results[(j * order)..<((j + 1) * order)]))
        }
        return out
    }

    /// `f` applied to each direction of its arguments, `[count] + shape` each: batched by `vmap`, or
    /// called directly on the one direction.
    static func overDirections(_ f: @escaping ([Tensor]) -> [Tensor], _ args: [Tensor], count: Int) -> [Tensor] {
        count == 1 ? f(args.map { $0.squeezed(axes: [0]) }).map { $0.expandingShape(at: 0) } : vmap(f)(args)
    }

    /// The direction count of each order among the series (1 where none has a coefficient).
    static func leads(_ series: [TaylorSeries?], order: Int) -> [Int] {
        stride(from: 1, through: order, by: 1).map { k in series.compactMap { $0?.has(k) == true ? $0!.lead(k) : nil }.max() ?? 1 }
    }

    /// A coefficient brought to `lead` directions: zeros when nil, broadcast when it has one, the
    /// mean when it has more (only the top order of a collapsed series, where the mean is exact).
    static func fitted(_ c: Tensor?, lead: Int, like x: Tensor) -> Tensor {
        let shape = [lead] + x.shape
        guard let c else { return Tensor.zeros(shape, dtype: x.dtype) }
        if c.shape[0] > lead { return c.mean(alongAxes: [0], keepingDims: true).broadcast(to: shape) }
        return c.shape == shape ? c : c.broadcast(to: shape)
    }

    /// The value-first terms of both operands of a binary elementwise primitive, aligned for
    /// broadcasting against its output.
    static func binaryTerms(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> ([Tensor?], [Tensor?]) {
        let order = Taylor.order(series), rank = outputs[0].rank
        return (aligned(terms(primals, series, 0, order: order), rank: rank),
                aligned(terms(primals, series, 1, order: order), rank: rank))
    }

    /// The terms (value first) of an operand of an elementwise primitive whose output has rank
    /// `rank`: coefficients get singleton axes after the direction axis, so that they broadcast
    /// like the value does.
    static func aligned(_ terms: [Tensor?], rank: Int) -> [Tensor?] {
        let valueRank = terms[0]!.rank
        guard valueRank < rank else { return terms }
        return terms.enumerated().map { k, c in
            guard k > 0, let c else { return c }
            return c.reshaped(to: [c.shape[0]] + [Int](repeating: 1, count: rank - valueRank) + Array(c.shape.dropFirst()))
        }
    }

    /// The terms of input `i` (value first), zeros as nil, to order `order`.
    static func terms(_ primals: [Tensor], _ series: [TaylorSeries?], _ i: Int, order: Int) -> [Tensor?] {
        series[i]?.terms(from: primals[i]) ?? ([primals[i]] + [Tensor?](repeating: nil, count: order))
    }

    /// The order of the series present.
    static func order(_ series: [TaylorSeries?]) -> Int { series.compactMap { $0?.order }.max() ?? 0 }
}
