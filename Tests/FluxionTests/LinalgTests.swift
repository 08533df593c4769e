import Testing
@testable import Fluxion
import FluxionTestSupport

@Suite("Linear algebra")
struct LinalgTests {
    @Test func choleskySolveInvDet() throws {
        let spd = Reference["la_spd"], g = Reference["la_g"], rhs = Reference["la_rhs"]
        let l = try Linalg.cholesky(spd)
        expectClose(l, Reference["la_cholesky"], rtol: 1e-12, atol: 1e-13)
        expectClose(try Linalg.solve(g, rhs), Reference["la_solve"], rtol: 1e-10, atol: 1e-12)
        expectClose(try Linalg.inv(g), Reference["la_inv"], rtol: 1e-10, atol: 1e-12)
        expectClose(Linalg.det(g), Reference["la_det"], rtol: 1e-11)
        let (sign, logAbs) = Linalg.slogdet(g)
        expectClose(sign, Reference["la_slogdet_sign"], rtol: 0)
        expectClose(logAbs, Reference["la_slogdet_log"], rtol: 1e-12)
        expectClose(Linalg.choSolve(l, rhs), try Linalg.solve(spd, rhs), rtol: 1e-10, atol: 1e-12)
        // A vector right-hand side, and float32.
        let x = try Linalg.solve(g[0], rhs[0, .all, 0])
        expectClose(x, Reference["la_solve"][0, .all, 0], rtol: 1e-10)
        let x32 = try Linalg.solve(g.cast(to: .float32), rhs.cast(to: .float32))
        #expect(x32.dtype == .float32)
        expectClose(x32.cast(to: .float64), Reference["la_solve"], rtol: 1e-3, atol: 1e-4)
    }

    @Test func triangularSolveAllForms() {
        var rng = TestRandom(seed: 3)
        let a = rng.tensor([4, 4]) + Tensor.eye(4) * 4, b = rng.tensor([4, 2])
        let lower = a * (Tensor.arange(4).expandingShape(at: -1) .>= Tensor.arange(4)).cast(to: .float64)
        let upper = lower.mT
        let x1 = Linalg.triangularSolve(a, b, lower: true)       // reads only the lower triangle
        expectClose(matmul(lower, x1), b, rtol: 1e-12, atol: 1e-13)
        let x2 = Linalg.triangularSolve(lower, b, lower: true, transposeA: true)
        expectClose(matmul(upper, x2), b, rtol: 1e-12, atol: 1e-13)
        let x3 = Linalg.triangularSolve(upper, b.mT, lower: false, leftSide: false)
        expectClose(matmul(x3, upper), b.mT, rtol: 1e-12, atol: 1e-13)
        let unit = lower - lower * Tensor.eye(4) + Tensor.eye(4)
        expectClose(matmul(unit, Linalg.triangularSolve(lower, b, lower: true, unitDiagonal: true)), b, rtol: 1e-12, atol: 1e-13)
    }

    @Test func eighSvdQr() {
        let spd = Reference["la_spd"], g = Reference["la_g"], rect = Reference["la_rect"]
        let (w, v) = Linalg.eigh(spd)
        expectClose(w, Reference["la_eigvalsh"], rtol: 1e-12)
        expectClose(matmul(v * w.expandingShape(at: -2), v.mT), spd, rtol: 1e-11, atol: 1e-11)
        expectClose(matmul(v.mT, v), Tensor.eye(6).broadcast(to: [2, 6, 6]), rtol: 0, atol: 1e-13)
        let (u, s, vt) = Linalg.svd(g)
        expectClose(s, Reference["la_svals"], rtol: 1e-12)
        expectClose(matmul(u * s.expandingShape(at: -2), vt), g, rtol: 1e-11, atol: 1e-12)
        let full = Linalg.svd(rect, fullMatrices: true)
        #expect(full.u.shape == [7, 7] && full.vt.shape == [4, 4] && full.s.shape == [4])
        expectClose(full.s, Reference["la_rect_svals"], rtol: 1e-12)
        for complete in [false, true] {
            let (q, r) = Linalg.qr(rect, complete: complete)
            #expect(q.shape == (complete ? [7, 7] : [7, 4]) && r.shape == (complete ? [7, 4] : [4, 4]))
            expectClose(matmul(q, r), rect, rtol: 1e-12, atol: 1e-13)
            expectClose(matmul(q.mT, q), Tensor.eye(q.shape[1]), rtol: 0, atol: 1e-13)
            let below = (Tensor.arange(r.shape[0]).expandingShape(at: -1) .> Tensor.arange(r.shape[1])).cast(to: .float64)
            #expect((r * below).norm().item == 0)
        }
    }

    @Test func leastSquaresPinvAndNorms() {
        let rect = Reference["la_rect"]
        expectClose(Linalg.lstsq(rect, Reference["la_rect_rhs"]), Reference["la_lstsq"], rtol: 1e-11)
        expectClose(Linalg.lstsq(Reference["la_deficient"], Reference["la_deficient_rhs"]),
                    Reference["la_deficient_lstsq"], rtol: 1e-10, atol: 1e-12)
        expectClose(Linalg.pinv(rect), Reference["la_pinv"], rtol: 1e-11, atol: 1e-13)
        let orders: [(String, NormOrder)] = [("fro", .frobenius), ("nuc", .nuclear), ("1", .p(1)), ("m1", .p(-1)),
                                             ("inf", .infinity), ("minf", .negativeInfinity), ("2", .p(2)), ("m2", .p(-2))]
        for (name, order) in orders {
            expectClose(Linalg.norm(rect, order, alongAxes: [0, 1]), Reference["la_norm_" + name], rtol: 1e-12, "\(name)")
        }
        let vec = Reference["la_vec"]
        let vorders: [(String, NormOrder)] = [("2", .p(2)), ("1", .p(1)), ("inf", .infinity), ("minf", .negativeInfinity), ("3", .p(3)), ("0", .p(0))]
        for (name, order) in vorders {
            expectClose(vec.norm(order, alongAxes: [0]), Reference["la_vnorm_" + name], rtol: 1e-12, "\(name)")
        }
    }

    @Test func dataErrorsAreThrown() {
        let notPD = Tensor([[1.0, 2.0], [2.0, 1.0]])
        #expect(throws: LinalgError.notPositiveDefinite(operation: "cholesky", order: 2, batchIndex: 0)) {
            try Linalg.cholesky(notPD)
        }
        let batch = Tensor.stack([Tensor.eye(2), notPD])
        do {
            _ = try Linalg.cholesky(batch)
            Issue.record("expected a throw")
        } catch {
            #expect(error.description == "cholesky: matrix 1 is not positive definite (its leading minor of order 2 is not)")
        }
        let singular = Tensor([[1.0, 2.0], [2.0, 4.0]])
        #expect(throws: LinalgError.singular(operation: "solve", batchIndex: 0)) { try Linalg.solve(singular, Tensor([1.0, 1.0])) }
        #expect(throws: LinalgError.singular(operation: "solve", batchIndex: 0)) { try Linalg.inv(singular) }
        #expect(Linalg.det(singular).item == 0)
        #expect(Linalg.slogdet(singular).logAbsDet.item == -.infinity)
    }
}
