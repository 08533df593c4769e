import Foundation
import Testing
import Fluxion
import FluxionTestSupport

/// jit as a function value, composed with the other transforms, and the holes the earlier tests
/// did not reach.
@Suite("Composition")
struct CompositionTests {
    struct Params: TensorTree { var w: Tensor; var b: Tensor }

    static func loss(_ p: Params) -> Tensor {
        let x = Tensor([[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0]])
        return (tanh(matmul(x, p.w) + p.b) * tanh(matmul(x, p.w) + p.b)).mean()
    }

    static let params = Params(w: Tensor([[0.3, -0.2], [0.1, 0.4]]), b: Tensor([0.05, -0.1]))

    @Test func trainingStepAsUsersWriteIt() {
        let step = jit { (p: Params) in valueAndGrad(Self.loss)(p) }
        let (l, g) = step(Self.params)
        let (l0, g0) = valueAndGrad(Self.loss)(Self.params)
        expectClose(l, l0, rtol: 1e-14)
        expectClose(g.w, g0.w, rtol: 1e-13)
        expectClose(g.b, g0.b, rtol: 1e-13)
        var p = Self.params
        for _ in 0..<5 { p = p.zipLeaves(step(p).1) { $0 - 0.1 * $1 } }
        #expect(step.traceCount == 1)
        #expect(Self.loss(p).item < l0.item)
    }

    @Test func jitIsAFunctionValue() {
        let f: (Tensor) -> Tensor = { x in (sin(x) * x).sum() }
        let jf: (Tensor) -> Tensor = jit(f)
        let x = Tensor([0.3, -1.2, 2.0])
        expectClose(grad(jit(f))(x), grad(f)(x), rtol: 1e-14)
        expectClose(vmap(jit { (r: Tensor) in (r * r).sum() })(Tensor([[1.0, 2.0], [3.0, 4.0]])), Tensor([5.0, 25.0]), rtol: 0)
        expectClose(jf(x), f(x), rtol: 1e-15)
        let twoArgs = jit { (a: Tensor, b: Tensor) in (a * b, a + b) }
        let (prod, total) = twoArgs(x, x)
        expectClose(prod, x * x, rtol: 0)
        expectClose(total, 2 * x, rtol: 0)
    }

    @Test func gradOfJitReusesTheCompiledProgram() {
        let compiled = jit { (x: Tensor) in (exp(sin(x)) * x).sum() }
        let x = Tensor([0.1, 0.7, -0.4])
        let eager = grad { (x: Tensor) in (exp(sin(x)) * x).sum() }
        for k in 0..<4 {
            let xk = x + Double(k)
            expectClose(grad { compiled($0) }(xk), eager(xk), rtol: 1e-13)
            expectClose(jvp({ compiled($0) }, at: xk, tangent: Tensor.ones(like: xk)).tangent,
                        jvp({ eager($0).sum() * 0 + (exp(sin($0)) * $0).sum() }, at: xk, tangent: Tensor.ones(like: xk)).tangent,
                        rtol: 1e-13)
        }
        // One trace for all the calls under grad and jvp: the Swift body ran once.
        #expect(compiled.traceCount == 1)
        // Second order through the call's derived rules.
        expectClose(hessian { compiled($0) }(x), hessian { (x: Tensor) in (exp(sin(x)) * x).sum() }(x), rtol: 1e-12)
    }

    @Test func jitOfVmapOfGradAgainstEager() {
        let perExample = { (xs: Tensor, w: Tensor) in
            vmap({ (x: Tensor, w: Tensor) in grad { (w: Tensor) in tanh((w * x).sum()) }(w) }, inAxes: (0, nil))(xs, w)
        }
        let xs = Tensor([[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0]]), w = Tensor([0.3, -0.2])
        expectClose(jit(perExample)(xs, w), perExample(xs, w), rtol: 1e-14)
    }

    @Test func stagedLoopsDifferentiate() throws {
        // jit(grad) and grad(jit) of staged scan and whileLoop against finite differences and eager.
        let rollout = { (x: Tensor) -> Tensor in
            scan(x, over: Tensor([0.1, 0.2, 0.3, 0.4])) { c, t in (sin(c) * 1.1 + t, c * c) }.ys.sum()
        }
        let newton = { (a: Tensor) -> Tensor in
            whileLoop(a, maxTrips: 60, condition: { y in abs(y * y - a) .> 1e-12 }, body: { y in 0.5 * (y + a / y) })
        }
        let x = Tensor(0.7)
        try checkGrads({ jit(rollout)($0) }, at: x, order: 2)
        try checkGrads({ jit(newton)($0) }, at: Tensor(2.0), order: 1, modes: [.forward, .reverse], tolerance: 1e-5)
        expectClose(jit(grad(rollout))(x), grad(rollout)(x), rtol: 1e-13)
        expectClose(jit(hessian { (v: Tensor) in rollout(v.sum()) })(Tensor([0.7])),
                    hessian { (v: Tensor) in rollout(v.sum()) }(Tensor([0.7])), rtol: 1e-12)
        expectClose(grad(jit(newton))(Tensor(2.0)), Tensor(0.5 / 2.0.squareRoot()), rtol: 1e-9)
    }

