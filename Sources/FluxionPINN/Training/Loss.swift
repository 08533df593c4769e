import Fluxion
import FluxionNN

/// Causal weighting for evolution problems (Wang, Sankaran and Perdikaris, 2024): the collocation
/// points are split into `chunks` time slabs with mean squared residuals `L₁ … L_M`, and slab k is
/// weighted by `wₖ = exp(−ε Σ_{j<k} Lⱼ)` (gradient stopped), so later times are trained only once
/// earlier ones are resolved.
public struct CausalWeighting: Sendable, Codable, Equatable {
    public var chunks: Int
    public var epsilon: Double
    public init(chunks: Int = 16, epsilon: Double = 1) {
        self.chunks = chunks
        self.epsilon = epsilon
    }
}

extension Problem {
    /// The names of the loss terms, in order: the residual, then each condition.
    public var termNames: [String] { ["residual"] + conditions.map(\.name) }

    /// The residual at each collocation point, `[n]` (or `[n, m]` for a system).
    public func residuals<Net: Layer>(_ p: PINNParameters<Net>, at points: Tensor) -> Tensor {
        let u = field(p.network, coefficients: p.coefficients)
        let coefficients = p.coefficients, timeIndex = self.timeIndex, residual = self.residual
        // Record which derivatives the residual reads, on a recording field.
        let probe = FieldPoint(recording: Tensor.zeros([domain.dimension]), timeIndex: timeIndex,
                               valueShape: u(Tensor.zeros([domain.dimension])).shape, coefficients: coefficients)
        _ = residual(probe)
        let requests = probe.requests
        return vmap({ (z: Tensor) in
            residual(FieldPoint(u, at: z, timeIndex: timeIndex, requests: requests, coefficients: coefficients))
        })(points)
    }

    /// The unweighted loss terms (mean squares), in the order of ``termNames``: `[terms]`.
    public func lossTerms<Net: Layer>(_ p: PINNParameters<Net>, _ batch: PINNBatch, causal: CausalWeighting? = nil) -> Tensor {
        guard let causal, batch.chunks.shape[0] > 0 else { return lossSums(p, batch) / Tensor(termCounts(batch)) }
        // Mean square per slab, then the causal weights from the slabs before.
        let squares = residualSquares(p, batch)
        let counts = batch.chunks.sum(alongAxes: [1]) + 1e-12
        let slab = matmul(batch.chunks, squares) / counts
        let before = stopGradient(slab).cumsum(axis: 0) - stopGradient(slab)
        let residual = (exp(-causal.epsilon * before) * slab).mean()
        return Tensor.stack([residual] + zip(conditionSums(p, batch), termCounts(batch).dropFirst()).map { $0 / $1 })
    }

    /// The sums of squares of each loss term over the batch's points (no causal weighting), in the
    /// order of ``termNames``: `[terms]`. Sums over the blocks of a batch add up to the batch's sums,
    /// which is how a training step is split into blocks computed concurrently.
    public func lossSums<Net: Layer>(_ p: PINNParameters<Net>, _ batch: PINNBatch) -> Tensor {
        Tensor.stack([residualSquares(p, batch).sum()] + conditionSums(p, batch))
    }

    /// The number of points of each loss term in `batch` (the divisor of its mean), in the order of
    /// ``termNames``.
    public func termCounts(_ batch: PINNBatch) -> [Double] {
        [Double(batch.collocation.shape[0])] + conditions.map { Double(batch.conditions[$0.name]!.points.shape[0]) }
    }

    /// The squared residual at each collocation point (summed over a system's components): `[n]`.
    func residualSquares<Net: Layer>(_ p: PINNParameters<Net>, _ batch: PINNBatch) -> Tensor {
        let r = residuals(p, at: batch.collocation)
        return r.rank > 1 ? (r * r).sum(alongAxes: Array(1..<r.rank)) : r * r
    }

    /// Each condition's sum of squared misfits over its points.
    func conditionSums<Net: Layer>(_ p: PINNParameters<Net>, _ batch: PINNBatch) -> [Tensor] {
        let u = field(p.network, coefficients: p.coefficients)
        return conditions.map { c in
            let b = batch.conditions[c.name]!
            let term: Tensor
            switch c.kind {
            case .dirichlet, .initial, .observations:
                term = vmap(u)(b.points) - b.targets
            case .neumann:
                term = vmap({ (z: Tensor, n: Tensor) in directionalDerivatives(u, at: z, along: n, order: 1)[1] })(b.points, b.directions) - b.targets
            case let .robin(alpha):
                term = vmap({ (z: Tensor, n: Tensor) in
                    let d = directionalDerivatives(u, at: z, along: n, order: 1)
                    return d[1] + alpha * d[0]
                })(b.points, b.directions) - b.targets
            case let .periodic(axis, derivatives):
                var e = [Double](repeating: 0, count: domain.dimension); e[axis] = 1
                let along = Tensor(e)
                let series = { (z: Tensor) in Tensor.stack(directionalDerivatives(u, at: z, along: along, order: Swift.max(derivatives, 1))) }
                let difference = vmap(series)(b.points) - vmap(series)(b.directions)
                term = difference[.ellipsis, 0..<(derivatives + 1)]
            }
            return (term * term).sum()
        }
    }
}
