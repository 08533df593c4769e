import ComplexModule
import Fluxion
import Foundation

/// A Fourier spectral solver for periodic 1-D problems `u_t = L u + N(u)` with a diagonal linear
/// part, stepped by the fourth-order exponential time-differencing Runge–Kutta scheme ETDRK4 of Cox
/// and Matthews, its coefficients computed by Kassam and Trefethen's contour integrals (32 points on
/// a unit circle around each `hL`), which avoids the cancellation of the direct formulas for small
/// `hL`. The stiff linear part is integrated exactly; the error is O(h⁴) in the nonlinear part.
public struct SpectralETDRK4: Sendable {
    /// Grid points on `[start, start + length)`.
    public let points: Int
    public let start: Double
    public let length: Double
    /// The linear operator's symbol at each wavenumber of `rfft` (length points/2 + 1).
    public let linear: @Sendable (_ k: Double) -> Double
    /// The nonlinear term in Fourier space, given the solution's coefficients `v̂`, the wavenumbers
    /// and the solver (for `physical`/`spectral`).
    public let nonlinear: @Sendable (_ v: Tensor, _ k: Tensor, _ solver: SpectralETDRK4) -> Tensor

    public init(points: Int, start: Double, length: Double, linear: @escaping @Sendable (Double) -> Double,
                nonlinear: @escaping @Sendable (Tensor, Tensor, SpectralETDRK4) -> Tensor) {
        precondition(points >= 4 && points % 2 == 0, "SpectralETDRK4: needs an even number of points ≥ 4, got \(points)")
        self.points = points
        self.start = start
        self.length = length
        self.linear = linear
        self.nonlinear = nonlinear
    }

    /// The grid `start + j·length/points`.
    public var grid: Tensor { start + Tensor.arange(0, Double(points)) * (length / Double(points)) }
    /// The wavenumbers `2πj/length` of `rfft`.
    public var wavenumbers: Tensor { FFT.rfftfreq(points, d: length / Double(points)) * (2 * Double.pi) }

    public func spectral(_ u: Tensor) -> Tensor { FFT.rfft(u) }
    public func physical(_ v: Tensor) -> Tensor { FFT.irfft(v, n: points) }

    /// The solution at `times` (ascending, from 0), from `u0` on ``grid``, with time step `h`:
    /// `[times.count, points]`.
    public func solve(_ u0: Tensor, times: [Double], step h: Double) -> Tensor {
        let k = wavenumbers
        let ks = k.doubles
        var e = [Double](), e2 = [Double](), q = [Double](), f1 = [Double](), f2 = [Double](), f3 = [Double]()
        let m = 32
        for kj in ks {
            let l = h * linear(kj)
            var sums = [Double](repeating: 0, count: 4)
            for j in 1...m {
                let r = Complex<Double>(length: 1, phase: Double.pi * (Double(j) - 0.5) / Double(m))
                let z = Complex<Double>(l, 0) + r
                let ez = Complex.exp(z), ez2 = Complex.exp(z / 2)
                let z3 = z * z * z
                sums[0] += ((ez2 - 1) / z).real
                sums[1] += ((-4 - z + ez * (4 - 3 * z + z * z)) / z3).real
                sums[2] += ((2 + z + ez * (z - 2)) / z3).real
                sums[3] += ((-4 - 3 * z - z * z + ez * (4 - z)) / z3).real
            }
            e.append(Foundation.exp(l)); e2.append(Foundation.exp(l / 2))
            q.append(h * sums[0] / Double(m)); f1.append(h * sums[1] / Double(m))
            f2.append(h * sums[2] / Double(m)); f3.append(h * sums[3] / Double(m))
        }
        let (E, E2, Q, F1, F2, F3) = (Tensor(e), Tensor(e2), Tensor(q), Tensor(f1), Tensor(f2), Tensor(f3))
        var v = spectral(u0)
        var rows: [Tensor] = [], t = 0.0
        for target in times {
            // Whole steps of h, then one shorter step onto the output time.
            while t < target - 1e-12 {
                let dt = Swift.min(h, target - t)
                if dt < h * (1 - 1e-12) {
                    let sub = SpectralETDRK4(points: points, start: start, length: length, linear: linear, nonlinear: nonlinear)
                    v = sub.spectral(sub.solve(physical(v), times: [dt], step: dt)[0])
                } else {
                    let nv = nonlinear(v, k, self)
                    let a = E2 * v + Q * nv, na = nonlinear(a, k, self)
                    let b = E2 * v + Q * na, nb = nonlinear(b, k, self)
                    let c = E2 * a + Q * (2 * nb - nv), nc = nonlinear(c, k, self)
                    v = E * v + nv * F1 + 2 * (na + nb) * F2 + nc * F3
                }
                t += dt
            }
            rows.append(physical(v))
        }
        return Tensor.stack(rows)
    }

