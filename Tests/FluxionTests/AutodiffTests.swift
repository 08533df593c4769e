import Foundation
import Testing
@testable import Fluxion
import FluxionTestSupport

@Suite("Differentiation: closed forms, composition, trees")
struct AutodiffTests {
    static let derivatives: [String: Tensor] = {
        do { return try NPZ.read(from: Reference.file("derivatives.npz")) } catch { fatalError("\(error)") }
    }()

    /// The n-th derivative of a scalar function by nesting `grad` n times.
    static func nthDerivative(_ n: Int, _ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
        var g = f
        for _ in 0..<n {
            let inner = g
            g = grad(inner)
        }
        return g
    }

    static let functions: [(String, @Sendable (Tensor) -> Tensor)] = [
        ("sin", { sin($0) }), ("exp", { exp($0) }), ("tanh", { tanh($0) }), ("log1p", { log1p($0) }),
        ("pow5", { pow($0, 5) }), ("pow2_5", { pow($0 + 2, 2.5) }),
    ]

    @Test("derivatives 1-6 by nested grad and nested jvp match closed forms", arguments: 0..<6)
    func higherOrder(_ row: Int) {
        let (name, f) = Self.functions[row]
        let table = Self.derivatives["deriv_" + name]!, points = Self.derivatives["deriv_points"]!.doubles
        for n in 1...6 {
            for (i, p) in points.enumerated() {
                let expected = table[n - 1, i].item
                let reverse = Self.nthDerivative(n, f)(Tensor(p)).item
                #expect(Swift.abs(reverse - expected) <= 1e-9 * (1 + Swift.abs(expected)), "\(name) d\(n) at \(p): \(reverse) vs \(expected)")
                // The same by nesting forward mode.
                var g: (Tensor) -> Tensor = f
                for _ in 0..<n {
                    let inner = g
                    g = { x in jvp(inner, at: x, tangent: Tensor.ones(like: x)).tangent }
                }
                let forward = g(Tensor(p)).item
                #expect(Swift.abs(forward - expected) <= 1e-9 * (1 + Swift.abs(expected)), "\(name) forward d\(n) at \(p)")
            }
        }
    }

    @Test func mixedThirdPartial() {
        // ∂³f/∂x∂y∂z by three nested single-argument gradients.
        func f(_ x: Tensor, _ y: Tensor, _ z: Tensor) -> Tensor { sin(x * y) * exp(z) + x * x * y * z * z * z }
        let (x0, y0, z0) = (Tensor(0.4), Tensor(-0.9), Tensor(0.6))
        let dxyz = grad({ (x: Tensor) in
            grad({ (y: Tensor) in
                grad({ (z: Tensor) in f(x, y, z) })(z0)
            })(y0)
        })(x0)
        #expect(Swift.abs(dxyz.item - Self.derivatives["mixed_xyz"]!.item) < 1e-12)
        let g = grad({ (x: Tensor, y: Tensor) in (x * y * y).sum() }, wrt: .all)(Tensor([2.0]), Tensor([3.0]))
        #expect(g.0.doubles == [9] && g.1.doubles == [12])
        let h = grad({ (x: Tensor, y: Tensor, z: Tensor) in (x * y + z).sum() }, wrt: .all)(Tensor([2.0]), Tensor([3.0]), Tensor([1.0]))
        #expect(h.0.doubles == [3] && h.1.doubles == [2] && h.2.doubles == [1])
        // The first argument only; the second is held constant.
        let first = grad { (x: Tensor, y: Tensor) in (x * y * y).sum() }(Tensor([2.0]), Tensor([3.0]))
        #expect(first.doubles == [9])
    }

    @Test func hessians() {
        var rng = TestRandom(seed: 9)
        let a = rng.tensor([4, 4]), b = rng.tensor([4]), x = rng.tensor([4])
        let quadratic: (Tensor) -> Tensor = { x in 0.5 * dot(x, matmul(a, x)) + dot(b, x) }
        let expected = (a + a.mT) * 0.5
        expectClose(hessian(quadratic)(x), expected, rtol: 1e-13, atol: 1e-14)
        expectClose(jacfwd(jacrev(quadratic))(x), expected, rtol: 1e-13, atol: 1e-14)
        expectClose(jacrev(jacfwd(quadratic))(x), expected, rtol: 1e-13, atol: 1e-14)
        expectClose(jacrev(grad(quadratic))(x), expected, rtol: 1e-13, atol: 1e-14)
        let rosenbrock: (Tensor) -> Tensor = { v in
            let head = v[..<3], tail = v[1...]
            return (100 * (tail - head * head) * (tail - head * head) + (1 - head) * (1 - head)).sum()
        }
        let point = Self.derivatives["rosenbrock_point"]!
        expectClose(hessian(rosenbrock)(point), Self.derivatives["rosenbrock_hessian"]!, rtol: 1e-12, atol: 1e-12)
        expectClose(jacrev(jacfwd(rosenbrock))(point), Self.derivatives["rosenbrock_hessian"]!, rtol: 1e-12, atol: 1e-12)
    }

