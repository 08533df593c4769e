import Fluxion
import Foundation

/// The problems Fluxion ships, each with a reference solution so that a run reports its error.
/// `Problems.named("burgers")` finds one by the name the `fluxion pinn` input files use.
public enum Problems {
    /// The names `named(_:)` knows.
    public static let names = ["burgers", "heat", "poisson-l-shape", "helmholtz", "allen-cahn", "kuramoto-sivashinsky",
                               "heat-inverse"]

    /// The problem of a name, with `parameters` (viscosity for Burgers, diffusivity for heat, waves
    /// for Helmholtz) or its defaults; nil for an unknown name.
    public static func named(_ name: String, parameters: [String: Double] = [:]) throws -> Problem? {
        switch name {
        case "burgers": return try burgers(viscosity: parameters["viscosity"] ?? 0.01 / Double.pi)
        case "heat": return try heat(diffusivity: parameters["diffusivity"] ?? 0.1)
        case "poisson-l-shape": return try poissonLShape()
        case "helmholtz": return try helmholtz(waves: parameters["waves"] ?? 2)
        case "allen-cahn": return try allenCahn()
        case "kuramoto-sivashinsky": return try kuramotoSivashinsky()
        case "heat-inverse": return try heatInverse(truth: parameters["diffusivity"] ?? 0.1)
        default: return nil
        }
    }

    /// Burgers' equation `u_t + u u_x = ν u_xx` on `[−1, 1] × [0, 1]`, `u(x, 0) = −sin πx`, walls
    /// `u(±1, t) = 0`, ν = 0.01/π (Raissi et al. 2019); reference by the Cole–Hopf formula.
    public static func burgers(viscosity nu: Double = 0.01 / Double.pi) throws -> Problem {
        let exact = BurgersExact(viscosity: nu)
        return Problem(name: "burgers", domain: try SpaceTime(Interval(-1, 1), time: 0...1),
                       residual: { u in u.t + u.value * u.x - nu * u.xx },
                       conditions: [.dirichlet("walls") { _ in 0 }, .initial { p in -sin(Double.pi * p[0]) }],
                       reference: { exact($0) }, evaluationGrid: [256, 100])
    }

    /// The heat equation `u_t = κ u_xx` on `[0, 1] × [0, 1]` with `u(x, 0) = sin πx + ½ sin 3πx` and
    /// `u(0, t) = u(1, t) = 0`: `u = e^{−κπ²t} sin πx + ½ e^{−9κπ²t} sin 3πx`.
    public static func heat(diffusivity kappa: Double = 0.1) throws -> Problem {
        Problem(name: "heat", domain: try SpaceTime(Interval(0, 1), time: 0...1),
                residual: { u in u.t - kappa * u.xx },
                conditions: [.dirichlet("walls") { _ in 0 }, .initial { p in heatExact(p[0], 0, kappa) }],
                reference: { points in pointwise(points) { heatExact($0[0], $0[1], kappa) } }, evaluationGrid: [101, 101])
    }

    static func heatExact(_ x: Double, _ t: Double, _ kappa: Double) -> Double {
        exp(-kappa * .pi * .pi * t) * sin(.pi * x) + 0.5 * exp(-9 * kappa * .pi * .pi * t) * sin(3 * .pi * x)
    }

    /// The inverse heat problem: κ unknown (starting at 0.05), recovered from 200 observations of the
    /// exact solution for κ = 0.1 with 1% Gaussian noise, plus the initial and wall conditions.
    public static func heatInverse(truth kappa: Double = 0.1, noise: Double = 0.01, observations: Int = 200,
                                   key: PRNGKey = PRNGKey(seed: 2024)) throws -> Problem {
        let domain = try SpaceTime(Interval(0, 1), time: 0...1)
        let points = try domain.interiorPoints(observations, sampler: .halton, key: key)
        let eps = Vec.normals(key.foldIn(1), observations)
        let values = zip(points, eps).map { p, e in heatExact(p[0], p[1], kappa) * (1 + noise * e) }
        var problem = Problem(name: "heat-inverse", domain: domain,
                              residual: { u in u.t - u.coefficient("kappa") * u.xx },
                              conditions: [.dirichlet("walls") { _ in 0 }, .initial { p in heatExact(p[0], 0, kappa) },
                                           .observations(points: points, values: values)],
                              coefficients: ["kappa": 0.05], evaluationGrid: [101, 101])
        problem.reference = { points in pointwise(points) { heatExact($0[0], $0[1], kappa) } }
        return problem
    }

