import Fluxion
import FluxionNN

/// The jitted functions a solver runs for one problem: a training step, a block's loss sums and
/// gradient, the loss terms' gradient norms, the field and the residual's size at points. A solver
/// with time windows has two: one for the first window and one for the later ones, whose hard
/// constraints differ (``HardConstraint/laterWindows``); the later windows among themselves differ
/// only in their points and targets, which are inputs.
struct CompiledProblem<Net: Layer> {
    let adamStep: JitFunction<PINNParameters<Net>, OptimizerState, PINNBatch, Tensor, (PINNParameters<Net>, OptimizerState, Tensor)>
    /// One block's loss sums and the gradient of `Σ scale·sums` (the blocks of a step run concurrently).
    let blockGradient: JitFunction<PINNParameters<Net>, PINNBatch, Tensor, (Tensor, PINNParameters<Net>)>
    let termGradientNorms: JitFunction<PINNParameters<Net>, PINNBatch, Tensor>
    let evaluate: JitFunction<PINNParameters<Net>, Tensor, Tensor>
    let residualSize: JitFunction<PINNParameters<Net>, Tensor, Tensor>

    init(_ problem: Problem, optimizer: Optimizer, causal: CausalWeighting?) {
        adamStep = jit { (p: PINNParameters<Net>, s: OptimizerState, batch: PINNBatch, weights: Tensor) in
            let (terms, pullback) = vjp({ (q: PINNParameters<Net>) in problem.lossTerms(q, batch, causal: causal) }, at: p)
            let g = pullback(weights)
            let (next, state) = optimizer.step(p, gradient: g, state: s)
            return (next, state, terms)
        }
        blockGradient = jit { (p: PINNParameters<Net>, block: PINNBatch, scale: Tensor) in
            let (sums, pullback) = vjp({ (q: PINNParameters<Net>) in problem.lossSums(q, block) }, at: p)
            return (sums, pullback(scale))
        }
        let count = problem.termNames.count
        termGradientNorms = jit { (p: PINNParameters<Net>, batch: PINNBatch) in
            let (_, pullback) = vjp({ (q: PINNParameters<Net>) in problem.lossTerms(q, batch, causal: causal) }, at: p)
            return Tensor.stack((0..<count).map { i in
                var e = [Double](repeating: 0, count: count); e[i] = 1
                let g = pullback(Tensor(e)).leaves
                let squares: [Tensor] = g.map { ($0 * $0).sum() }
                return sqrt(squares.reduce(Tensor(0.0)) { $0 + $1 })
            })
        }
        evaluate = jit { (p: PINNParameters<Net>, points: Tensor) in vmap(problem.field(p.network, coefficients: p.coefficients))(points) }
        residualSize = jit { (p: PINNParameters<Net>, points: Tensor) in
            let r = problem.residuals(p, at: points)
            return r.rank > 1 ? abs(r).sum(alongAxes: Array(1..<r.rank)) : abs(r)
        }
    }
}
