import Foundation
import Testing
import Fluxion
import FluxionTestSupport

/// The transforms' forms over trees and any number of arguments, written against the public API only.
@Suite("Transform forms")
struct TransformFormsTests {
    struct Layer: TensorTree {
        var w: Tensor
        var b: Tensor
    }

    static let x = Tensor([[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0], [0.1, 0.3]])
    static let layer = Layer(w: Tensor([[0.3, -0.2, 0.5], [0.1, 0.4, -0.6]]), b: Tensor([0.05, -0.1, 0.2]))
    static func forward(_ p: Layer) -> Tensor { tanh(matmul(x, p.w) + p.b) }

    @Test func jacobiansOfAFunctionOfATree() {
        let p = Self.layer
        // Per leaf, with the other leaf held constant.
        let jw = jacfwd { (w: Tensor) in Self.forward(Layer(w: w, b: p.b)) }(p.w)
        let jb = jacfwd { (b: Tensor) in Self.forward(Layer(w: p.w, b: b)) }(p.b)
        let fwd = jacfwd(Self.forward)(p), rev = jacrev(Self.forward)(p)
        #expect(fwd.w.shape == [4, 3, 2, 3] && fwd.b.shape == [4, 3, 3])
        expectClose(fwd.w, jw, rtol: 1e-14)
        expectClose(fwd.b, jb, rtol: 1e-14)
        expectClose(rev.w, jw, rtol: 1e-13)
        expectClose(rev.b, jb, rtol: 1e-13)
        // Two arguments: with respect to the first.
        let two = jacrev { (q: Layer, scale: Tensor) in Self.forward(q) * scale }(p, Tensor(2.0))
        expectClose(two.w, 2 * jw, rtol: 1e-13)
    }

    @Test func jacobiansOfAFunctionReturningATree() {
        let f = { (x: Tensor) in Layer(w: x.expandingShape(at: 1) * x.expandingShape(at: 0), b: sin(x)) }
        let x = Tensor([0.3, -1.2, 0.8])
        for j in [jacfwd(f)(x), jacrev(f)(x)] {
            #expect(j.w.shape == [3, 3, 3] && j.b.shape == [3, 3])
            expectClose(j.w, jacfwd { (x: Tensor) in f(x).w }(x), rtol: 1e-14)
            expectClose(j.b, jacfwd { (x: Tensor) in f(x).b }(x), rtol: 1e-14)
        }
    }

    @Test func hessianOverATreeAndWithParameters() {
        struct Point: TensorTree { var a: Tensor; var b: Tensor }
        let f = { (p: Point) in p.a.prod() * p.b * p.b + sin(p.a).sum() * p.b }
        // The same function of the concatenated vector [a0, a1, b], written by hand.
        let g = { (v: Tensor) in f(Point(a: v[0..<2], b: v[2])) }
        let point = Point(a: Tensor([0.4, -0.7]), b: Tensor(1.3))
        let h = hessian(f)(point)
        #expect(h.shape == [3, 3])
        expectClose(h, hessian(g)(Tensor([0.4, -0.7, 1.3])), rtol: 1e-14)
        // hessian(u)(x, params): second derivatives in x of a network with parameters.
        let u = { (x: Tensor, p: Layer) in Self.forward(Layer(w: p.w, b: p.b + x.sum())).sum() }
        let hx = hessian(u)(Tensor([0.2, 0.1]), Self.layer)
        expectClose(hx, hessian { (x: Tensor) in u(x, Self.layer) }(Tensor([0.2, 0.1])), rtol: 1e-14)
    }

    @Test func vmapOfFourArguments() {
        var rng = TestRandom(seed: 5)
        let (a, b, c, d) = (rng.tensor([3, 2]), rng.tensor([2]), rng.tensor([3]), rng.tensor([2, 2]))
        let f = { (a: Tensor, b: Tensor, c: Tensor, d: Tensor) in matmul(d, a * b) * c }
        let batched = vmap(f, inAxes: (0, nil, 0, nil))(a, b, c, d)
        let sliced = Tensor.stack((0..<3).map { f(a[$0], b, c[$0], d) })
        expectClose(batched, sliced, rtol: 1e-15)
        // Trees as arguments, every argument mapped by default.
        let g = { (p: Layer, x: Tensor, s: Tensor, t: Tensor) in (matmul(x, p.w) + p.b) * s - t }
        let ps = Layer(w: rng.tensor([3, 2, 3]), b: rng.tensor([3, 3]))
        let xs = rng.tensor([3, 2]), ss = rng.tensor([3]), ts = rng.tensor([3, 3])
        let out = vmap(g)(ps, xs, ss, ts)
        expectClose(out, Tensor.stack((0..<3).map { g(Layer(w: ps.w[$0], b: ps.b[$0]), xs[$0], ss[$0], ts[$0]) }), rtol: 1e-15)
        // Any number of arguments through one form.
        let h = { (a: Tensor, b: Tensor, c: Tensor, d: Tensor, e: Tensor) in (a * b + c) * d.sum() - e }
        let mapped = vmap(h, inAxes: [0, nil, 0, nil, 0])
        let five = mapped(a, b, a, d, a)
        expectClose(five, Tensor.stack((0..<3).map { h(a[$0], b, a[$0], d, a[$0]) }), rtol: 1e-15)
    }

