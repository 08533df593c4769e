import Foundation
import FluxionTestSupport
import Testing
@testable import Fluxion

/// Closed forms computed here in Double, independently of the engine.
enum ClosedForm {
    static func binomial(_ n: Int, _ k: Int) -> Double { factorial(n) / (factorial(k) * factorial(n - k)) }

    /// The n-th derivative of tanh at x: P_n(tanh x), with P_0(t) = t and P_{n+1} = (1 − t²) P_n'.
    static func tanhDerivative(_ n: Int, _ x: Double) -> Double {
        var p: [Double] = [0, 1]                       // coefficients of t^i
        for _ in 0..<n {
            let dp = p.indices.dropFirst().map { Double($0) * p[$0] }     // P'
            var next = [Double](repeating: 0, count: dp.count + 2)
            for (i, c) in dp.enumerated() { next[i] += c; next[i + 2] -= c }
            p = next
        }
        let t = Foundation.tanh(x)
        return p.reversed().reduce(0) { $0 * t + $1 }
    }

    static func sinDerivative(_ n: Int, _ x: Double) -> Double { Foundation.sin(x + Double(n) * Double.pi / 2) }

    /// The n-th derivative of each test function at x.
    static func derivative(_ name: String, _ n: Int, _ x: Double) -> Double {
        switch name {
        case "sin": return sinDerivative(n, x)
        case "exp": return Foundation.exp(x)
        case "tanh": return tanhDerivative(n, x)
        case "log1p": return n == 0 ? Foundation.log1p(x) : (n % 2 == 1 ? 1 : -1) * factorial(n - 1) / Foundation.pow(1 + x, Double(n))
        case "pow5": return n > 5 ? 0 : factorial(5) / factorial(5 - n) * Foundation.pow(x, Double(5 - n))
        case "pow2_5":
            let c = (0..<n).reduce(1.0) { $0 * (2.5 - Double($1)) }
            return c * Foundation.pow(x + 2, 2.5 - Double(n))
        case "tanh*sin":
            return (0...n).reduce(0.0) { $0 + binomial(n, $1) * tanhDerivative($1, x) * sinDerivative(n - $1, x) }
        default: fatalError(name)
        }
    }
}

@Suite("Taylor mode: closed forms, operators, control flow, composition")
struct TaylorTests {
    static let functions: [(String, @Sendable (Tensor) -> Tensor)] = [
        ("sin", { sin($0) }), ("exp", { exp($0) }), ("tanh", { tanh($0) }), ("log1p", { log1p($0) }),
        ("pow5", { pow($0, 5) }), ("pow2_5", { pow($0 + 2, 2.5) }), ("tanh*sin", { tanh($0) * sin($0) }),
    ]
    static let points = [-0.7, 0.3, 1.1]

    @Test("derivatives to order 10 (16 for tanh·sin) match closed forms", arguments: 0..<7)
    func closedForms(_ row: Int) {
        let (name, f) = Self.functions[row]
        let order = name == "tanh*sin" ? 16 : 10
        let d = derivatives(f, at: Tensor(Self.points), order: order)
        #expect(d.count == order + 1)
        for n in 0...order {
            for (i, p) in Self.points.enumerated() {
                let expected = ClosedForm.derivative(name, n, p), actual = d[n].doubles[i]
                #expect(Swift.abs(actual - expected) <= 1e-10 * (1 + Swift.abs(expected)), "\(name) d\(n) at \(p): \(actual) vs \(expected)")
            }
        }
    }

    @Test func jetConventionAndTrees() {
        // x(t) = x + t: the series of exp are the derivatives themselves (JAX's convention).
        let (y, s) = jet({ exp($0) }, at: Tensor(0.5), series: [Tensor(1.0), Tensor(0.0)])
        expectClose(y, Tensor(Foundation.exp(0.5)))
        expectClose(s[0], Tensor(Foundation.exp(0.5)))
        expectClose(s[1], Tensor(Foundation.exp(0.5)))
        // A second-order input term: x(t) = t²/2 · 2 = t² gives d²/dt² sin(t²) = 2 at 0.
        let (_, s2) = jet({ sin($0) }, at: Tensor(0.0), series: [Tensor(0.0), Tensor(2.0)])
        expectClose(s2[1], Tensor(2.0))
        // Trees in and out.
        let (_, st) = jet({ (p: [String: Tensor]) in ["prod": p["a"]! * p["b"]!] },
                          at: ["a": Tensor(2.0), "b": Tensor(3.0)],
                          series: [["a": Tensor(1.0), "b": Tensor(1.0)], ["a": Tensor(0.0), "b": Tensor(0.0)]])
        expectClose(st[0]["prod"]!, Tensor(5.0))      // a' b + a b'
        expectClose(st[1]["prod"]!, Tensor(2.0))      // 2 a' b'
    }

