/// Taylor mode through the closed programs of the control-flow primitives: the program's Taylor
/// form takes and returns the coefficients as extra tensors, so that `cond`, `while` and `scan`
/// stay one primitive (and one loop) under `jet`.
extension ClosedFunction {
    /// Taylor mode of order K: `(x, c) -> (y, c')`, where every inexact input and output carries
    /// its K coefficients, coefficient k with `leads[k-1]` directions (input-major, then by order).
    func taylor(order: Int, leads: [Int]) -> ClosedFunction {
        derived("jet \(order) \(leads)") {
            let n = inputTypes.count
            let inexactIn = inputTypes.indices.filter { inputTypes[$0].dtype.isInexact }
            let coefficientTypes = inexactIn.flatMap { i in
                leads.map { TensorType(shape: [$0] + inputTypes[i].shape, dtype: inputTypes[i].dtype) }
            }
            return .stage(inputTypes + coefficientTypes) { args in
                var series = [TaylorSeries?](repeating: nil, count: n)
                for (a, i) in inexactIn.enumerated() {
                    series[i] = TaylorSeries(coefficients: (0..<order).map { args[n + a * order + $0] })
                }
                let (y, ys) = taylorMode(self.apply, at: Array(args[..<n]), series: series, order: order)
                return y + Taylor.coefficientArguments(y, ys, leads: leads)
            }
        }
    }
}

extension Taylor {
    /// The coefficients of the inexact tensors among `xs`, fitted to `leads`, tensor-major.
    static func coefficientArguments(_ xs: [Tensor], _ series: [TaylorSeries?], leads: [Int]) -> [Tensor] {
        xs.indices.filter { xs[$0].dtype.isInexact }.flatMap { i in
            leads.indices.map { fitted(series[i]?[$0 + 1], lead: leads[$0], like: xs[i]) }
        }
    }

    /// The series of `outputs` from the coefficients a closed Taylor form returned for them.
    static func seriesOfResults(_ outputs: [Tensor], _ coefficients: [Tensor], order: Int) -> [TaylorSeries?] {
        var next = 0
        return outputs.map { y in
            guard y.dtype.isInexact else { return nil }
            defer { next += order }
            return TaylorSeries(coefficients: Array(coefficients[next..<(next + order)]))
        }
    }

    /// `f` applied to each direction of a coefficient `[R] + shape` (batched when R > 1).
    static func mapDirections(_ c: Tensor, _ f: @escaping (Tensor) -> Tensor) -> Tensor {
        overDirections({ [f($0[0])] }, [c], count: c.shape[0])[0]
    }
}