    struct NegativeInput: Error {}

    @Test func throwingJit() throws {
        let solve = jit { (a: Tensor, b: Tensor) throws -> Tensor in
            guard a.shape[0] > 1 else { throw NegativeInput() }
            return try Linalg.solve(a, b)
        }
        #expect(throws: NegativeInput.self) { try solve(Tensor([[2.0]]), Tensor([1.0])) }
        #expect(solve.traceCount == 0)
        let a = Tensor([[3.0, 1.0], [1.0, 2.0]]), b = Tensor([9.0, 8.0])
        expectClose(try solve(a, b), try Linalg.solve(a, b), rtol: 1e-14)
        #expect(solve.traceCount == 1)
        // grad of a throwing function, and a throwing jit passed where a function is expected.
        let logdet: (Tensor) throws -> Tensor = jit { (a: Tensor) throws -> Tensor in
            2 * log(try Linalg.cholesky(0.5 * (a + a.mT)).diagonal()).sum()
        }
        let g = try grad(logdet)(a)
        expectClose(g, try Linalg.inv(a), rtol: 1e-12)
        // A function that cannot throw compiles to the non-throwing form.
        let plain: JitFunction<Tensor, Tensor> = jit { (x: Tensor) in sin(x) }
        expectClose(plain(a), sin(a), rtol: 0)
    }

    @Test func fusedChainsRunThePrimitivesOwnMath() {
        // Fused loops call each primitive's float64 kernel: bit-for-bit the eager result.
        let chain = { (x: Tensor) in
            erf(floor(x * 3) / 3 + tanh(x) * pow(abs(x) + 0.5, x)) - maximum(sqrt(abs(x)), exp(-x)) + atan(x) * 2
        }
        var rng = TestRandom(seed: 11)
        let x = rng.tensor([1000])
        let compiled = jit(chain)
        #expect(compiled.program(for: x).primitiveNames.contains { $0.hasPrefix("fused") })
        #expect(compiled(x).doubles == chain(x).doubles)
    }

    @Test func vmapOfFunctionsReturningPairs() {
        let loss = { (p: Layer) in (Self.forward(p) * Self.forward(p)).sum() }
        let batch = Layer(w: Tensor.stack([Self.layer.w, 2 * Self.layer.w]), b: Tensor.stack([Self.layer.b, -Self.layer.b]))
        let (values, grads) = vmap(valueAndGrad(loss))(batch)
        for i in 0..<2 {
            let (v, g) = valueAndGrad(loss)(Layer(w: batch.w[i], b: batch.b[i]))
            expectClose(values[i], v, rtol: 1e-14)
            expectClose(grads.w[i], g.w, rtol: 1e-14)
            expectClose(grads.b[i], g.b, rtol: 1e-14)
        }
        let x = Tensor([[0.1, 0.2], [0.3, -0.4]])
        let (ys, dys) = vmap({ (x: Tensor, v: Tensor) in jvp({ sin($0) * $0 }, at: x, tangent: v) }, inAxes: (0, nil))(x, Tensor([1.0, 0.5]))
        expectClose(ys, sin(x) * x, rtol: 1e-15)
        expectClose(dys, (cos(x) * x + sin(x)) * Tensor([1.0, 0.5]), rtol: 1e-14)
        // And from jit, with trees inside.
        let step = jit { (p: Layer) in valueAndGrad(loss)(p) }
        expectClose(step(Self.layer).1.w, grad(loss)(Self.layer).w, rtol: 1e-13)
    }

    @Test func customRulesOfTwoArguments() throws {
        let hypot = customJVP({ (a: Tensor, b: Tensor) in sqrt(a * a + b * b) },
                              jvp: { a, b, ta, tb in
                                  let r = sqrt(a * a + b * b)
                                  return (r, (a * ta + b * tb) / r)
                              })
        try checkGrads({ (x: [Tensor]) in hypot(x[0], x[1]) }, at: [Tensor([3.0, 0.5]), Tensor([4.0, -1.2])], order: 2)
        let product = customVJP(forward: { (a: Tensor, b: Tensor) in (a * b, [a, b]) },
                                backward: { r, ct in (ct * r[1], ct * r[0]) })
        let (ga, gb) = grad({ (a: Tensor, b: Tensor) in product(a, b).sum() }, wrt: .all)(Tensor([2.0]), Tensor([5.0]))
        #expect(ga.doubles == [5] && gb.doubles == [2])
    }
}