    /// f(x(t)) along x + t v through every control-flow primitive, compared with nested jvp.
    static func controlFlowFunction(_ x: Tensor) -> Tensor {
        let c = cond(x.sum() .> 0, x, then: { sin($0) * $0 }, else: { cos($0) })
        let w = whileLoop([c, Tensor(0.0)], maxTrips: 10, condition: { $0[1] .< 3 }, body: { [tanh($0[0]) + 0.5 * $0[0], $0[1] + 1] })[0]
        let (carry, ys) = scan(w, over: Tensor([0.5, 1.0, 1.5])) { carry, t in (carry * t + exp(0.1 * carry), carry.sum()) }
        let k = checkpoint { (v: Tensor) in log1p(v * v) }(carry)
        return k.sum() + ys.sum()
    }

    static func nestedDirectional(_ f: @escaping (Tensor) -> Tensor, at x: Tensor, along v: Tensor, order: Int) -> [Tensor] {
        var g: (Tensor) -> Tensor = { t in f(x + t * v) }
        var out: [Tensor] = []
        for _ in 1...order {
            let inner = g
            g = { t in jvp(inner, at: t, tangent: Tensor.ones(like: t)).tangent }
            out.append(g(Tensor(0.0)))
        }
        return out
    }

    @Test func controlFlowEagerAndStaged() {
        let x = Tensor([0.3, -0.2, 0.4]), v = Tensor([0.5, 1.0, -0.7])
        let expected = Self.nestedDirectional(Self.controlFlowFunction, at: x, along: v, order: 4)
        let eager = directionalDerivatives(Self.controlFlowFunction, at: x, along: v, order: 4)
        // Under jit, cond, while and scan stay primitives: their Taylor rules run.
        let staged = jit { (p: [Tensor]) in directionalDerivatives(Self.controlFlowFunction, at: p[0], along: p[1], order: 4) }([x, v])
        let ofJitted = directionalDerivatives(jit(Self.controlFlowFunction), at: x, along: v, order: 4)
        for k in 0..<4 {
            expectClose(eager[k + 1], expected[k], rtol: 1e-10, "eager order \(k + 1)")
            expectClose(staged[k + 1], expected[k], rtol: 1e-10, "jit of jet, order \(k + 1)")
            expectClose(ofJitted[k + 1], expected[k], rtol: 1e-10, "jet of jit, order \(k + 1)")
        }
        // The other branch of the cond.
        let negative = -x
        let expectedNeg = Self.nestedDirectional(Self.controlFlowFunction, at: negative, along: v, order: 3)
        let stagedNeg = jit { (p: [Tensor]) in directionalDerivatives(Self.controlFlowFunction, at: p[0], along: p[1], order: 3) }([negative, v])
        for k in 0..<3 { expectClose(stagedNeg[k + 1], expectedNeg[k], rtol: 1e-10, "false branch order \(k + 1)") }
    }

    /// A small tanh network R³ → R.
    static let weights = (GradientTable.r([3, 8], 501), GradientTable.r([8], 502), GradientTable.r([8, 1], 503))
    static func mlp(_ x: Tensor) -> Tensor {
        let h = tanh(matmul(x.reshaped(to: [1, 3]), weights.0) + weights.1)
        return (matmul(h, weights.2).reshaped(to: []) + sin(x[0]) * x[1] * x[1])
    }

