import Benchmark
import Fluxion

/// W9: dispatch cost of a jitted scalar function: cached-call latency, and first call (trace,
/// optimize, plan).
func jitBenchmarks() {
    let f = jit { (x: Tensor) in sin(x) * x + 1 }
    let x = Tensor(0.5)
    _ = f(x)
    Benchmark("W9 jitted sin(x)*x+1 scalar, cached call / Fluxion",
              configuration: .init(metrics: [.wallClock], maxDuration: .seconds(2), maxIterations: 1_000_000)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(f(x)) }
    }
    Benchmark("W9 jitted sin(x)*x+1 scalar, first call / Fluxion",
              configuration: .init(metrics: [.wallClock], maxDuration: .seconds(2), maxIterations: 10_000)) { benchmark in
        for _ in benchmark.scaledIterations {
            let g = jit { (x: Tensor) in sin(x) * x + 1 }
            blackHole(g(x))
        }
    }
}
