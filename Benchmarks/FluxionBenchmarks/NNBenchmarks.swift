import Benchmark
import Fluxion
import FluxionNN

/// W3 as a training step: value, gradient and Adam update of the W3 network, jitted as one function
/// (FluxionNN's optimizer), beside JAX + Optax in `scripts/compare-with-jax.py`.
func nnBenchmarks() {
    Benchmark("W3 training step with Adam, batch 4096 / Fluxion") { benchmark in
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
        var (params, state) = (batch.params, optimizer.initialize(batch.params))
        blackHole(step(params, state))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let (p, s, value) = step(params, state)
            (params, state) = (p, s)
            blackHole(value)
        }
    }
}