    @Test func hessianVectorProductsAgree() {
        let f: (Tensor) -> Tensor = { x in (tanh(x) * x).sum() + (x * x).prod() }
        let x = Tensor([0.3, -0.8, 1.2]), v = Tensor([1.0, 0.5, -2.0])
        let forwardOverReverse = jvp(grad(f), at: x, tangent: v).tangent
        let reverseOverForward = grad { x in jvp(f, at: x, tangent: v).tangent }(x)
        expectClose(forwardOverReverse, reverseOverForward, rtol: 1e-13)
        expectClose(forwardOverReverse, matmul(hessian(f)(x), v), rtol: 1e-13)
    }

    @Test func jacobians() {
        let f: (Tensor) -> Tensor = { x in Tensor.stack([x[0] * x[1], sin(x[2]), x.sum()]) }
        let x = Tensor([1.0, 2.0, 0.5])
        let expected = Tensor([[2.0, 1.0, 0.0], [0.0, 0.0, Foundation.cos(0.5)], [1.0, 1.0, 1.0]])
        expectClose(jacfwd(f)(x), expected, rtol: 1e-15)
        expectClose(jacrev(f)(x), expected, rtol: 1e-15)
        #expect(jacrev({ $0 * 2 })(Tensor.ones([2, 3])).shape == [2, 3, 2, 3])
    }

    @Test func noPerturbationConfusion() {
        let d = grad { (x: Tensor) in grad { (y: Tensor) in x * y }(x) }(Tensor(3.0))
        #expect(d.item == 1)
        // Forward mode nested inside forward mode, closing over the outer tracer.
        let t = jvp({ (x: Tensor) in jvp({ (y: Tensor) in x * y }, at: x, tangent: Tensor(1.0)).tangent }, at: Tensor(3.0), tangent: Tensor(1.0)).tangent
        #expect(t.item == 1)
    }

    @Test func stopGradientAndValuesInsideGrad() {
        #expect(grad { (x: Tensor) in x * stopGradient(x) }(Tensor(3.0)).item == 3)
        // Values are concrete while differentiating, so Swift control flow on them works (as in JAX's grad).
        let relu = grad { (x: Tensor) in x.item > 0 ? x * x : -x }
        #expect(relu(Tensor(2.0)).item == 4 && relu(Tensor(-2.0)).item == -1)
    }

    @Test func linearAlgebraClosedForms() throws {
        var rng = TestRandom(seed: 21)
        let a = rng.tensor([4, 4]) + Tensor.eye(4) * 3
        // d log|det A| / dA = A⁻ᵀ
        expectClose(grad { Linalg.slogdet($0).logAbsDet }(a), try Linalg.inv(a).mT, rtol: 1e-12, atol: 1e-13)
        // d/dA of the sum of eigenvalues is I, also when eigenvalues repeat.
        for m in [Tensor.eye(3), Tensor([[1.0, 0, 0], [0, 1, 0], [0, 0, 2]]), Tensor([[2.0, 1, 0], [1, 2, 0], [0, 0, 3]])] {
            let g = grad { Linalg.eigh($0).values.sum() }(m)
            expectClose(g, Tensor.eye(3), rtol: 0, atol: 1e-14)
        }
        // A function of a whole repeated eigenspace (its projector) has a finite, correct gradient.
        let weights = rng.tensor([3, 3])
        let projector: ([Tensor]) -> Tensor = { xs in
            let v = Linalg.eigh(xs[0]).vectors[.all, ..<2]
            return (matmul(v, v.mT) * weights).sum()
        }
        let repeated = Tensor([[1.0, 0, 0], [0, 1, 0], [0, 0, 3]])
        let pg = grad { projector([$0]) }(repeated)
        #expect(pg.doubles.allSatisfy { $0.isFinite })
        try checkGrads(projector, at: [repeated], order: 1)
        // The nuclear norm at repeated and at zero singular values.
        for m in [Tensor.eye(2), Tensor([[1.0, 0], [0, 1], [0, 0]]), Tensor([[1.0, 0, 0], [0, 0, 0]])] {
            let g = grad { Linalg.norm($0, .nuclear, alongAxes: [0, 1]) }(m)
            #expect(g.doubles.allSatisfy { $0.isFinite })
            try checkGrads({ Linalg.norm($0[0], .nuclear, alongAxes: [0, 1]) }, at: [m + 0.01 * GradientTable.r(m.shape, 5)], order: 1)
        }
        // trace(f(A)) for f = exp through eigh: its gradient is exp(A), finite at repeated eigenvalues.
        let expTrace = grad { (m: Tensor) in exp(Linalg.eigh(m).values).sum() }(Tensor.eye(2) * 0.5)
        expectClose(expTrace, Tensor.eye(2) * Foundation.exp(0.5), rtol: 1e-14)
    }

