import Foundation
import Testing
@testable import Fluxion
import FluxionTestSupport

/// The README's API tour, line for line, with its claims checked.
@Suite("README examples")
struct ReadmeTests {
    @Test func tour() throws {
        let a = Tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], shape: [2, 3])
        let i = Tensor([Int32(1), 2, 3])
        let b = 2 * a + 1
        let c = a + Tensor([10.0, 20.0, 30.0])
        let f = a.cast(to: .float32) * i
        #expect(b.dtype == .float64 && f.dtype == .float64)
        #expect(c.description == "Tensor([[11., 22., 33.],\n        [14., 25., 36.]])")
        #expect(c.scalars(as: Double.self) == [11.0, 22.0, 33.0, 14.0, 25.0, 36.0])
        #expect(c[1, 2].item == 36.0)

        let x = Tensor.arange(0, 24).reshaped(to: [2, 3, 4])
        #expect(x[0].shape == [3, 4])
        #expect(x[-1, 1..<3, .stride(by: -1)].doubles == [19, 18, 17, 16, 23, 22, 21, 20])
        #expect(x[.newAxis, .ellipsis, 0].shape == [1, 2, 3])
        #expect(x[Tensor([Int64(1), 0])][0, 0, 0].item == 12)
        #expect(Tensor.zeros([4]).scatterAdding(Tensor([1.0, 2.0]), at: Tensor([Int64(1), 1]), alongAxis: 0).doubles == [0, 3, 0, 0])

        let y = tanh(x) * exp(-x * x) + softplus(x)
        #expect(y.shape == x.shape)
        #expect(x.sum(alongAxes: [0, 2]).shape == [3] && x.max(alongAxes: [-1], keepingDims: true).shape == [2, 3, 1])
        #expect(x.logSumExp(alongAxes: [1]).shape == [2, 4] && x.argmax(axis: 2).shape == [2, 3])
        #expect(a.padded([(1, 1), (0, 2)]).shape == [4, 5] && Tensor.concatenate([a, a], axis: 1).shape == [2, 6])
        expectClose(matmul(x, x.mT), einsum("bij,bjk->bik", x, x.mT), rtol: 0, atol: 0)

        let spd = Tensor([[4.0, 2.0], [2.0, 3.0]])
        let l = try Linalg.cholesky(spd)
        expectClose(matmul(l, l.mT), spd, rtol: 1e-15)
        let s = try Linalg.solve(spd, Tensor([1.0, 2.0]))
        expectClose(matmul(spd, s), Tensor([1.0, 2.0]), rtol: 1e-14)
        #expect(Linalg.lstsq(a.mT, Tensor([1.0, 2.0, 3.0])).shape == [2])
        #expect(Linalg.norm(a, .nuclear, alongAxes: [0, 1]).shape == [])

        let r = Tensor.linspace(0, 1, count: 5)
        expectClose(FFT.ifft(FFT.fft(c)), c.cast(to: .complex128), rtol: 1e-14, atol: 1e-14)
        #expect(FFT.rfft(r).shape == [3] && FFT.dct(r, type: 2, norm: .ortho).shape == [5])

        let key = PRNGKey(seed: 0)
        let (k1, _) = key.split()
        #expect(Random.normal(k1, shape: [3, 2]).shape == [3, 2])
        #expect(Random.permutation(key.foldIn(7), 10).sorted().scalars(as: Int64.self) == Array(0..<10))
    }
}

extension ReadmeTests {
    @Test func derivativesSection() {
        let x = Tensor([0.5, 1.5]), v = Tensor([1.0, -1.0]), a = Tensor([1.0, 2.0]), b = Tensor([3.0, 4.0])
        let f: (Tensor) -> Tensor = { x in sin(x) * x }
        let df = grad { (x: Tensor) in (x * x * x).sum() }
        expectClose(df(x), 3 * x * x, rtol: 1e-15)
        let d4f = grad(grad(grad(grad { (x: Tensor) in sin(x) })))
        #expect(Swift.abs(d4f(Tensor(0.3)).item - sin(Tensor(0.3)).item) < 1e-15)
        let (y, g) = valueAndGrad { (x: Tensor) in (x * x).sum() }(x)
        #expect(y.item == 2.5 && g.doubles == [1, 3])
        let (y2, pullback) = vjp({ x in sin(x) }, at: x)
        expectClose(pullback(Tensor.ones(like: y2)), cos(x), rtol: 1e-15)
        let (_, ydot) = jvp({ x in sin(x) }, at: x, tangent: v)
        expectClose(ydot, cos(x) * v, rtol: 1e-15)
        expectClose(jacfwd(f)(x), jacrev(f)(x), rtol: 1e-15)
        #expect(hessian { f($0).sum() }(x).shape == [2, 2])
        let gs = grad({ (a: Tensor, b: Tensor) in (a * b).sum() }, wrt: .all)(a, b)
        #expect(gs.0.doubles == [3, 4] && gs.1.doubles == [1, 2])
    }
}

extension ReadmeTests {
    @Test func vmapSection() {
        let matrix = Tensor([[3.0, 4.0], [6.0, 8.0]])
        #expect(vmap({ (row: Tensor) in row.norm() })(matrix).doubles == [5, 10])
        let loss: (Tensor, Tensor) -> Tensor = { w, x in (w * x).sum() }
        let examples = Tensor([[1.0, 2.0], [3.0, 4.0]]), weights = Tensor([0.5, 0.5])
        let perExample = vmap({ (x: Tensor, w: Tensor) in grad { w in loss(w, x) }(w) }, inAxes: (0, nil))(examples, weights)
        expectClose(perExample, examples, rtol: 0, atol: 0)
        let f: (Tensor) -> Tensor = { x in sin(x) }, x = Tensor([0.1, 0.2]), n = 2
        let columns = vmap({ v in jvp(f, at: x, tangent: v).tangent })(Tensor.eye(n))
        expectClose(columns, jacfwd(f)(x).mT, rtol: 0, atol: 0)
    }
}

extension ReadmeTests {
    @Test func jitAndControlFlowSections() {
        let x = Tensor([0.5, -0.2])
        let y = cond(x.sum() .> 0, x, then: { sin($0) }, else: { exp($0) })
        expectClose(y, sin(x), rtol: 0)
        let root = whileLoop([Tensor(1.0)], maxTrips: 50, condition: { abs($0[0] * $0[0] - 2) .> 1e-12 },
                             body: { [0.5 * ($0[0] + 2 / $0[0])] })[0]
        #expect(Swift.abs(root.item - 2.0.squareRoot()) < 1e-12)
        let x5 = forLoop(5, [Tensor(1.0)]) { _, s in [s[0] * x] }[0]
        expectClose(x5, x * x * x * x * x, rtol: 1e-15)
        let forces = Tensor.ones([64, 2]), x0 = Tensor.zeros([2])
        let (final, trajectory) = scan([x0], over: [forces], checkpoint: .segments(32)) { c, f in
            let next = [c[0] + 0.01 * f[0]]
            return (next, next)
        }
        expectClose(final[0], Tensor([0.64, 0.64]), rtol: 1e-14)
        #expect(trajectory[0].shape == [64, 2])
        let w = Tensor([[0.5, 0.1], [0.0, 0.3]])
        let block = checkpoint { (x: Tensor) in tanh(matmul(w, tanh(matmul(w, x)))) }
        expectClose(block(x), tanh(matmul(w, tanh(matmul(w, x)))), rtol: 0)
        let power = jit { (x: Tensor, n: Int) in pow(x, Double(n)) }
        #expect(power(Tensor(2.0), 3).item == 8)
    }
}
