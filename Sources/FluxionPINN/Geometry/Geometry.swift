import Fluxion

/// A domain in space: what a PINN samples its collocation points from and its boundary conditions on.
///
/// Points are plain `[Double]` of length ``dimension`` (sampling is not differentiated). Every
/// geometry answers whether a point is inside (boundary included), whether it is on the boundary,
/// the outward unit normal there, and draws boundary points spread by length or area.
public protocol Geometry: Sendable {
    /// The number of coordinates of a point.
    var dimension: Int { get }
    /// A box holding the whole domain: per coordinate, the lowest and highest value.
    var bounds: (lower: [Double], upper: [Double]) { get }
    /// True for points inside the domain or on its boundary.
    func contains(_ point: [Double]) -> Bool
    /// True for points within `tolerance` of the boundary (and inside, up to `tolerance`).
    func isOnBoundary(_ point: [Double], tolerance: Double) -> Bool
    /// The outward unit normal at a point of the boundary.
    func normal(at point: [Double]) -> [Double]
    /// The size of the boundary: a count of end points in 1-D, a length in 2-D, an area in 3-D.
    var boundaryMeasure: Double { get }
    /// `count` points on the boundary, spread uniformly by ``boundaryMeasure``, drawn from `key`.
    func boundaryPoints(_ count: Int, key: PRNGKey) -> [[Double]]
}

/// The tolerance for "on the boundary" used when none is given: relative to the domain's size.
public let defaultBoundaryTolerance = 1e-9

extension Geometry {
    /// Whether a point is on the boundary, with ``defaultBoundaryTolerance`` times the domain's size.
    public func isOnBoundary(_ point: [Double]) -> Bool {
        isOnBoundary(point, tolerance: defaultBoundaryTolerance * scale)
    }

    /// True for points inside and not on the boundary.
    public func isInterior(_ point: [Double]) -> Bool { contains(point) && !isOnBoundary(point) }

    /// The largest side of the bounding box.
    public var scale: Double {
        let (lo, hi) = bounds
        return zip(lo, hi).map { $1 - $0 }.max() ?? 1
    }

    /// The union `self ∪ other`.
    public func union(_ other: any Geometry) -> CSG { CSG(.union, self, other) }
    /// The intersection `self ∩ other`.
    public func intersection(_ other: any Geometry) -> CSG { CSG(.intersection, self, other) }
    /// The difference `self \ other`.
    public func subtracting(_ other: any Geometry) -> CSG { CSG(.difference, self, other) }
}

/// An error in a geometry's definition or its sampling.
public enum GeometryError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    /// Rejection sampling found too few points: the domain is empty or a tiny part of its bounds.
    case tooFewPoints(wanted: Int, found: Int, tries: Int)

    public var description: String {
        switch self {
        case let .invalid(message): return message
        case let .tooFewPoints(wanted, found, tries):
            return "sampling found \(found) of \(wanted) points inside the domain in \(tries) tries: is the domain empty?"
        }
    }
}

/// Helpers on plain vectors.
enum Vec {
    static func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    static func normalized(_ v: [Double]) -> [Double] {
        let n = norm(v)
        return n > 0 ? v.map { $0 / n } : v
    }
    /// `count` uniform numbers in [0, 1) from `key`.
    static func uniforms(_ key: PRNGKey, _ count: Int) -> [Double] {
        count == 0 ? [] : Random.uniform(key, shape: [count]).doubles
    }
    /// `count` standard normal numbers from `key`.
    static func normals(_ key: PRNGKey, _ count: Int) -> [Double] {
        count == 0 ? [] : Random.normal(key, shape: [count]).doubles
    }
}
