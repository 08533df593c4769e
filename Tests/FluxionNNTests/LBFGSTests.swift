import Foundation
import Testing
import Fluxion
import FluxionNN
import FluxionTestSupport

/// L-BFGS against SciPy's L-BFGS-B (`Reference/make_scipy_reference.py`), and the failure modes
/// users of other libraries meet: stopping after a few iterations, after one, or never.
@Suite("L-BFGS")
struct LBFGSTests {
    static let reference: [String: Tensor] = {
        let url = Bundle.module.url(forResource: "Reference", withExtension: nil)!.appendingPathComponent("scipy.npz")
        do { return try NPZ.read(from: url) } catch { fatalError("cannot read scipy.npz: \(error)") }
    }()

    /// The n-dimensional Rosenbrock function, Σ 100(x_{i+1} − x_i²)² + (1 − x_i)².
    static func rosenbrock(_ x: Tensor) -> Tensor {
        let n = x.shape[0]
        let a = x[1..<n], b = x[0..<(n - 1)]
        return (100 * (a - b * b) * (a - b * b) + (1 - b) * (1 - b)).sum()
    }

    @Test func rosenbrockAsSciPy() {
        var solver = LBFGS(gradientTolerance: 1e-10, functionTolerance: 0)
        solver.maxIterations = 20_000
        let result = solver.minimize(Self.rosenbrock, from: Self.reference["rosenbrock/x0"]!)
        expectClose(result.parameters, Self.reference["rosenbrock/x"]!, rtol: 1e-8, atol: 1e-8)
        expectClose(result.parameters, Tensor.ones([10]), rtol: 1e-8, atol: 1e-8)
        let scipy = Double(Self.reference["rosenbrock/iterations"]!.scalar(as: Int64.self))
        #expect(Double(result.iterations) <= 1.5 * scipy, "\(result.iterations) iterations, SciPy \(scipy)")
        #expect(result.iterations > 30, "does not stop early")
        #expect(result.stopReason == .gradientTolerance)
    }

    struct Network: TensorTree { var b1: Tensor; var b2: Tensor; var w1: Tensor; var w2: Tensor }

    static func mlpLoss(_ p: Network) -> Tensor {
        let h = tanh(matmul(reference["mlp/t"]!, p.w1) + p.b1)
        let r = matmul(h, p.w2) + p.b2 - reference["mlp/y"]!
        return (r * r).mean()
    }

    @Test func smallNetworkAsSciPy() {
        let start = Network(b1: Self.reference["mlp/b1"]!, b2: Self.reference["mlp/b2"]!,
                            w1: Self.reference["mlp/w1"]!, w2: Self.reference["mlp/w2"]!)
        // The raveled start is SciPy's: the same canonical order.
        expectClose(start.raveled().vector, Self.reference["mlp/x0"]!, rtol: 0, atol: 0)
        let result = LBFGS(gradientTolerance: 1e-8, functionTolerance: 0).minimize(Self.mlpLoss, from: start)
        let scipyValue = Self.reference["mlp/value"]!.item
        #expect(Swift.abs(result.value - scipyValue) <= 1e-8 * scipyValue, "\(result.value) vs SciPy \(scipyValue)")
        let scipy = Double(Self.reference["mlp/iterations"]!.scalar(as: Int64.self))
        #expect(Double(result.iterations) <= 1.5 * scipy, "\(result.iterations) iterations, SciPy \(scipy)")
    }

    @Test func stopsForTheReasonItSays() {
        // A quadratic: converges in a few iterations by the gradient rule, not after one.
        let quadratic = { (x: Tensor) in (Tensor([1.0, 10, 100]) * x * x).sum() }
        let q = LBFGS(functionTolerance: 0).minimize(quadratic, from: Tensor([1.0, 1, 1]))
        #expect(q.stopReason == .gradientTolerance && q.iterations > 1 && q.gradientNorm <= 1e-8)
        // Iteration and evaluation limits are honoured exactly.
        var limited = LBFGS()
        limited.maxIterations = 7
        #expect(limited.minimize(Self.rosenbrock, from: Tensor([-1.2, 1, -1.2, 1])).iterations == 7)
        limited = LBFGS(maxEvaluations: 12)
        let e = limited.minimize(Self.rosenbrock, from: Tensor([-1.2, 1, -1.2, 1]))
        #expect(e.evaluations <= 12 && e.stopReason == .maxEvaluations)
        // A function that is NaN away from the start ends cleanly (no hang), at a finite point.
        let cliff = { (x: Tensor) in `where`(x .> 2, Tensor(Double.nan), (x - 3) * (x - 3)).sum() }
        let c = LBFGS().minimize(cliff, from: Tensor([0.0]))
        #expect(c.value.isFinite && c.parameters.item <= 2)
        // The callback can stop it.
        let stopped = LBFGS().minimize(Self.rosenbrock, from: Tensor([-1.2, 1]), callback: { $0.iteration < 3 })
        #expect(stopped.stopReason == .callback && stopped.iterations == 3)
    }

    @Test func deterministic() {
        let a = LBFGS().minimize(Self.rosenbrock, from: Tensor([-1.2, 1, -1.2, 1, 0.5]))
        let b = LBFGS().minimize(Self.rosenbrock, from: Tensor([-1.2, 1, -1.2, 1, 0.5]))
        #expect(a.parameters.doubles == b.parameters.doubles && a.iterations == b.iterations)
    }
}
