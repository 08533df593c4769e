import Benchmark
import Fluxion

/// Taylor mode against nested first-order differentiation: the n-th derivative of a scalar
/// function, W7 and the collapsed-Taylor setup (Laplacians), W4 (Burgers PINN) and a fourth-order
/// (Kuramoto–Sivashinsky) residual with its parameter gradient.
func taylorBenchmarks() {
    for n in [1, 2, 4, 6, 8, 12, 16] {
        Benchmark("n-th derivative of tanh(x)·sin(x), n=\(n) / Fluxion eager Taylor") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(derivatives({ tanh($0) * sin($0) }, at: Tensor(0.3), order: n)[n]) }
        }
        jitted("n-th derivative of tanh(x)·sin(x), n=\(n)", { Tensor(0.3) }) { x in
            derivatives({ tanh($0) * sin($0) }, at: x, order: n)[n]
        }
    }
    jitted("W7 Laplacian of MLP 3-128-128-1 at 4096 points", Workloads.w7Batch, Workloads.w7Forward, implementation: "Fluxion")
    let collapsed = "Laplacian of MLP 50-768-768-512-512-1 tanh at 256 points"
    jitted(collapsed, Workloads.collapsedBatch, Workloads.w7Forward, implementation: "Fluxion")
    jitted(collapsed, Workloads.collapsedBatch, Workloads.laplacianByHessian, implementation: "Fluxion trace(hessian)")
    let burgers = "W4 Burgers PINN value and grad, MLP 2-20-20-20-1, 8192 points"
    jitted(burgers, Workloads.w4Arguments, Workloads.w4, implementation: "Fluxion")
    jitted(burgers, Workloads.w4Arguments, Workloads.w4Nested, implementation: "Fluxion nested grad")
    let ks = "KS residual u_t+u u_x+u_xx+u_xxxx value and grad, MLP 2-20-20-1, 4096 points"
    jitted(ks, Workloads.ksBatch, Workloads.ks, implementation: "Fluxion")
    jitted(ks, Workloads.ksBatch, Workloads.ksNested, implementation: "Fluxion nested grad")
}
