import Fluxion

/// A condition on the solution, enforced as a penalty term of the loss: `weight · mean(r²)` over
/// its points.
///
/// ```swift
/// let walls = Condition.dirichlet("walls") { _ in 0 }
/// let start = Condition.initial { x in -sin(.pi * x[0]) }
/// let flux = Condition.neumann("right", where: { p in p[0] == 1 }) { _ in 0 }
/// ```
public struct Condition: Sendable {
    public enum Kind: Sendable {
        /// `u = g` on the boundary.
        case dirichlet
        /// `∂u/∂n = g` on the boundary (outward normal).
        case neumann
        /// `∂u/∂n + α u = g` on the boundary.
        case robin(alpha: Double)
        /// `u` (and its first `derivatives` derivatives along `axis`) equal on the two faces
        /// `axis = lower` and `axis = upper` of the domain's bounds.
        case periodic(axis: Int, derivatives: Int)
        /// `u = g` at the initial time.
        case initial
        /// `u = value` at given points (data, for inverse problems).
        case observations(points: [[Double]], values: [Double])
    }

    public var name: String
    public var kind: Kind
    /// The target `g` at a point (not used by periodic conditions and observations).
    public var target: @Sendable ([Double]) -> Double
    /// Which boundary points the condition holds on (all when nil).
    public var region: (@Sendable ([Double]) -> Bool)?
    public var weight: Double
    /// The number of points drawn for it per batch (observations use their own points).
    public var points: Int

    public init(name: String, kind: Kind, target: @escaping @Sendable ([Double]) -> Double,
                region: (@Sendable ([Double]) -> Bool)? = nil, weight: Double = 1, points: Int = 256) {
        self.name = name
        self.kind = kind
        self.target = target
        self.region = region
        self.weight = weight
        self.points = points
    }

    public static func dirichlet(_ name: String = "dirichlet", where region: (@Sendable ([Double]) -> Bool)? = nil,
                                 weight: Double = 1, points: Int = 256, _ g: @escaping @Sendable ([Double]) -> Double) -> Condition {
        Condition(name: name, kind: .dirichlet, target: g, region: region, weight: weight, points: points)
    }

    public static func neumann(_ name: String = "neumann", where region: (@Sendable ([Double]) -> Bool)? = nil,
                               weight: Double = 1, points: Int = 256, _ g: @escaping @Sendable ([Double]) -> Double) -> Condition {
        Condition(name: name, kind: .neumann, target: g, region: region, weight: weight, points: points)
    }

    public static func robin(_ name: String = "robin", alpha: Double, where region: (@Sendable ([Double]) -> Bool)? = nil,
                             weight: Double = 1, points: Int = 256, _ g: @escaping @Sendable ([Double]) -> Double) -> Condition {
        Condition(name: name, kind: .robin(alpha: alpha), target: g, region: region, weight: weight, points: points)
    }

    public static func periodic(_ name: String = "periodic", axis: Int, derivatives: Int = 1, weight: Double = 1,
                                points: Int = 256) -> Condition {
        Condition(name: name, kind: .periodic(axis: axis, derivatives: derivatives), target: { _ in 0 }, weight: weight, points: points)
    }

    public static func initial(_ name: String = "initial", weight: Double = 1, points: Int = 256,
                               _ u0: @escaping @Sendable ([Double]) -> Double) -> Condition {
        Condition(name: name, kind: .initial, target: u0, weight: weight, points: points)
    }

    public static func observations(_ name: String = "data", points: [[Double]], values: [Double], weight: Double = 1) -> Condition {
        Condition(name: name, kind: .observations(points: points, values: values), target: { _ in 0 }, weight: weight,
                  points: points.count)
    }
}
