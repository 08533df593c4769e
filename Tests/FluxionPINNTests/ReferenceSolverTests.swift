import Fluxion
@testable import FluxionPINN
import Foundation
import Testing

@Suite("PINN reference solvers")
struct ReferenceSolverTests {
    /// The Cole–Hopf quadrature has converged: doubling the nodes changes u by < 1e-9, the solution is
    /// odd in x, starts at −sin πx and satisfies the PDE (central differences of the formula itself).
    @Test func burgersColeHopfConvergesAndSolvesThePDE() {
        let points = Tensor([[0.3, 0.5], [-0.02, 0.9], [0.01, 0.4], [0.8, 1.0], [-0.8, 1.0], [0.5, 0.0]])
        let u = BurgersExact()(points).doubles
        let fine = BurgersExact(nodes: 8001)(points).doubles
        for (a, b) in zip(u, fine) { #expect(abs(a - b) < 1e-9) }
        #expect(abs(u[3] + u[4]) < 1e-12)
        #expect(abs(u[5] + sin(0.5 * Double.pi)) < 1e-15)
        let nu = 0.01 / Double.pi, h = 1e-4
        for (x, t) in [(0.3, 0.5), (-0.6, 0.2), (0.1, 0.8)] {
            let s = BurgersExact()(Tensor([[x, t], [x + h, t], [x - h, t], [x, t + h], [x, t - h]])).doubles
            let ux = (s[1] - s[2]) / (2 * h), uxx = (s[1] - 2 * s[0] + s[2]) / (h * h), ut = (s[3] - s[4]) / (2 * h)
            #expect(abs(ut + s[0] * ux - nu * uxx) < 1e-5, "residual at (\(x), \(t))")
        }
    }

    /// ETDRK4 is fourth order: halving the step divides the error (against a fine solution) by about 16.
    @Test func etdrk4IsFourthOrder() {
        let solver = SpectralETDRK4.kuramotoSivashinsky(points: 64, length: 2 * .pi, alpha: 100.0 / 16, beta: 100.0 / 256,
                                                        gamma: 100.0 / 65_536)
        let u0 = Tensor(solver.grid.doubles.map { cos($0) * (1 + sin($0)) })
        let reference = solver.solve(u0, times: [0.1], step: 1.25e-4)[0]
        let errors = [4e-3, 2e-3, 1e-3].map { h in (solver.solve(u0, times: [0.1], step: h)[0] - reference).norm().item }
        for i in 0..<2 {
            let ratio = errors[i] / errors[i + 1]
            #expect(ratio > 12 && ratio < 20, "error ratio \(ratio) for \(errors)")
        }
    }

    /// With no nonlinearity the solution is the exact decay of each Fourier mode.
    @Test func etdrk4IsExactForTheLinearPart() {
        let solver = SpectralETDRK4(points: 32, start: 0, length: 2 * .pi, linear: { k in -k * k }) { v, _, _ in v * 0 }
        let x = solver.grid
        let u = solver.solve(sin(x) + cos(3 * x), times: [0.3], step: 0.07)[0]
        let exact = exp(Tensor(-0.3)) * sin(x) + exp(Tensor(-2.7)) * cos(3 * x)
        #expect(abs(u - exact).max().item < 1e-13)
    }

    /// Spectral interpolation of the reference reproduces the grid values and a smooth function between them.
    @Test func spectralReferenceInterpolates() {
        let solver = SpectralETDRK4(points: 32, start: -1, length: 2, linear: { _ in 0 }) { v, _, _ in v * 0 }
        let points = Tensor([[-1.0, 0], [0.123, 0], [0.77, 0]])
        let u = solver.reference(at: points, step: 0.1) { x in sin(.pi * x) + 0.3 * cos(3 * .pi * x) }.doubles
        for (u, x) in zip(u, [-1.0, 0.123, 0.77]) { #expect(abs(u - (sin(.pi * x) + 0.3 * cos(3 * .pi * x))) < 1e-13) }
    }

    /// Fast diagonalization on a rectangle: second-order convergence to sin(kx) sin(ky) for Helmholtz.
    @Test func rectangleSolverConvergesAtSecondOrder() throws {
        let k = 2 * Double.pi
        var errors: [Double] = []
        for n in [15, 31, 63] {
            let (x, y, u) = try FiniteDifference.rectangle(try Rectangle(x: 0...1, y: 0...1), nx: n, ny: n, kappa: k * k,
                                                           source: { x, y in k * k * sin(k * x) * sin(k * y) },
                                                           boundary: { _, _ in 0 })
            let exact = sin(k * x).reshaped(to: [n, 1]) * sin(k * y).reshaped(to: [1, n])
            errors.append(abs(u - exact).max().item)
        }
        for i in 0..<2 { #expect(abs(errors[i] / errors[i + 1] - 4) < 0.3, "\(errors)") }
    }

    /// Conjugate gradients on the L-shape: second-order convergence to a solution vanishing on its boundary.
    @Test func lShapeSolverConvergesAtSecondOrder() throws {
        let f = { (x: Double, y: Double) in 2 * Double.pi * Double.pi * sin(.pi * x) * sin(.pi * y) }
        var errors: [Double] = []
        for h in [1.0 / 8, 1.0 / 16, 1.0 / 32] {
            let (x, y, u) = try FiniteDifference.poisson(on: GeometryTests.lShape, spacing: h, source: f, boundary: { _, _ in 0 })
            var e = 0.0
            for i in x.indices { for j in y.indices where !u[i * y.count + j].isNaN {
                e = max(e, abs(u[i * y.count + j] - sin(.pi * x[i]) * sin(.pi * y[j])))
            } }
            errors.append(e)
        }
        for i in 0..<2 { #expect(abs(errors[i] / errors[i + 1] - 4) < 0.4, "\(errors)") }
    }
}
