import Fluxion

/// An output transform that satisfies a condition exactly: the solution is
/// `u(z) = g(z) + φ(z) · N(z)` with `N` the network, `φ` vanishing where the condition holds and
/// `g` taking the condition's values there. Conditions enforced this way need no loss term.
///
/// ```swift
/// // Burgers: u(x, 0) = −sin πx and u(±1, t) = 0 hold exactly.
/// let exact = HardConstraint { z in -sin(.pi * z[0]) } vanishing: { z in z[1] * (1 - z[0] * z[0]) }
/// ```
public struct HardConstraint: Sendable {
    public let value: @Sendable (Tensor) -> Tensor
    public let distance: @Sendable (Tensor) -> Tensor
    /// What the constraint leaves in a later time window (``PINNOptions/timeWindows``), where the
    /// initial values come from the window before as a loss term: the constraint unchanged when it
    /// does not fix the initial value (`.unchanged`), only its zero-wall part, or nothing.
    public var laterWindows: LaterWindows = .unchanged

    /// See ``laterWindows``.
    public enum LaterWindows: Sendable {
        case unchanged
        /// ``zeroOnBox(_:axes:)`` of the box: zero on the walls, the initial value left to a loss term.
        case zeroWalls(Box)
        case none
    }

    /// `u = g + φ N`; `g` and `φ` take one point `[dimension]` and return a scalar.
    public init(_ g: @escaping @Sendable (Tensor) -> Tensor, vanishing phi: @escaping @Sendable (Tensor) -> Tensor) {
        value = g
        distance = phi
    }

    /// The constraint as it applies in a time window after the first (see ``laterWindows``).
    public var inLaterWindows: HardConstraint? {
        switch laterWindows {
        case .unchanged: return self
        case let .zeroWalls(box): return .zeroOnBox(box)
        case .none: return nil
        }
    }

    /// A known singular part added to the field, scaled by trainable coefficients of the problem:
    /// `u = g + e(z, coefficients) + φ N` (see ``zeroOnPolygon(_:reentrantCorner:first:coefficient:radius:)``).
    /// It must satisfy the constraint's condition by itself.
    public var enrichment: (@Sendable (Tensor, [String: Tensor]) -> Tensor)?

    /// Applies the transform to the network's output at one point.
    public func callAsFunction(_ z: Tensor, _ network: Tensor, coefficients: [String: Tensor] = [:]) -> Tensor {
        let u = value(z) + distance(z) * network
        return enrichment.map { u + $0(z, coefficients) } ?? u
    }

    /// `u = 0` on every face of a box (the coordinates `axes` of it): `φ = Πᵢ (zᵢ − aᵢ)(bᵢ − zᵢ)`,
    /// scaled to 1 at the center.
    public static func zeroOnBox(_ box: Box, axes: [Int]? = nil) -> HardConstraint {
        let axes = axes ?? Array(0..<box.dimension)
        let (lower, upper) = (box.lower, box.upper)
        return HardConstraint({ z in Tensor.zeros([], dtype: z.dtype) }, vanishing: { z in
            axes.map { i in (z[i] - lower[i]) * (upper[i] - z[i]) * (4 / ((upper[i] - lower[i]) * (upper[i] - lower[i]))) }
                .reduce(Tensor.ones([], dtype: z.dtype), *)
        })
    }

    /// `u = 0` on the whole boundary of a polygon, through an approximate distance function
    /// (Sukumar and Srivastava 2022): for each edge of length L and midpoint c, with `f` the signed
    /// distance to its line and `t = ((L/2)² − |x − c|²)/L`, `φᵢ = √(f² + ((√(t² + f⁴) − t)/2)²)`
    /// vanishes on the edge only and is the distance to it to first order; the edges are joined by
    /// `φ = 1 / Σᵢ 1/φᵢ`, zero on every edge and smooth inside.
    public static func zeroOnPolygon(_ polygon: Polygon) -> HardConstraint {
        let edges = polygon.edges.map { (a: $0.a, b: $0.b) }
        return HardConstraint({ z in Tensor.zeros([], dtype: z.dtype) }, vanishing: { z in
            let (x, y) = (z[0], z[1])
            var inverse = Tensor.zeros([], dtype: z.dtype)
            for (a, b) in edges {
                let length = ((b[0] - a[0]) * (b[0] - a[0]) + (b[1] - a[1]) * (b[1] - a[1])).squareRoot()
                let (cx, cy) = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
                let f = ((x - a[0]) * (b[1] - a[1]) - (y - a[1]) * (b[0] - a[0])) / length
                let t = (length * length / 4 - (x - cx) * (x - cx) - (y - cy) * (y - cy)) / length
                let trim = (sqrt(t * t + f * f * f * f) - t) / 2
                inverse = inverse + 1 / sqrt(f * f + trim * trim)
            }
            return 1 / inverse
        })
    }