    @Test func checkGradsCatchesAWrongCustomRule() {
        // A rule off by a factor of two must fail the check: a test of the tester.
        let wrong = customJVP({ (x: Tensor) in sin(x) }, jvp: { x, t in (sin(x), 2 * t * cos(x)) })
        #expect(throws: (any Error).self) { try checkGrads(wrong, at: Tensor([0.3, 1.1]), order: 1) }
        let right = customJVP({ (x: Tensor) in sin(x) }, jvp: { x, t in (sin(x), t * cos(x)) })
        #expect(throws: Never.self) { try checkGrads(right, at: Tensor([0.3, 1.1]), order: 2) }
    }

    @Test func customRulesRunOnceAndNeverOnMadeUpValues() throws {
        let counter = Counter()
        let chol = customJVP({ (a: Tensor) -> Tensor in
            counter.increment()
            return try! Linalg.cholesky(a)
        }, jvp: { a, t in
            let l = try! Linalg.cholesky(a)
            // dL = L Φ(L⁻¹ dA L⁻ᵀ), Φ takes the lower triangle with half the diagonal.
            let li = try! Linalg.inv(l)
            let inner = matmul(matmul(li, t), li.mT)
            let phi = Linalg.tril(inner) - 0.5 * inner * Tensor.eye(a.shape[0])
            return (l, matmul(l, phi))
        })
        let spd = Tensor([[4.0, 2.0], [2.0, 3.0]])
        expectClose(chol(spd), try Linalg.cholesky(spd), rtol: 1e-15)
        #expect(counter.value == 1)
        try checkGrads({ a in chol(0.5 * (a + a.mT)).sum() }, at: spd, order: 1)
        // Over trees: a pair in, a tree out.
        struct Pair: TensorTree { var a: Tensor; var b: Tensor }
        let scaled = customJVP({ (p: Pair) -> [Tensor] in [p.a * p.b] },
                               jvp: { (p: Pair, t: Pair) -> (value: [Tensor], tangent: [Tensor]) in
                                   ([p.a * p.b], [t.a * p.b + p.a * t.b])
                               })
        let g = grad { (p: Pair) in scaled(p)[0].sum() }(Pair(a: Tensor([2.0]), b: Tensor([3.0])))
        #expect(g.a.doubles == [3] && g.b.doubles == [2])
    }

    @Test func float32Gradients() throws {
        let x = Tensor([Float(0.3), -0.8, 1.2])
        let g = grad { (x: Tensor) in (tanh(x) * exp(x)).sum() }(x)
        #expect(g.dtype == .float32)
        let g64 = grad { (x: Tensor) in (tanh(x) * exp(x)).sum() }(x.cast(to: .float64))
        expectClose(g.cast(to: .float64), g64, rtol: 1e-6)
        expectClose(jit(grad { (x: Tensor) in (sin(x) * x).sum() })(x).cast(to: .float64),
                    grad { (x: Tensor) in (sin(x) * x).sum() }(x.cast(to: .float64)), rtol: 1e-6)
    }

    @Test func nonDifferentiableOperationsUnderVmapAndJit() {
        let xs = Tensor([[0.5, -1.5, 2.5], [-0.2, 3.7, 1.0]]), shared = Tensor([1.0, -1.0, 0.0])
        let ops: [(String, (Tensor, Tensor) -> Tensor)] = [
            ("argmax", { a, _ in a.argmax(axis: 0) }),
            ("floor", { a, b in floor(a + b) }),
            ("sign", { a, b in sign(a * b) }),
            ("isnan", { a, b in isnan(log(a + b)) }),
            ("logical", { a, b in (a .> b) .& (a .>= 0) }),
        ]
        for (name, op) in ops {
            // Only the first argument batched, then only the second.
            let sliced = Tensor.stack((0..<2).map { op(xs[$0], shared) })
            expectClose(vmap(op, inAxes: (0, nil))(xs, shared).cast(to: .float64), sliced.cast(to: .float64), rtol: 0)
            let swapped = Tensor.stack((0..<2).map { op(shared, xs[$0]) })
            expectClose(vmap(op, inAxes: (nil, 0))(shared, xs).cast(to: .float64), swapped.cast(to: .float64), rtol: 0)
            expectClose(jit(op)(xs[0], shared).cast(to: .float64), op(xs[0], shared).cast(to: .float64), rtol: 0)
            _ = name
        }
    }
}

/// A thread-safe call counter.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