    @Test func gaussianProcessGradient() throws {
        try checkGrads({ GradientTable.gpNegativeLogLikelihood($0[0]) }, at: [Tensor([0.1, -0.2, -1.5])], order: 1)
    }

    struct Layer: TensorTree {
        var weight: Tensor
        var bias: Tensor
    }

    struct Model: TensorTree {
        var layers: [Layer]
        var scale: Tensor
        var name: String
        var table: [String: Tensor]
    }

    @Test func treesInAndOut() {
        let model = Model(layers: [Layer(weight: Tensor([[1.0, 2.0]]), bias: Tensor([0.5])),
                                   Layer(weight: Tensor([[3.0]]), bias: Tensor([-1.0]))],
                          scale: Tensor(2.0), name: "net", table: ["b": Tensor([1.0]), "a": Tensor([4.0])])
        #expect(model.leaves.count == 7)
        let loss: (Model) -> Tensor = { m in
            let x = Tensor([[1.0], [1.0]])
            let h = matmul(m.layers[0].weight, x) + m.layers[0].bias
            let y = matmul(m.layers[1].weight, h) + m.layers[1].bias
            return (y * m.scale).sum() + (m.table["a"]! * m.table["b"]!).sum()
        }
        let g = grad(loss)(model)
        #expect(g.name == "net")
        // y = 3·(w·1 + b0) - 1 = 3·3.5 - 1 = 9.5
        #expect(g.layers[0].weight.doubles == [6, 6] && g.layers[0].bias.doubles == [6])
        #expect(g.layers[1].weight.doubles == [7] && g.layers[1].bias.doubles == [2])
        #expect(g.scale.item == 9.5)
        #expect(g.table["a"]!.doubles == [1] && g.table["b"]!.doubles == [4])
        let (value, g2) = valueAndGrad(loss)(model)
        #expect(value.item == 23 && g2.scale.item == 9.5)
        // vjp and jvp over trees
        let (y, pullback) = vjp({ (ts: [Tensor]) in [ts[0] * ts[1], ts[0]] }, at: [Tensor(2.0), Tensor(5.0)])
        #expect(y[0].item == 10)
        let back = pullback([Tensor(1.0), Tensor(1.0)])
        #expect(back[0].item == 6 && back[1].item == 2)
        let (_, t) = jvp({ (d: [String: Tensor]) in d["x"]! * d["y"]! }, at: ["x": Tensor(2.0), "y": Tensor(3.0)],
                         tangent: ["x": Tensor(1.0), "y": Tensor(0.0)])
        #expect(t.item == 3)
    }

    @Test func throwingFunctions() throws {
        let g = grad { (x: Tensor) throws in (try Linalg.cholesky(x * x.mT + Tensor.eye(2))).sum() }
        #expect(try g(Tensor([[1.0, 0.5], [0.2, 1.0]])).shape == [2, 2])
        let bad = grad { (x: Tensor) throws in (try Linalg.cholesky(x)).sum() }
        #expect(throws: LinalgError.self) { try bad(Tensor([[1.0, 2.0], [2.0, 1.0]])) }
    }

    @Test func complexConventionMatchesJAX() {
        // For real f of z = x + iy, grad is ∂f/∂x - i ∂f/∂y: for |z|² that is 2 conj(z).
        let z = complex(Tensor(1.0), Tensor(1.0))
        let g = grad { (z: Tensor) in real(z * conj(z)) }(z)
        #expect(real(g).item == 2 && imag(g).item == -2)
        let h = grad { (z: Tensor) in abs(z) }(complex(Tensor(3.0), Tensor(4.0)))
        #expect(Swift.abs(real(h).item - 0.6) < 1e-15 && Swift.abs(imag(h).item + 0.8) < 1e-15)
    }

    @Test func edgesOfComposites() {
        // The norm's gradient at the zero vector is zero (JAX's choice), not NaN.
        let g = grad { (x: Tensor) in x.norm() }(Tensor.zeros([3]))
        #expect(g.doubles == [0, 0, 0])
        #expect(grad { (x: Tensor) in softplus(x).sum() }(Tensor([-800.0, 800.0])).doubles == [0, 1])
        #expect(grad { (x: Tensor) in sigmoid(x).sum() }(Tensor([-800.0, 800.0])).doubles == [0, 0])
        let lse = grad { (x: Tensor) in x.logSumExp() }(Tensor([1000.0, 1000.0]))
        #expect(lse.doubles == [0.5, 0.5])
        #expect(grad { (x: Tensor) in x.max() }(Tensor([1.0, 3.0, 3.0])).doubles == [0, 0.5, 0.5])
        #expect(grad { (x: Tensor) in pow(x, 2.0).sum() }(Tensor([0.0])).doubles == [0])
    }
}
