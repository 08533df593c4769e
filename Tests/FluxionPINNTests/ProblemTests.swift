import Fluxion
import FluxionNN
@testable import FluxionPINN
import Foundation
import Testing

/// A "network" with a known closed form, `u(x, t) = sin(a x) e^{b t}` with trainable a and b, so that
/// residuals and condition terms can be checked against their exact values.
struct Analytic: Layer {
    var a: Tensor
    var b: Tensor
    func callAsFunction(_ z: Tensor) -> Tensor { (sin(a * z[.ellipsis, 0]) * exp(b * z[.ellipsis, 1])).reshaped(to: [1]) }
}

@Suite("PINN problems")
struct ProblemTests {
    static let net = Analytic(a: Tensor(1.3), b: Tensor(-0.7))

    /// u_t + u u_x − ν u_xx, u_xxxx, mixed partials and the Laplacian, from Taylor mode, equal their
    /// closed forms.
    @Test func residualDerivativesAreExact() throws {
        let (a, b, nu) = (1.3, -0.7, 0.05)
        let problem = Problem(name: "check", domain: try SpaceTime(Interval(-1, 1), time: 0...1),
                              residual: { u in Tensor.stack([u.t + u.value * u.x - nu * u.xx, u.xxxx, u.partial([1, 1]), u.laplacian]) })
        let points = Tensor([[0.3, 0.2], [-0.7, 0.9]])
        let r = problem.residuals(PINNParameters(network: Self.net, coefficients: [:]), at: points).doubles
        for (i, (x, t)) in [(0.3, 0.2), (-0.7, 0.9)].enumerated() {
            let (s, c, e) = (sin(a * x), cos(a * x), exp(b * t))
            let u = s * e, ux = a * c * e, uxx = -a * a * s * e, ut = b * s * e
            let expected = [ut + u * ux - nu * uxx, a * a * a * a * s * e, a * b * c * e, uxx]
            for k in 0..<4 { #expect(abs(r[4 * i + k] - expected[k]) < 1e-12, "term \(k) at point \(i)") }
        }
    }

    /// Condition terms: Dirichlet, Neumann (outward normal derivative), Robin, initial, periodic and
    /// observations, each equal to its closed-form mean square.
    @Test func conditionTermsMatchClosedForms() throws {
        let (a, b) = (1.3, -0.7)
        let u = { (x: Double, t: Double) in sin(a * x) * exp(b * t) }
        let ux = { (x: Double, t: Double) in a * cos(a * x) * exp(b * t) }
        let domain = try SpaceTime(Interval(-1, 1), time: 0...1)
        let observed = [[0.1, 0.1], [0.2, 0.5]]
        let problem = Problem(name: "check", domain: domain, residual: { u in u.value },
                              conditions: [.dirichlet("d", points: 8) { p in 0.5 * p[1] },
                                           .neumann("n", points: 8) { _ in 0.25 },
                                           .robin("r", alpha: 2, points: 8) { _ in 0 },
                                           .initial("i", points: 8) { p in p[0] },
                                           .periodic("p", axis: 0, derivatives: 1, points: 8),
                                           .observations("o", points: observed, values: [1, 2])])
        let batch = try problem.batch(collocation: 16, sampler: .halton, key: PRNGKey(seed: 9))
        let terms = problem.lossTerms(PINNParameters(network: Self.net, coefficients: [:]), batch).doubles
        func mean(_ c: String, _ f: ([Double]) -> Double) -> Double {
            let p = batch.conditions[c]!.points.doubles
            return stride(from: 0, to: p.count, by: 2).map { f([p[$0], p[$0 + 1]]) }.reduce(0, +) / Double(p.count / 2)
        }
        let expected = [
            mean("d") { p in pow(u(p[0], p[1]) - 0.5 * p[1], 2) },
            mean("i") { p in pow(u(p[0], p[1]) - p[0], 2) },
            mean("n") { p in pow((p[0] > 0 ? 1 : -1) * ux(p[0], p[1]) - 0.25, 2) },
            mean("o") { p in pow(u(p[0], p[1]) - (p[0] == 0.1 ? 1 : 2), 2) },
            mean("p") { p in pow(u(-1, p[1]) - u(1, p[1]), 2) + pow(ux(-1, p[1]) - ux(1, p[1]), 2) },
            mean("r") { p in pow((p[0] > 0 ? 1 : -1) * ux(p[0], p[1]) + 2 * u(p[0], p[1]), 2) },
        ]
        // Terms come in the problem's order after the residual: d, n, r, i, p, o.
        let order = [0, 2, 5, 1, 4, 3]
        for (k, e) in order.enumerated() { #expect(abs(terms[k + 1] - expected[e]) < 1e-12, "term \(problem.termNames[k + 1])") }
    }

    /// A hard constraint holds exactly, whatever the network.
    @Test func hardConstraintHoldsExactly() throws {
        var problem = try Problems.burgers()
        problem.hardConstraint = .initialValueAndZeroWalls(try Interval(-1, 1), timeIndex: 1) { z in -sin(Double.pi * z[0]) }
        let net = MLP(widths: [2, 8, 1], key: PRNGKey(seed: 1))
        let u = vmap(problem.field(net))(Tensor([[-1.0, 0.3], [1.0, 0.7], [0.4, 0.0]])).doubles
        #expect(abs(u[0]) < 1e-15 && abs(u[1]) < 1e-15 && abs(u[2] + sin(0.4 * Double.pi)) < 1e-15)
    }

    /// The polygon's distance function vanishes on every edge and is positive inside, so the
    /// L-shape's u = 0 holds exactly.
    @Test func polygonConstraintVanishesOnTheBoundary() throws {
        let problem = try Problems.poissonLShape().withHardConstraints()
        #expect(problem.conditions.isEmpty)
        let net = MLP(widths: [2, 8, 1], key: PRNGKey(seed: 2))
        let onEdge = GeometryTests.lShape.boundaryPoints(50, key: PRNGKey(seed: 3))
        let corner = ["corner": Tensor(0.7)]
        #expect(problem.coefficients == ["corner": 0])
        let u = vmap(problem.field(net, coefficients: corner))(pointTensor(onEdge, dimension: 2)).doubles
        #expect(u.allSatisfy { abs($0) < 1e-12 }, "\(u.map(abs).max()!)")
        let phi = HardConstraint.zeroOnPolygon(GeometryTests.lShape).distance
        let inside = try GeometryTests.lShape.interiorPoints(50, key: PRNGKey(seed: 4)).filter(GeometryTests.lShape.isInterior)
        #expect(inside.allSatisfy { phi(Tensor($0)).item > 0 })
    }

    /// The L-shape's singular term is `a r^(2/3) sin(2θ/3) exp(−(r/ρ)⁴)` with θ the angle from the
    /// edge along +y, counterclockwise through the domain (computed here with the plain atan2 and its
    /// branch moved), and its Laplacian is that of the cutoff alone: `r^(2/3) sin(2θ/3)` is harmonic.
    @Test func cornerEnrichmentIsTheSingularFunction() throws {
        let constraint = HardConstraint.zeroOnPolygon(GeometryTests.lShape, reentrantCorner: [0, 0], first: [0, 1], coefficient: "a")
        let enrichment = try #require(constraint.enrichment)
        let a = 1.3, rho = 0.4
        for p in [[-0.3, 0.5], [-0.2, -0.1], [0.4, -0.05], [0.01, -0.6], [-0.7, -0.7], [-0.001, 0.002]] {
            let (x, y) = (p[0], p[1])
            var theta = Foundation.atan2(y, x) - Double.pi / 2
            if theta < 0 { theta += 2 * Double.pi }
            let r = (x * x + y * y).squareRoot()
            let expected = a * Foundation.pow(r, 2.0 / 3) * Foundation.sin(2 * theta / 3) * Foundation.exp(-Foundation.pow(r / rho, 4))
            let value = enrichment(Tensor(p), ["a": Tensor(a)]).item
            #expect(abs(value - expected) < 1e-14, "\(p): \(value) vs \(expected)")
        }
        // Harmonic part: with the cutoff's radius huge, Δ(enrichment) = 0 away from the corner.
        let wide = HardConstraint.zeroOnPolygon(GeometryTests.lShape, reentrantCorner: [0, 0], first: [0, 1], coefficient: "a", radius: 1e3)
        let f = { (z: Tensor) in wide.enrichment!(z, ["a": Tensor(1.0)]) }
        for p in [[-0.3, 0.5], [0.4, -0.2], [-0.5, -0.5]] {
            let h = hessian(f)(Tensor(p)).doubles
            #expect(abs(h[0] + h[3]) < 1e-10 && h.map(abs).max()! > 1e-2, "\(p): \(h)")
        }
    }

    @Test func invalidProblemsAreRejected() throws {
        let steady = Problem(name: "bad", domain: try Interval(0, 1), residual: { u in u.xx },
                             conditions: [.initial { _ in 0 }])
        #expect(throws: GeometryError.self) { try steady.validate() }
        let twice = Problem(name: "bad", domain: try Interval(0, 1), residual: { u in u.xx },
                            conditions: [.dirichlet("a") { _ in 0 }, .neumann("a") { _ in 0 }])
        #expect(throws: GeometryError.self) { try twice.validate() }
    }
}
