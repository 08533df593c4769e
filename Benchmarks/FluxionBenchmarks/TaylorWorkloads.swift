import Fluxion

/// The Taylor-mode workloads: the same quantities computed with the Taylor operators and with
/// nested first-order differentiation. `Benchmarks/peers/jax_workloads.py` has the JAX versions.
extension Workloads {
    /// W7 with the forward Laplacian (value, gradient and Laplacian in one collapsed pass).
    static func w7Forward(_ b: Batch) -> Tensor {
        vmap({ (x: Tensor) -> Tensor in laplacian { x in b.params(x).sum() }(x) })(b.x)
    }

    /// The collapsed-Taylor setup: a tanh MLP 50-768-768-512-512-1 at 256 points.
    static func collapsedBatch() -> Batch {
        let key = PRNGKey(seed: 11)
        return Batch(params: MLP(sizes: [50, 768, 768, 512, 512, 1], key: key.foldIn(1)),
                     x: Random.normal(key.foldIn(2), shape: [256, 50]), y: Tensor.zeros([1]))
    }

    /// The Laplacian as the trace of the Hessian (forward over reverse), per point.
    static func laplacianByHessian(_ b: Batch) -> Tensor {
        vmap({ (x: Tensor) -> Tensor in hessian { x in b.params(x).sum() }(x).diagonal().sum() })(b.x)
    }

    /// W4 arguments: an MLP 2-20-20-20-1 and the collocation, initial and boundary points.
    struct Burgers: TensorTree {
        var params: MLP
        var collocation: Tensor      // [8192, 2] of (x, t)
        var initial: Tensor          // [256, 2] at t = 0
        var boundary: Tensor         // [256, 2] at x = ±1
    }

    static func w4Arguments() -> Burgers {
        let key = PRNGKey(seed: 4)
        let xs = Random.uniform(key.foldIn(1), shape: [8192, 1], low: -1, high: 1)
        let ts = Random.uniform(key.foldIn(2), shape: [8192, 1])
        let x0 = Random.uniform(key.foldIn(3), shape: [256, 1], low: -1, high: 1)
        let tb = Random.uniform(key.foldIn(4), shape: [256, 1])
        let side = Tensor.concatenate([Tensor.full([128, 1], -1), Tensor.full([128, 1], 1)])
        return Burgers(params: MLP(sizes: [2, 20, 20, 20, 1], key: key.foldIn(5)),
                       collocation: Tensor.concatenate([xs, ts], axis: 1),
                       initial: Tensor.concatenate([x0, Tensor.zeros([256, 1])], axis: 1),
                       boundary: Tensor.concatenate([side, tb], axis: 1))
    }

    /// The W4 loss given the residual's derivatives at one point.
    static func burgersLoss(_ p: MLP, _ b: Burgers, residual: @escaping (MLP, Tensor) -> Tensor) -> Tensor {
        let r = vmap({ (z: Tensor) in residual(p, z) })(b.collocation)
        let ic: Tensor = p(b.initial).reshaped(to: [256]) + sin(Double.pi * b.initial[.ellipsis, 0])
        let bc: Tensor = p(b.boundary)
        return (r * r).mean() + (ic * ic).mean() + (bc * bc).mean()
    }

    static let burgersNu = 0.01 / Double.pi

    /// W4 with the Taylor operators: a second-order series along x gives u, u_x, u_xx, a first-order
    /// one along t gives u_t.
    static func w4(_ b: Burgers) -> [Tensor] {
        let (value, gradient) = valueAndGrad { (p: MLP) in burgersLoss(p, b, residual: burgersResidual) }(b.params)
        return [value] + gradient.leaves
    }

    /// Burgers' residual `u_t + u u_x − ν u_xx` at one point by the Taylor operators.
    static func burgersResidual(_ p: MLP, _ z: Tensor) -> Tensor {
        let u = { (z: Tensor) in p(z).sum() }
        let dx = directionalDerivatives(u, at: z, along: Tensor([1.0, 0]), order: 2)
        let ut = directionalDerivatives(u, at: z, along: Tensor([0.0, 1]), order: 1)[1]
        return ut + dx[0] * dx[1] - burgersNu * dx[2]
    }

