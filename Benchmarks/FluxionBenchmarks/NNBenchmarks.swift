import Benchmark
import Fluxion
import FluxionNN

/// W3 as a training step: value, gradient and Adam update of the W3 network, jitted as one function
/// (FluxionNN's optimizer), beside JAX + Optax in `scripts/compare-with-jax.py`.
func nnBenchmarks() {
    warmCalls("W3 training step with Adam, batch 4096 / Fluxion") {
        let batch = Workloads.w3Batch()
        let optimizer = Optimizer.adam(learningRate: 1e-3)
        let step = jit { (p: MLP, s: OptimizerState) in
            let (value, g) = valueAndGrad { (q: MLP) -> Tensor in
                let r = q(batch.x) - batch.y
                return (r * r).mean()
            }(p)
            let (next, nextState) = optimizer.step(p, gradient: g, state: s)
            return (next, nextState, value)
        }
        let training = Training(parameters: batch.params, state: optimizer.initialize(batch.params))
        blackHole(step(training.parameters, training.state))
        return {
            let (p, s, value) = step(training.parameters, training.state)
            (training.parameters, training.state) = (p, s)
            blackHole(value)
        }
    }
}

/// The parameters and optimizer state a training benchmark carries from call to call.
private final class Training: @unchecked Sendable {
    var parameters: MLP
    var state: OptimizerState

    init(parameters: MLP, state: OptimizerState) { (self.parameters, self.state) = (parameters, state) }
}
