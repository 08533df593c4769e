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
    warmCalls("\(burgers) / Fluxion, blocks per core") {
        // FluxionPINN's step: 8 blocks of 1024 points, one jitted call each, one per core, added in order.
        let b = Workloads.w4Arguments()
        let blocks = Workloads.w4Blocks(b, count: 8)
        let f = jit { (p: MLP, block: Workloads.Burgers) in Workloads.w4Block(p, block) }
        func step() -> (Tensor, MLP) {
            let parts = concurrentMap(blocks.count) { f(b.params, blocks[$0]) }
            return parts.dropFirst().reduce(parts[0]) { ($0.0 + $1.0, $0.1.zipLeaves($1.1, +)) }
        }
        // The blocks add up to the whole batch's loss and gradient.
        let whole = jit(Workloads.w4)(b), (value, gradient) = step()
        precondition(abs(value.item - whole[0].item) <= 1e-12 * whole[0].item, "W4 blocks: \(value.item) vs \(whole[0].item)")
        for (x, y) in zip(gradient.leaves, whole.dropFirst()) {
            precondition(((x - y).norm() / y.norm()).item < 1e-12, "W4 blocks: the gradient differs")
        }
        return { blackHole(step()) }
    }
    let ks = "KS residual u_t+u u_x+u_xx+u_xxxx value and grad, MLP 2-20-20-1, 4096 points"
    jitted(ks, Workloads.ksBatch, Workloads.ks, implementation: "Fluxion")
    jitted(ks, Workloads.ksBatch, Workloads.ksNested, implementation: "Fluxion nested grad")
}
