import Benchmark
import Fluxion
import Foundation

/// W5 (Hessian of sum(tanh(W x)) + x·x/2, d = 256) and W10 (Gaussian-process likelihood gradient,
/// 512 points) evaluated eagerly, and the cost of the n-th derivative of a scalar function.
func differentiationBenchmarks() {
    let key = PRNGKey(seed: 5)
    let d = 256
    let w = Random.normal(key.foldIn(1), shape: [d, d]) / Double(d).squareRoot()
    let x = Random.normal(key.foldIn(2), shape: [d])
    Benchmark("W5 hessian d=256, eager / Fluxion") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(w5Hessian(w, x)) }
    }

    let points = Random.uniform(key.foldIn(3), shape: [512, 3])
    let targets = sin(points.sum(alongAxes: [1]) * 3)
    let theta = Tensor([Foundation_log(0.5), 0, Foundation_log(0.01)])
    Benchmark("W10 GP likelihood gradient n=512, eager / Fluxion") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(w10Gradient(theta, points, targets)) }
    }

    for n in [1, 2, 4, 6, 8] {
        Benchmark("n-th derivative of tanh(x)·sin(x), n=\(n) / Fluxion nested grad") { benchmark in
            let f = nthDerivative(n)
            for _ in benchmark.scaledIterations { blackHole(f(Tensor(0.3))) }
        }
    }
}

func Foundation_log(_ x: Double) -> Double { Foundation.log(x) }

/// W5: forward-over-reverse Hessian of `sum(tanh(W x)) + x·x/2`.
func w5Hessian(_ w: Tensor, _ x: Tensor) -> Tensor {
    hessian { x in tanh(matmul(w, x)).sum() + 0.5 * dot(x, x) }(x)
}

/// W10: value and gradient of the GP negative log marginal likelihood in the log-hyperparameters
/// (lengthscale, signal variance, noise variance), through a Cholesky factorization.
func w10Gradient(_ theta: Tensor, _ x: Tensor, _ y: Tensor) -> (value: Tensor, gradient: Tensor) {
    valueAndGrad { (t: Tensor) -> Tensor in
        let lengthscale = exp(t[0]), signal = exp(t[1]), noise = exp(t[2])
        let sq = (x * x).sum(alongAxes: [1])
        let d2 = maximum(sq.expandingShape(at: 1) + sq.expandingShape(at: 0) - 2 * matmul(x, x.mT), 0)
        let n = x.shape[0]
        let k = signal * exp(-0.5 * d2 / (lengthscale * lengthscale)) + noise * Tensor.eye(n)
        let l = try! Linalg.cholesky(k)
        let alpha = Linalg.choSolve(l, y)
        return 0.5 * dot(y, alpha) + log(l.diagonal()).sum() + 0.5 * Double(n) * 1.8378770664093453
    }(theta)
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
