import Benchmark
import Fluxion

/// The differentiation workloads, eager and jitted (W3, W5, W6, W7, W10), and the cost of the n-th
/// derivative of a scalar function. Each benchmark builds its inputs inside its own closure, so
/// that running one alone measures only its own memory.
func differentiationBenchmarks() {
    jitted("W3 MLP 2-64-64-64-1 value and grad, batch 4096", Workloads.w3Batch, Workloads.w3)
    jitted("W5 Hessian d=256", Workloads.w5Arguments, Workloads.w5)
    jitted("W6 per-example grads MLP 64-128-128-10, batch 256", Workloads.w6Batch, Workloads.w6)
    jitted("W7 Laplacian of MLP 3-128-128-1 at 4096 points", Workloads.w7Batch, Workloads.w7,
           implementation: "Fluxion trace(hessian)")
    jitted("W10 GP likelihood value and grad, n=512", Workloads.w10Arguments, Workloads.w10)

    Benchmark("W5 Hessian d=256 / Fluxion eager") { benchmark in
        let args = Workloads.w5Arguments()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(Workloads.w5(args)) }
    }
    Benchmark("W10 GP likelihood value and grad, n=512 / Fluxion eager") { benchmark in
        let args = Workloads.w10Arguments()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(Workloads.w10(args)) }
    }

    for n in [1, 2, 4, 6, 8] {
        Benchmark("n-th derivative of tanh(x)·sin(x), n=\(n) / Fluxion nested grad") { benchmark in
            let f = nthDerivative(n)
            for _ in benchmark.scaledIterations { blackHole(f(Tensor(0.3))) }
        }
    }
}

/// Registers `<name> / <implementation>`: warm calls of the jitted workload (traced and compiled
/// once, by a first call before the measured ones).
func jitted<T: TensorTree, U: TensorTree>(_ name: String, _ setup: @escaping @Sendable () -> T,
                                          _ workload: @escaping @Sendable (T) -> U, implementation: String = "Fluxion") {
    warmCalls("\(name) / \(implementation)") {
        let args = setup()
        let f = jit(workload)
        blackHole(f(args))
        return { blackHole(f(args)) }
    }
}

/// The n-th derivative of a scalar function by nesting `grad` n times.
func nthDerivative(_ n: Int) -> (Tensor) -> Tensor {
    var f: (Tensor) -> Tensor = { x in tanh(x) * sin(x) }
    for _ in 0..<n {
        let inner = f
        f = grad(inner)
    }
    return f
}
