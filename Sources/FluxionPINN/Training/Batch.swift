import Fluxion

/// The points of one condition in a batch.
public struct ConditionBatch: TensorTree {
    /// `[n, dimension]`
    public var points: Tensor
    /// `[n]`: the condition's target values.
    public var targets: Tensor
    /// `[n, dimension]`: outward normals (Neumann, Robin) or the partner points on the opposite face
    /// (periodic); zeros otherwise.
    public var directions: Tensor
}

/// The points a training step sees: collocation points for the residual and each condition's points.
public struct PINNBatch: TensorTree {
    /// `[n, dimension]`
    public var collocation: Tensor
    public var conditions: [String: ConditionBatch]
    /// `[chunks, n]`: row k is 1 where a collocation point is in the k-th time chunk (causal weighting),
    /// `[0, n]` when not used.
    public var chunks: Tensor
}

extension PINNBatch {
    /// The batch split into `count` blocks: consecutive runs of the collocation points and of each
    /// condition's points, of sizes differing by at most one (a block may hold no points of a small
    /// condition). Without causal weighting only: the blocks carry no time slabs.
    public func blocks(_ count: Int) -> [PINNBatch] {
        func part(_ t: Tensor, _ i: Int) -> Tensor {
            let n = t.shape[0]
            return t[(i * n / count)..<((i + 1) * n / count)]
        }
        return (0..<count).map { i in
            let points = part(collocation, i)
            return PINNBatch(collocation: points,
                             conditions: conditions.mapValues { c in
                                 ConditionBatch(points: part(c.points, i), targets: part(c.targets, i), directions: part(c.directions, i))
                             },
                             chunks: Tensor.zeros([0, points.shape[0]]))
        }
    }
}

extension Problem {
    /// Draws a batch: `collocation` interior points by `sampler`, and each condition's points, from `key`.
    public func batch(collocation: Int, sampler: Sampler, key: PRNGKey, causalChunks: Int = 0) throws -> PINNBatch {
        let d = domain.dimension
        let interior = try domain.interiorPoints(collocation, sampler: sampler, key: key.foldIn(0))
        var conditions: [String: ConditionBatch] = [:]
        for (index, c) in self.conditions.enumerated() {
            let k = key.foldIn(index + 1)
            var points: [[Double]], targets: [Double], directions: [[Double]]
            switch c.kind {
            case .dirichlet, .neumann, .robin:
                points = try boundaryPoints(c.points, region: c.region, key: k, condition: c.name)
                targets = points.map(c.target)
                directions = points.map { p in
                    if case .dirichlet = c.kind { return [Double](repeating: 0, count: d) }
                    return domain.normal(at: p)
                }
            case let .periodic(axis, _):
                let (lower, upper) = domain.bounds
                points = try domain.interiorPoints(c.points, sampler: sampler, key: k).map { p in
                    var q = p; q[axis] = lower[axis]; return q
                }
                directions = points.map { p in var q = p; q[axis] = upper[axis]; return q }
                targets = [Double](repeating: 0, count: points.count)
            case .initial:
                guard let st = domain as? SpaceTime else { throw GeometryError.invalid("initial condition without time") }
                points = try st.initialPoints(c.points, sampler: sampler, key: k)
                targets = points.map(c.target)
                directions = points.map { _ in [Double](repeating: 0, count: d) }
            case let .observations(p, values):
                points = p
                targets = values
                directions = p.map { _ in [Double](repeating: 0, count: d) }
            }
            conditions[c.name] = ConditionBatch(points: pointTensor(points, dimension: d), targets: Tensor(targets),
                                                directions: pointTensor(directions, dimension: d))
        }
        let collocation = pointTensor(interior, dimension: d)
        return PINNBatch(collocation: collocation, conditions: conditions, chunks: timeSlabs(of: collocation, count: causalChunks))
    }

    /// The causal-weighting indicator of collocation points `[n, dimension]`: `[count, n]`, row k one
    /// where a point's time is in the k-th of `count` equal slabs; `[0, n]` when `count` is 0 or the
    /// domain has no time.
    func timeSlabs(of points: Tensor, count: Int) -> Tensor {
        let n = points.shape[0]
        guard count > 0, let st = domain as? SpaceTime else { return Tensor.zeros([0, n]) }
        let d = domain.dimension, all = points.doubles
        var rows = [Double](repeating: 0, count: count * n)
        for j in 0..<n {
            let t = all[j * d + d - 1]
            let k = Swift.min(count - 1, Int((t - st.start) / (st.end - st.start) * Double(count)))
            rows[k * n + j] = 1
        }
        return Tensor(rows, shape: [count, n])
    }

    /// Boundary points in `region`, drawn until there are `count`.
    func boundaryPoints(_ count: Int, region: (@Sendable ([Double]) -> Bool)?, key: PRNGKey, condition: String) throws -> [[Double]] {
        guard let region else { return domain.boundaryPoints(count, key: key) }
        var points: [[Double]] = [], round = 0
        while points.count < count {
            guard round < 64 else {
                throw GeometryError.invalid("condition \"\(condition)\": its region holds too little of the boundary to sample")
            }
            points += domain.boundaryPoints(2 * count, key: key.foldIn(round)).filter(region).prefix(count - points.count)
            round += 1
        }
        return points
    }
}