    /// W4 as FluxionPINN computes a step: the points split into `count` consecutive blocks (each
    /// set of points by itself), each block's sums of squares and their gradient (scaled by
    /// `1/points` per term, so that the blocks add up to W4's means) in one jitted call, the blocks run
    /// one per core by `concurrentMap` and added in order.
    static func w4Blocks(_ b: Burgers, count: Int) -> [Burgers] {
        func part(_ t: Tensor, _ i: Int) -> Tensor { t[(i * t.shape[0] / count)..<((i + 1) * t.shape[0] / count)] }
        return (0..<count).map { i in
            Burgers(params: b.params, collocation: part(b.collocation, i), initial: part(b.initial, i), boundary: part(b.boundary, i))
        }
    }

    /// One block's value and gradient (see ``w4Blocks(_:count:)``).
    static func w4Block(_ p: MLP, _ block: Burgers) -> (Tensor, MLP) {
        let (value, gradient) = valueAndGrad { (p: MLP) -> Tensor in
            let r = vmap({ (z: Tensor) in burgersResidual(p, z) })(block.collocation)
            let ic: Tensor = p(block.initial).reshaped(to: [block.initial.shape[0]]) + sin(Double.pi * block.initial[.ellipsis, 0])
            let bc: Tensor = p(block.boundary)
            return (r * r).sum() / 8192 + (ic * ic).sum() / 256 + (bc * bc).sum() / 256
        }(p)
        return (value, gradient)
    }

    /// W4 with nested reverse mode (as a JAX user writes it).
    static func w4Nested(_ b: Burgers) -> [Tensor] {
        let (value, gradient) = valueAndGrad { (p: MLP) in
            burgersLoss(p, b) { p, z in
                let u = { (z: Tensor) in p(z).sum() }
                let du = grad(u)
                let uxx = grad { (z: Tensor) in du(z)[0] }(z)[0]
                let g = du(z)
                return g[1] + u(z) * g[0] - burgersNu * uxx
            }
        }(b.params)
        return [value] + gradient.leaves
    }

    /// A fourth-order residual, Kuramoto–Sivashinsky `u_t + u u_x + u_xx + u_xxxx` of an MLP 2-20-20-1
    /// at 4096 points: the mean squared residual and its parameter gradient.
    static func ksBatch() -> Batch {
        let key = PRNGKey(seed: 12)
        return Batch(params: MLP(sizes: [2, 20, 20, 1], key: key.foldIn(1)),
                     x: Random.uniform(key.foldIn(2), shape: [4096, 2], low: -1, high: 1), y: Tensor.zeros([1]))
    }

    static func ksLoss(_ b: Batch, residual: @escaping (MLP, Tensor) -> Tensor) -> [Tensor] {
        let (value, gradient) = valueAndGrad { (p: MLP) in
            let r = vmap({ (z: Tensor) in residual(p, z) })(b.x)
            return (r * r).mean()
        }(b.params)
        return [value] + gradient.leaves
    }

    /// KS with Taylor mode: a fourth-order series along x, a first-order one along t.
    static func ks(_ b: Batch) -> [Tensor] {
        ksLoss(b) { p, z in
            let u = { (z: Tensor) in p(z).sum() }
            let dx = directionalDerivatives(u, at: z, along: Tensor([1.0, 0]), order: 4)
            let ut = directionalDerivatives(u, at: z, along: Tensor([0.0, 1]), order: 1)[1]
            return ut + dx[0] * dx[1] + dx[2] + dx[4]
        }
    }

    /// KS with nested reverse mode: `grad` four times for u_xxxx.
    static func ksNested(_ b: Batch) -> [Tensor] {
        ksLoss(b) { p, z in
            let u = { (z: Tensor) in p(z).sum() }
            var derivativesInX: [(Tensor) -> Tensor] = [u]
            for _ in 0..<4 {
                let inner = derivativesInX.last!
                derivativesInX.append { z in grad(inner)(z)[0] }
            }
            let ut = grad(u)(z)[1]
            return ut + u(z) * derivativesInX[1](z) + derivativesInX[2](z) + derivativesInX[4](z)
        }
    }
}