    /// Poisson's equation `−Δu = 1` on the L-shaped domain `[−1, 1]² \ [0, 1]²` with `u = 0` on the
    /// boundary (DeepXDE's example); reference by finite differences (h = 1/256, conjugate gradients),
    /// read off by bilinear interpolation. The solution is singular at the re-entrant corner (like
    /// r^(2/3)), which slows the difference scheme's convergence: on the evaluation grid h = 1/256 is
    /// within 1.3e-4 (relative L2) of h = 1/512, and h = 1/128 was 4.7e-4 away, half of a 1e-3 target.
    public static func poissonLShape(spacing: Double = 1.0 / 256) throws -> Problem {
        let domain = try Polygon(vertices: [[-1, -1], [1, -1], [1, 0], [0, 0], [0, 1], [-1, 1]])
        let cache = ReferenceCache { () throws -> (x: [Double], y: [Double], u: [Double]) in
            try FiniteDifference.poisson(on: domain, spacing: spacing, source: { _, _ in 1 }, boundary: { _, _ in 0 })
        }
        return Problem(name: "poisson-l-shape", domain: domain, residual: { u in u.laplacian + 1 },
                       conditions: [.dirichlet("boundary") { _ in 0 }],
                       reference: { points in
                           let grid = cache.value
                           return pointwise(points) { bilinear(grid, $0[0], $0[1]) }
                       }, evaluationGrid: [101, 101])
    }

    /// Helmholtz `−Δu − k²u = f` on `[0, 1]²` with `u = 0` on the boundary, `k = 4π`,
    /// `f = k² sin kx sin ky` (DeepXDE's example): `u = sin kx sin ky`.
    public static func helmholtz(waves n: Double = 2) throws -> Problem {
        let k = 2 * Double.pi * n
        return Problem(name: "helmholtz", domain: try Rectangle(x: 0...1, y: 0...1),
                       residual: { u in -u.laplacian - k * k * u.value - k * k * sin(k * u.coordinate(0)) * sin(k * u.coordinate(1)) },
                       conditions: [.dirichlet("boundary") { _ in 0 }],
                       reference: { points in pointwise(points) { sin(k * $0[0]) * sin(k * $0[1]) } }, evaluationGrid: [101, 101])
    }

    /// Allen–Cahn `u_t − 10⁻⁴ u_xx + 5u³ − 5u = 0` on `[−1, 1] × [0, 1]`, `u(x, 0) = x² cos πx`,
    /// periodic in x (Raissi et al.); reference by the Fourier–ETDRK4 solver (512 modes, h = 10⁻⁴),
    /// evaluated by spectral interpolation.
    public static func allenCahn() throws -> Problem {
        let solver = SpectralETDRK4.allenCahn()
        return Problem(name: "allen-cahn", domain: try SpaceTime(Interval(-1, 1), time: 0...1),
                       residual: { u in u.t - 1e-4 * u.xx + 5 * u.value * u.value * u.value - 5 * u.value },
                       conditions: [.periodic(axis: 0, derivatives: 1), .initial { p in p[0] * p[0] * cos(.pi * p[0]) }],
                       reference: { points in
                           solver.reference(at: points, step: 1e-4) { x in x * x * cos(Double.pi * x) }
                       }, evaluationGrid: [256, 101])
    }

    /// Kuramoto–Sivashinsky `u_t + α u u_x + β u_xx + γ u_xxxx = 0` on `[0, 2π] × [0, 0.5]`, periodic,
    /// `u(x, 0) = cos x (1 + sin x)`, α = 100/16, β = 100/16², γ = 100/16⁴ (the PirateNet setup);
    /// reference by the Fourier–ETDRK4 solver.
    public static func kuramotoSivashinsky() throws -> Problem {
        let (a, b, g) = (100.0 / 16, 100.0 / 256, 100.0 / 65_536)
        let solver = SpectralETDRK4.kuramotoSivashinsky(points: 256, length: 2 * .pi, alpha: a, beta: b, gamma: g)
        return Problem(name: "kuramoto-sivashinsky", domain: try SpaceTime(Interval(0, 2 * .pi), time: 0...0.5),
                       residual: { u in u.t + a * u.value * u.x + b * u.xx + g * u.xxxx },
                       conditions: [.periodic(axis: 0, derivatives: 3), .initial { p in cos(p[0]) * (1 + sin(p[0])) }],
                       reference: { points in solver.reference(at: points, step: 1e-4) { x in cos(x) * (1 + sin(x)) } },
                       evaluationGrid: [256, 51])
    }
}