    /// Allen–Cahn `u_t = ε u_xx + 5u − 5u³` on `[−1, 1)` (ε = 1e-4 in Raissi et al.).
    public static func allenCahn(points: Int = 512, diffusion: Double = 1e-4) -> SpectralETDRK4 {
        SpectralETDRK4(points: points, start: -1, length: 2, linear: { k in -diffusion * k * k }) { v, _, s in
            let u = s.physical(v)
            return s.spectral(5 * u - 5 * u * u * u)
        }
    }

    /// Kuramoto–Sivashinsky `u_t + α u u_x + β u_xx + γ u_xxxx = 0` on `[start, start + length)`:
    /// `L = βk² − γk⁴`, `N̂ = −(α i k / 2) (u²)^`.
    public static func kuramotoSivashinsky(points: Int = 256, start: Double = 0, length: Double, alpha: Double = 1,
                                           beta: Double = 1, gamma: Double = 1) -> SpectralETDRK4 {
        SpectralETDRK4(points: points, start: start, length: length, linear: { k in beta * k * k - gamma * k * k * k * k }) { v, k, s in
            let u = s.physical(v)
            let w = s.spectral(u * u)
            // −(α i k / 2) ŵ: (re, im) → (αk im / 2, −αk re / 2)
            return complex(0.5 * alpha * k * imag(w), -0.5 * alpha * k * real(w))
        }
    }

    /// The solution at arbitrary points `[n, 2]` of (x, t), from `u0`: solved to every distinct time,
    /// then evaluated in x by the trigonometric interpolant (exact between grid points, unlike a
    /// polynomial interpolation, which would blur thin fronts).
    public func reference(at locations: Tensor, step h: Double, _ u0: (Double) -> Double) -> Tensor {
        let n = locations.shape[0], p = locations.doubles
        let times = Array(Set((0..<n).map { p[2 * $0 + 1] })).sorted()
        let u = solve(Tensor(grid.doubles.map(u0)), times: times, step: h)
        let index = Dictionary(uniqueKeysWithValues: times.enumerated().map { ($1, $0) })
        let coefficients = spectral(u)                                    // [times, m]
        let m = points / 2 + 1
        // u(x) = Re Σ_k c_k w_k e^{i k (x − start)} / N with w = 1 for k = 0 and Nyquist, else 2.
        var weights = [Double](repeating: 2, count: m); weights[0] = 1; weights[m - 1] = 1
        let re = (real(coefficients) * Tensor(weights) / Double(points)).doubles
        let im = (imag(coefficients) * Tensor(weights) / Double(points)).doubles
        let k = wavenumbers.doubles
        var result = [Double](repeating: 0, count: n)
        for r in 0..<n {
            let row = index[p[2 * r + 1]]!, x = p[2 * r] - start
            var sum = 0.0
            for j in 0..<m {
                let c: Double = re[row * m + j] * Foundation.cos(k[j] * x)
                sum += c - im[row * m + j] * Foundation.sin(k[j] * x)
            }
            result[r] = sum
        }
        return Tensor(result)
    }
}