    @Test func forwardLaplacianMatchesHessianTrace() {
        let x = Tensor([0.3, -0.5, 0.8])
        let r = forwardLaplacian(Self.mlp, at: x)
        expectClose(r.value, Self.mlp(x), rtol: 1e-12)
        expectClose(r.gradient, grad(Self.mlp)(x), rtol: 1e-12)
        expectClose(r.laplacian, hessian(Self.mlp)(x).diagonal().sum(), rtol: 1e-11)
        expectClose(hessianDiagonal(Self.mlp)(x), hessian(Self.mlp)(x).diagonal(), rtol: 1e-11)
        // A vector-valued field: one Laplacian per component, gradient shaped like the Jacobian.
        let field = { (x: Tensor) in Tensor.stack([Self.mlp(x), (x * x * x).sum()]) }
        let rf = forwardLaplacian(field, at: x)
        expectClose(rf.gradient, jacfwd(field)(x), rtol: 1e-12)
        expectClose(rf.laplacian[0], r.laplacian, rtol: 1e-12)
        expectClose(rf.laplacian[1], (6 * x).sum(), rtol: 1e-12)
        expectClose(hessianDiagonal(field)(x)[0], hessian(Self.mlp)(x).diagonal(), rtol: 1e-11)
    }

    @Test func divergenceMixedPartialsAndBiharmonic() {
        let x = Tensor([0.4, -0.3, 0.6])
        let fieldF = { (v: Tensor) in sin(v) * v.sum() + v * v * v }
        expectClose(divergence(fieldF)(x), jacfwd(fieldF)(x).diagonal().sum(), rtol: 1e-12)
        // ∂⁴u/∂x²∂y² by nested jets against nested grads.
        let u = { (p: Tensor) in sin(p[0] * p[1]) * exp(0.5 * p[2]) + p[0] * p[0] * p[1] * p[1] * p[1] }
        func nestedGrad(_ f: @escaping (Tensor) -> Tensor, _ axes: [Int]) -> (Tensor) -> Tensor {
            var g = f
            for a in axes { let inner = g; g = { p in grad(inner)(p)[a] } }
            return g
        }
        expectClose(partialDerivative(u, orders: [2, 2, 0])(x), nestedGrad(u, [0, 0, 1, 1])(x), rtol: 1e-10)
        expectClose(partialDerivative(u, orders: [1, 0, 3])(x), nestedGrad(u, [0, 2, 2, 2])(x), rtol: 1e-10)
        // Δ²u against the sum of the fourth partials, in 2-D and 3-D.
        for dims in [2, 3] {
            let p = Tensor(Array(x.doubles.prefix(dims)))
            let w = { (q: Tensor) in exp(q.sum() * 0.7) * cos(q[0]) + (q * q).sum() * (q * q).sum() }
            var expected = Tensor(0.0)
            for i in 0..<dims { for j in 0..<dims {
                var orders = [Int](repeating: 0, count: dims)
                orders[i] += 2; orders[j] += 2
                expected = expected + partialDerivative(w, orders: orders)(p)
            } }
            expectClose(biharmonic(w)(p), expected, rtol: 1e-10, "biharmonic in \(dims)-D")
        }
    }

    @Test(arguments: [LaplacianEstimator.hutchinson, .sparse])
    func estimatorsAreUnbiased(_ estimator: LaplacianEstimator) {
        let d = 6
        let a = GradientTable.r([d, d], 601)
        let f = { (x: Tensor) in tanh(matmul(a, x)).sum() + (x * x * x).sum() }
        let x = GradientTable.r([d], 602)
        let exact = forwardLaplacian(f, at: x).laplacian.item
        let trials = 400
        let estimates = (0..<trials).map { laplacianEstimate(f, at: x, key: PRNGKey(seed: $0), samples: 2, estimator: estimator).item }
        let mean = estimates.reduce(0, +) / Double(trials)
        let variance = estimates.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(trials - 1)
        let standardError = (variance / Double(trials)).squareRoot()
        #expect(standardError > 0)
        #expect(Swift.abs(mean - exact) <= 4 * standardError, "mean \(mean) vs exact \(exact), SE \(standardError)")
    }