extension Problem {
    /// The problem with its initial and wall conditions satisfied exactly by an output transform,
    /// where a shipped problem allows it (Burgers, heat, Helmholtz, the L-shape; the initial condition of
    /// Allen–Cahn and Kuramoto–Sivashinsky), and those loss terms removed; otherwise unchanged. The
    /// L-shape's transform also carries the corner's singular function, its coefficient `corner`
    /// trained with the network.
    public func withHardConstraints() throws -> Problem {
        var p = self
        let timeIndex = domain.dimension - 1
        switch name {
        case "burgers":
            p.hardConstraint = .initialValueAndZeroWalls(try Interval(-1, 1), timeIndex: timeIndex) { z in -sin(Double.pi * z[0]) }
        case "heat", "heat-inverse":
            p.hardConstraint = .initialValueAndZeroWalls(try Interval(0, 1), timeIndex: timeIndex) { z in
                sin(Double.pi * z[0]) + 0.5 * sin(3 * Double.pi * z[0])
            }
            // The initial data is that of κ = 0.1's solution at t = 0, which does not depend on κ.
        case "helmholtz":
            p.hardConstraint = .zeroOnBox(try Rectangle(x: 0...1, y: 0...1))
        case "poisson-l-shape":
            guard let polygon = domain as? Polygon else { return self }
            // The corner at the origin, edges leaving it along +y and +x: the singular term's
            // coefficient is trained with the network.
            p.hardConstraint = .zeroOnPolygon(polygon, reentrantCorner: [0, 0], first: [0, 1], coefficient: "corner")
            p.coefficients["corner"] = 0
        case "allen-cahn":
            p.hardConstraint = .initialValue(timeIndex: timeIndex) { z in z[0] * z[0] * cos(Double.pi * z[0]) }
        case "kuramoto-sivashinsky":
            p.hardConstraint = .initialValue(timeIndex: timeIndex) { z in cos(z[0]) * (1 + sin(z[0])) }
        default:
            return self
        }
        let exact: Set<String> = ["helmholtz", "poisson-l-shape"].contains(name) ? ["boundary"] : (["allen-cahn", "kuramoto-sivashinsky"].contains(name) ? ["initial"] : ["walls", "initial"])
        p.conditions.removeAll { exact.contains($0.name) }
        return p
    }
}

/// A value computed once, on first use (the finite-difference references).
final class ReferenceCache<Value>: @unchecked Sendable {
    private let make: () throws -> Value
    private var stored: Value?
    private let lock = NSLock()
    init(_ make: @escaping () throws -> Value) { self.make = make }
    var value: Value {
        lock.lock(); defer { lock.unlock() }
        if let stored { return stored }
        let v = try! make()
        stored = v
        return v
    }
}

/// A function of one point applied to every row of `[n, d]`.
func pointwise(_ points: Tensor, _ f: ([Double]) -> Double) -> Tensor {
    let d = points.shape[1], p = points.doubles
    return Tensor((0..<points.shape[0]).map { f(Array(p[($0 * d)..<(($0 + 1) * d)])) })
}

/// Bilinear interpolation on a grid `u[i * ny + j]` at (x, y).
func bilinear(_ grid: (x: [Double], y: [Double], u: [Double]), _ x: Double, _ y: Double) -> Double {
    let (xs, ys, u) = grid
    let hx = xs[1] - xs[0], hy = ys[1] - ys[0]
    let i = Swift.min(Swift.max(Int((x - xs[0]) / hx), 0), xs.count - 2)
    let j = Swift.min(Swift.max(Int((y - ys[0]) / hy), 0), ys.count - 2)
    let s = (x - xs[i]) / hx, t = (y - ys[j]) / hy
    // Nodes outside the domain are NaN; a corner there contributes 0 (its weight is 0 on the boundary).
    func at(_ a: Int, _ b: Int) -> Double { let v = u[a * ys.count + b]; return v.isNaN ? 0 : v }
    return (1 - s) * (1 - t) * at(i, j) + s * (1 - t) * at(i + 1, j) + (1 - s) * t * at(i, j + 1) + s * t * at(i + 1, j + 1)
}