    /// `u = 0` on the boundary of a polygon with one re-entrant corner of angle 3π/2 (an L-shape),
    /// where the solution of an elliptic problem is singular like `r^(2/3)`: ``zeroOnPolygon(_:)``
    /// plus `a · r^(2/3) sin(2θ/3) · exp(−(r/ρ)⁴)`, with `(r, θ)` polar coordinates about `corner`,
    /// θ measured inside the domain from the edge `first` (the direction of one edge leaving the
    /// corner; the domain turns counterclockwise from it through 3π/2), `a` the trainable coefficient
    /// named `coefficient` and ρ = `radius`. The singular function is harmonic and vanishes on both
    /// edges at the corner; the cutoff makes it vanish (to e^(−(1/ρ)⁴)) beyond the corner's
    /// neighbourhood, on the other edges. A network times a distance function cannot follow
    /// `r^(2/3)` (it would need `N ~ r^(−1/3)`); with the singular term it only fits the smoother rest.
    public static func zeroOnPolygon(_ polygon: Polygon, reentrantCorner corner: [Double], first: [Double],
                                     coefficient: String, radius: Double = 0.4) -> HardConstraint {
        var constraint = zeroOnPolygon(polygon)
        // ψ: the angle from the bisector of the domain's 3π/2 wedge, in (−π, π], so that atan2's cut
        // lies on the bisector of the missing quadrant, outside the domain; θ = ψ + 3π/4.
        let norm = (first[0] * first[0] + first[1] * first[1]).squareRoot()
        let (ex, ey) = (first[0] / norm, first[1] / norm)
        // (ex, ey) turned by 3π/4: cos(3π/4) = −√½, sin(3π/4) = √½.
        let h = 0.5.squareRoot()
        let (bx, by): (Double, Double) = (-h * ex - h * ey, h * ex - h * ey)
        constraint.enrichment = { z, coefficients in
            let (x, y) = (z[0] - corner[0], z[1] - corner[1])
            let r2 = x * x + y * y
            let psi = atan2(bx * y - by * x, bx * x + by * y)
            // r^(2/3) sin(2θ/3) = r^(2/3) sin(2ψ/3 + π/2) = r^(2/3) cos(2ψ/3); (r/ρ)⁴ = (r²/ρ²)².
            let singular = pow(r2, 1.0 / 3) * cos(psi * (2.0 / 3)) * exp(-(r2 * r2) / (radius * radius * radius * radius))
            return coefficients[coefficient].map { $0 * singular } ?? Tensor.zeros([], dtype: z.dtype)
        }
        return constraint
    }

    /// `u = u₀(x)` at `t = start` (time the coordinate `timeIndex`): `u = u₀ + (t − start) N`.
    public static func initialValue(start: Double = 0, timeIndex: Int, _ u0: @escaping @Sendable (Tensor) -> Tensor) -> HardConstraint {
        var constraint = HardConstraint(u0, vanishing: { z in z[timeIndex] - start })
        constraint.laterWindows = .none
        return constraint
    }

    /// Both: `u = u₀(x)` at `t = start` and `u = 0` on the faces of `box` (spatial coordinates):
    /// `u = u₀(x) + (t − start) φ_box(x) N`. The initial data must vanish on the faces.
    public static func initialValueAndZeroWalls(_ box: Box, start: Double = 0, timeIndex: Int,
                                                _ u0: @escaping @Sendable (Tensor) -> Tensor) -> HardConstraint {
        let walls = zeroOnBox(box)
        var constraint = HardConstraint(u0, vanishing: { z in (z[timeIndex] - start) * walls.distance(z) })
        constraint.laterWindows = .zeroWalls(box)
        return constraint
    }
}