    @Test func composesWithGradVmapJitAndItself() {
        // A PINN-style loss: the mean squared Poisson residual Δu − f over points, as a function of
        // the parameters; its gradient against the same loss written with trace(hessian).
        let points = GradientTable.r([5, 2], 701)
        let w1 = GradientTable.r([2, 6], 702), w2 = GradientTable.r([6, 1], 703)
        func u(_ p: [Tensor], _ x: Tensor) -> Tensor {
            matmul(tanh(matmul(x.reshaped(to: [1, 2]), p[0])), p[1]).reshaped(to: [])
        }
        let lossTaylor = { (p: [Tensor]) in
            let lap = vmap({ x in laplacian({ u(p, $0) })(x) })(points)
            return ((lap - 1) * (lap - 1)).mean()
        }
        let lossHessian = { (p: [Tensor]) in
            let lap = vmap({ x in hessian({ u(p, $0) })(x).diagonal().sum() })(points)
            return ((lap - 1) * (lap - 1)).mean()
        }
        expectClose(lossTaylor([w1, w2]), lossHessian([w1, w2]), rtol: 1e-12)
        let gT = grad(lossTaylor)([w1, w2]), gH = grad(lossHessian)([w1, w2])
        for (a, b) in zip(gT, gH) { expectClose(a, b, rtol: 1e-10) }
        // jit against eager, twice (the second call from the cache).
        let jitted = jit { (p: [Tensor]) in valueAndGrad(lossTaylor)(p).gradient }
        for _ in 0..<2 { for (a, b) in zip(jitted([w1, w2]), gT) { expectClose(a, b, rtol: 1e-12) } }
        // vmap against slice by slice.
        let batched = vmap({ x in laplacian({ u([w1, w2], $0) })(x) })(points)
        for i in 0..<5 { expectClose(batched[i], laplacian({ u([w1, w2], $0) })(points[i]), rtol: 1e-12) }
        // jet of jet: the derivative in s of the third derivative in t of f(x + t + s²).
        let f = { (x: Tensor) in tanh(x) * exp(0.3 * x) }
        let inner = { (x: Tensor) in derivatives(f, at: x, order: 3)[3] }
        let outer = derivatives(inner, at: Tensor(0.2), order: 2)
        let d5 = derivatives(f, at: Tensor(0.2), order: 5)
        expectClose(outer[1], d5[4], rtol: 1e-11)
        expectClose(outer[2], d5[5], rtol: 1e-11)
        // jet of grad.
        let ofGrad = derivatives(grad { (x: Tensor) in f(x).sum() }, at: Tensor([0.2]), order: 3)
        expectClose(ofGrad[3], d5[4].reshaped(to: [1]), rtol: 1e-11)
    }

    @Test func customJVPRespectedAtEveryOrder() {
        // A deliberately scaled rule: ẏ = 2 cos(x) ẋ. Every coefficient must follow the rule (twice
        // those of sin), not the function.
        let scaled = customJVP({ (x: Tensor) in sin(x) }, jvp: { x, t in (sin(x), 2 * cos(x) * t) })
        let x = Tensor([0.1, 0.9])
        let d = derivatives(scaled, at: x, order: 5), s = derivatives({ sin($0) }, at: x, order: 5)
        expectClose(d[0], s[0])
        for k in 1...5 { expectClose(d[k], 2 * s[k], rtol: 1e-12, "order \(k)") }
        // A function undefined at zero, with its rule: only called where defined.
        let spdRoot = customJVP({ (a: Tensor) in try! Linalg.cholesky(a) }, jvp: { a, t in
            jvp({ (m: Tensor) in try! Linalg.cholesky(m) }, at: a, tangent: t)
        })
        let a = GradientTable.spd(GradientTable.r([3, 3], 801)), v = GradientTable.r([3, 3], 802)
        let sym = v + v.mT
        let viaRule = directionalDerivatives(spdRoot, at: a, along: sym, order: 3)
        let direct = directionalDerivatives({ try! Linalg.cholesky($0) }, at: a, along: sym, order: 3)
        for k in 0...3 { expectClose(viaRule[k], direct[k], rtol: 1e-10, "order \(k)") }
    }

    @Test func customVJPStopsJetWithAMessage() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let f = customVJP(forward: { (x: Tensor) in (sin(x), [cos(x)]) }, backward: { r, ct in ct * r[0] })
            _ = derivatives(f, at: Tensor([0.1]), order: 2)
        }
        let message = String(decoding: r?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("not defined for a customVJP function"))
    }

    @Test func badSeriesShapeNamesJet() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = jet({ sin($0) }, at: Tensor([1.0, 2.0]), series: [Tensor([1.0])])
        }
        let message = String(decoding: r?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("jet: series term 1 of shape [1] for an input of shape [2]"))
    }
}
