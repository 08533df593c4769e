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

    /// `u = g + φ N`; `g` and `φ` take one point `[dimension]` and return a scalar.
    public init(_ g: @escaping @Sendable (Tensor) -> Tensor, vanishing phi: @escaping @Sendable (Tensor) -> Tensor) {
        value = g
        distance = phi
    }

    /// Applies the transform to the network's output at one point.
    public func callAsFunction(_ z: Tensor, _ network: Tensor) -> Tensor { value(z) + distance(z) * network }

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

    /// `u = u₀(x)` at `t = start` (time the coordinate `timeIndex`): `u = u₀ + (t − start) N`.
    public static func initialValue(start: Double = 0, timeIndex: Int, _ u0: @escaping @Sendable (Tensor) -> Tensor) -> HardConstraint {
        HardConstraint(u0, vanishing: { z in z[timeIndex] - start })
    }

    /// Both: `u = u₀(x)` at `t = start` and `u = 0` on the faces of `box` (spatial coordinates):
    /// `u = u₀(x) + (t − start) φ_box(x) N`. The initial data must vanish on the faces.
    public static func initialValueAndZeroWalls(_ box: Box, start: Double = 0, timeIndex: Int,
                                                _ u0: @escaping @Sendable (Tensor) -> Tensor) -> HardConstraint {
        let walls = zeroOnBox(box)
        return HardConstraint(u0, vanishing: { z in (z[timeIndex] - start) * walls.distance(z) })
    }
}
