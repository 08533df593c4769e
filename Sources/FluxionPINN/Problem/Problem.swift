import Fluxion
import FluxionNN

/// A PDE problem for a physics-informed network: a domain, a residual written with the derivatives
/// of the field, conditions, trainable coefficients (inverse problems), an optional exact
/// transform, and an optional reference solution to measure the error against.
///
/// ```swift
/// let nu = 0.01 / Double.pi
/// let problem = Problem(name: "burgers", domain: try SpaceTime(Interval(-1, 1), time: 0...1),
///                       residual: { u in u.t + u.value * u.x - nu * u.xx },
///                       conditions: [.dirichlet { _ in 0 }, .initial { p in -sin(.pi * p[0]) }])
/// ```
public struct Problem: Sendable {
    public var name: String
    public var domain: any Geometry
    /// The PDE residual at one point (zero for the exact solution): a scalar, or a vector for a system.
    public var residual: @Sendable (FieldPoint) -> Tensor
    public var conditions: [Condition]
    /// Trainable coefficients and their starting values; the residual reads them with
    /// `u.coefficient(name)`, and they are trained with the network.
    public var coefficients: [String: Double]
    /// An output transform that satisfies some conditions exactly.
    public var hardConstraint: HardConstraint?
    /// The exact or reference solution at points `[n, dimension]`, `[n]`.
    public var reference: (@Sendable (Tensor) -> Tensor)?
    /// The grid the solution is evaluated and written on: points per coordinate of the domain's bounds.
    public var evaluationGrid: [Int]

    public init(name: String, domain: any Geometry, residual: @escaping @Sendable (FieldPoint) -> Tensor,
                conditions: [Condition] = [], coefficients: [String: Double] = [:], hardConstraint: HardConstraint? = nil,
                reference: (@Sendable (Tensor) -> Tensor)? = nil, evaluationGrid: [Int]? = nil) {
        self.name = name
        self.domain = domain
        self.residual = residual
        self.conditions = conditions
        self.coefficients = coefficients
        self.hardConstraint = hardConstraint
        self.reference = reference
        self.evaluationGrid = evaluationGrid ?? Array(repeating: domain.dimension == 1 ? 256 : (domain.dimension == 2 ? 101 : 21),
                                                      count: domain.dimension)
    }

    /// The time coordinate's index for a ``SpaceTime`` domain.
    public var timeIndex: Int? { domain is SpaceTime ? domain.dimension - 1 : nil }

    /// The field of a network at one point `[dimension]` (a scalar for a one-output network), with
    /// the hard constraint applied (reading the trainable `coefficients`, if it has an enrichment).
    public func field<Net: Layer>(_ network: Net, coefficients: [String: Tensor] = [:]) -> (Tensor) -> Tensor {
        let constraint = hardConstraint
        return { z in
            var out = network(z)
            if out.shape == [1] { out = out.reshaped(to: []) }
            return constraint.map { $0(z, out, coefficients: coefficients) } ?? out
        }
    }

    /// The evaluation grid's points inside the domain, `[n, dimension]`, and the grid's axes.
    public func evaluationPoints() -> (points: Tensor, axes: [[Double]], inside: [Bool]) {
        let (lower, upper) = domain.bounds
        let axes = evaluationGrid.enumerated().map { i, m in
            (0..<m).map { lower[i] + (upper[i] - lower[i]) * Double($0) / Double(Swift.max(m - 1, 1)) }
        }
        var all: [[Double]] = [[]]
        for axis in axes { all = all.flatMap { p in axis.map { p + [$0] } } }
        let inside = all.map(domain.contains)
        return (pointTensor(zip(all, inside).filter(\.1).map(\.0), dimension: domain.dimension), axes, inside)
    }

    /// Checks what can be checked before training: unique condition names, conditions that fit the
    /// domain.
    public func validate() throws(GeometryError) {
        var names: Set<String> = ["residual"]
        for c in conditions {
            guard names.insert(c.name).inserted else { throw .invalid("problem \(name): two terms named \"\(c.name)\"") }
            switch c.kind {
            case .initial where timeIndex == nil:
                throw .invalid("problem \(name): condition \"\(c.name)\" is initial but the domain has no time")
            case let .periodic(axis, _) where axis < 0 || axis >= domain.dimension:
                throw .invalid("problem \(name): periodic axis \(axis) outside 0..<\(domain.dimension)")
            case let .observations(points, values):
                guard points.count == values.count, points.allSatisfy({ $0.count == domain.dimension }) else {
                    throw .invalid("problem \(name): observations need one value per point of \(domain.dimension) coordinates")
                }
            default: break
            }
        }
    }
}

/// What a PINN trains: the network and the problem's trainable coefficients.
public struct PINNParameters<Net: Layer>: TensorTree {
    public var network: Net
    public var coefficients: [String: Tensor]

    public init(network: Net, coefficients: [String: Tensor]) {
        self.network = network
        self.coefficients = coefficients
    }
}
