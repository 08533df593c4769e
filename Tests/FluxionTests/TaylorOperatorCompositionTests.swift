import FluxionTestSupport
import Testing
@testable import Fluxion

/// Each Taylor operator under `grad` (against central finite differences, forward and reverse
/// mode), `vmap` (against point by point) and `jit` (against eager).
@Suite("Taylor operators composed with grad, vmap and jit")
struct TaylorOperatorCompositionTests {
    /// A field with a parameter vector `w` (three entries), at a point of R³: smooth, and with every
    /// second and fourth derivative non-zero.
    static func field(_ w: Tensor) -> (Tensor) -> Tensor {
        { x in tanh(dot(w, x)) * exp(0.3 * x[0]) + sin(x[1] * x[2]) * w[2] }
    }

    /// The operators, each as a scalar function of the point for a given parameter vector.
    static let operators: [(String, @Sendable (Tensor, Tensor) -> Tensor)] = [
        ("derivatives", { w, x in derivatives({ p in field(w)(Tensor.stack([p, x[1], x[2]])) }, at: x[0], order: 4)[4] }),
        ("directionalDerivatives", { w, x in directionalDerivatives(field(w), at: x, along: Tensor([0.3, -0.5, 0.8]), order: 3)[3] }),
        ("alongEach", { w, x in directionalDerivatives(field(w), at: x, alongEach: Tensor.eye(3), order: 2)[2].sum() }),
        ("forwardLaplacian", { w, x in let r = forwardLaplacian(field(w), at: x); return r.laplacian + r.gradient.sum() }),
        ("hessianDiagonal", { w, x in hessianDiagonal(field(w))(x).sum() }),
        ("divergence", { w, x in divergence({ p in p * field(w)(p) })(x) }),
        ("partialDerivative", { w, x in partialDerivative(field(w), orders: [2, 1, 1])(x) }),
        ("biharmonic", { w, x in biharmonic(field(w))(x) }),
        ("laplacianEstimate", { w, x in laplacianEstimate(field(w), at: x, key: PRNGKey(seed: 4), samples: 3) }),
    ]

    static let w = Tensor([0.4, -0.7, 0.5])
    static let x = Tensor([0.2, 0.6, -0.3])

    @Test(arguments: 0..<operators.count)
    func gradAgainstFiniteDifferences(_ row: Int) throws {
        let (name, op) = Self.operators[row]
        let x = Self.x
        try checkGrads({ w in op(w, x) }, at: Self.w, order: 1, tolerance: 1e-6)
        // And in the point, where the operator is differentiable in it.
        try checkGrads({ x in op(Self.w, x) }, at: x, order: 1, tolerance: 1e-6)
        #expect(!name.isEmpty)
    }

    @Test(arguments: 0..<operators.count)
    func vmapAndJitAgainstEager(_ row: Int) {
        let (name, op) = Self.operators[row]
        let points = GradientTable.r([4, 3], 901)
        let batched = vmap({ (p: Tensor) in op(Self.w, p) })(points)
        let jitted = jit { (p: Tensor) in op(Self.w, p) }
        for i in 0..<4 {
            let eager = op(Self.w, points[i])
            expectClose(batched[i], eager, rtol: 1e-11, "\(name): vmap, point \(i)")
            expectClose(jitted(points[i]), eager, rtol: 1e-11, "\(name): jit, point \(i)")
        }
    }
}
