import ArgumentParser
import Foundation
import Fluxion

/// `fluxion demo`: a short tour of what works.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "A short tour of Fluxion's features.")

    @Option(help: "Seed of the random numbers drawn in the tour.")
    var seed: Int = 0

    func run() throws {
        try reportingErrors {
            section("Tensors, broadcasting and reductions")
            let x = Tensor.linspace(0, 1, count: 5)
            let grid = x.expandingShape(at: 1) * 10 + x       // [5, 1] with [5] broadcasts to [5, 5]
            print("x =", x)
            print("(x[:, None] * 10 + x).sum(axis 0) =", grid.sum(alongAxes: [0]))
            print("grid[1..<3, .stride(by: 2)] =\n\(grid[1..<3, .stride(by: 2)])")

            section("Linear algebra (LAPACK)")
            let a = Tensor([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
            let b = Tensor([1.0, 2.0, 3.0])
            let l = try Linalg.cholesky(a)
            let solution = Linalg.choSolve(l, b)
            print("A =\n\(a)")
            print("solve(A, b) via Cholesky =", solution, " residual:", (matmul(a, solution) - b).norm().item)
            print("eigenvalues of A =", Linalg.eigh(a).values)
            do {
                _ = try Linalg.cholesky(Tensor([[1.0, 2.0], [2.0, 1.0]]))
            } catch {
                print("cholesky of an indefinite matrix throws:", error)
            }

            section("Fourier transforms (FFTW)")
            let n = 64
            let t = Tensor.arange(0, Double(n)) / Double(n)
            let signal = sin(2 * Double.pi * 5 * t) + 0.5 * cos(2 * Double.pi * 12 * t)
            let spectrum = abs(FFT.rfft(signal)) / Double(n / 2)
            let peaks = spectrum.argsort()[(-2)...].scalars(as: Int64.self).sorted()
            print("sin(2π·5t) + 0.5 cos(2π·12t): rfft peaks at frequencies \(peaks), amplitudes",
                  spectrum.gathering(Tensor(peaks), alongAxis: 0))
            print("DCT-II round trip error:", (FFT.idct(FFT.dct(signal)) - signal).norm().item)

            section("Random numbers (counter-based, reproducible)")
            let (k1, k2) = PRNGKey(seed: seed).split()
            let z = Random.normal(k1, shape: [100_000])
            print("100000 normal samples: mean \(format(z.mean().item)), std \(format(z.standardDeviation().item))")
            print("a permutation of 0..<8:", Random.permutation(k2, 8))

            section("Derivatives of any order")
            // f(x) = sin(x)·exp(x/2); its derivatives by nesting grad.
            let f: (Tensor) -> Tensor = { x in sin(x) * exp(x / 2) }
            var derivative = f
            let x0 = Tensor(0.5)
            for order in 1...4 {
                let inner = derivative
                derivative = grad(inner)
                print("d^\(order)f/dx^\(order) at x = 0.5:", format(derivative(x0).item))
            }
            // Taylor mode: all of them, and far higher orders, in one pass (O(K²), not O(2^K)).
            let taylor = derivatives(f, at: x0, order: 12)
            print("the same by Taylor mode, one pass: d^4f/dx^4 = \(format(taylor[4].item)), d^12f/dx^12 = \(format(taylor[12].item))")
            let bowl = forwardLaplacian({ p in (p * p * p).sum() }, at: Tensor([1.0, 2.0, 3.0]))
            print("forward Laplacian of x³ + y³ + z³ at (1, 2, 3): \(format(bowl.laplacian.item)) (value and gradient in the same pass)")
            let rosenbrock: (Tensor) -> Tensor = { v in
                let (a, b) = (v[0], v[1])
                return (1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a)
            }
            print("Hessian of the Rosenbrock function at (1, 1) (forward-over-reverse):")
            print(hessian(rosenbrock)(Tensor([1.0, 1.0])))
            let polar: (Tensor) -> Tensor = { p in Tensor.stack([p[0] * cos(p[1]), p[0] * sin(p[1])]) }
            print("Jacobian of (r, θ) -> (r cos θ, r sin θ) at (2, π/6), by jacfwd and jacrev:")
            let at = Tensor([2.0, Double.pi / 6])
            print(jacfwd(polar)(at))
            print("largest difference between the two:", (jacfwd(polar)(at) - jacrev(polar)(at)).norm(.infinity, alongAxes: [0, 1]).item)

            section("Per-example gradients with vmap")
            // Least squares y ≈ x·w: the gradient of each example's loss, all at once.
            let (k3, k4) = k2.split()
            let inputs = Random.normal(k3, shape: [4, 3]), weights = Random.normal(k4, shape: [3])
            let targets = matmul(inputs, Tensor([1.0, -2.0, 0.5]))
            let loss: (Tensor, Tensor, Tensor) -> Tensor = { w, x, y in (dot(x, w) - y) * (dot(x, w) - y) }
            let perExample = vmap({ (x: Tensor, y: Tensor) in grad { (w: Tensor) in loss(w, x, y) }(weights) })(inputs, targets)
            print("per-example gradients, shape \(perExample.shape):\n\(perExample)")
            let total = grad { (w: Tensor) in vmap({ (x: Tensor, y: Tensor) in loss(w, x, y) })(inputs, targets).sum() }(weights)
            print("their sum equals the gradient of the summed loss:", (perExample.sum(alongAxes: [0]) - total).norm().item < 1e-12)

            section("jit: a compiled gradient against the eager one")
            // The gradient of an MLP's loss, eagerly and through jit (traced once, then a cached plan).
            let (k5, k6) = k4.split()
            let w1 = Random.normal(k5, shape: [2, 64]) / 2.0.squareRoot(), w2 = Random.normal(k6, shape: [64, 1]) / 8
            let points = Random.uniform(k5.foldIn(1), shape: [1024, 2], low: -1, high: 1)
            let mlpLoss: ([Tensor]) -> Tensor = { p in
                let r = matmul(tanh(matmul(points, p[0])), p[1]) - sin(3 * points[.all, 0...0])
                return (r * r).mean()
            }
            let eagerGradient = grad(mlpLoss)
            let compiledGradient = jit(grad(mlpLoss))
            let params = [w1, w2]
            let agree = zip(eagerGradient(params), compiledGradient(params)).allSatisfy { (($0 - $1).norm().item) < 1e-12 }
            let clock = ContinuousClock()
            let eagerTime = clock.measure { for _ in 0..<20 { _ = eagerGradient(params) } } / 20
            let jitTime = clock.measure { for _ in 0..<20 { _ = compiledGradient(params) } } / 20
            print("gradient of an MLP loss on 1024 points: eager \(eagerTime), jit \(jitTime); same values: \(agree)")
            print("the compiled program has \(compiledGradient.program(for: params).equationCount) equations, traced \(compiledGradient.traceCount) time(s)")

            section("NPY files")
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("fluxion-demo.npz")
            try NPZ.write(["grid": grid, "signal": signal], to: url, compressed: true)
            let back = try NPZ.read(from: url)
            try? FileManager.default.removeItem(at: url)
            print("wrote and read back \(back.keys.sorted()); grid unchanged:", (back["grid"]! .== grid).all())
        }
    }

    private func section(_ title: String) {
        print("\n== \(title) ==")
    }

    private func format(_ v: Double) -> String { String(format: "%.4f", v) }
}
