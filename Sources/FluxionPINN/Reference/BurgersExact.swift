import Fluxion
import Foundation

/// The exact solution of the viscous Burgers equation `u_t + u u_x = ν u_xx` with `u(x, 0) = −sin πx`,
/// by the Cole–Hopf transform (Basdevant et al. 1986):
///
///     u(x, t) = −∫ sin π(x−η) f(x−η) G(η) dη / ∫ f(x−η) G(η) dη,
///     f(y) = exp(−cos(πy) / (2πν)),   G(η) = exp(−η² / (4νt)).
///
/// With `η = 2√(νt) s` both integrals carry the weight `exp(−s²)`; they are computed by the
/// trapezoidal rule on `s ∈ [−S, S]`, which converges exponentially for such integrands. The
/// exponents (which span ±1/(πν) ≈ ±100 for ν = 0.01/π) are shifted by their maximum before
/// exponentiating, so nothing overflows. Walls at x = ±1 hold u = 0 by symmetry of the data.
public struct BurgersExact: Sendable {
    public var viscosity: Double
    /// Trapezoidal nodes in s.
    public var nodes: Int
    /// The half-width S of the s range: the weight times the largest ratio of f is below 1e-17 beyond it.
    public var halfWidth: Double

    public init(viscosity: Double = 0.01 / Double.pi, nodes: Int = 4001) {
        self.viscosity = viscosity
        self.nodes = nodes
        halfWidth = (1 / (Double.pi * viscosity) + 40).squareRoot()
    }

    /// u at each (x, t) of `points` (`[n, 2]`).
    public func callAsFunction(_ points: Tensor) -> Tensor {
        let n = points.shape[0]
        let p = points.doubles
        var result = [Double](repeating: 0, count: n)
        let s = Tensor.linspace(-halfWidth, halfWidth, count: nodes).reshaped(to: [1, nodes])
        let chunk = 512
        var start = 0
        while start < n {
            let end = Swift.min(n, start + chunk)
            let rows = (start..<end)
            let x = Tensor(rows.map { p[2 * $0] }, shape: [rows.count, 1])
            let t = Tensor(rows.map { Swift.max(p[2 * $0 + 1], 0) }, shape: [rows.count, 1])
            let eta = 2 * sqrt(viscosity * t) * s                                 // [rows, nodes]
            let y = Double.pi * (x - eta)
            let exponent = -cos(y) / (2 * Double.pi * viscosity) - s * s
            let w = exp(exponent - exponent.max(alongAxes: [1], keepingDims: true))
            let u = -(sin(y) * w).sum(alongAxes: [1]) / w.sum(alongAxes: [1])
            let values = u.doubles
            for (i, r) in rows.enumerated() { result[r] = p[2 * r + 1] <= 0 ? -sin(Double.pi * p[2 * r]) : values[i] }
            start = end
        }
        return Tensor(result, shape: [n])
    }
}
