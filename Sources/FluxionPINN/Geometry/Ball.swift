import Fluxion
import Foundation

/// A ball `|x − center| ≤ radius` in any dimension: a disk in 2-D (``Disk(center:radius:)``).
public struct Ball: Geometry {
    public let center: [Double]
    public let radius: Double

    public init(center: [Double], radius: Double) throws(GeometryError) {
        guard !center.isEmpty, center.allSatisfy(\.isFinite), radius.isFinite, radius > 0 else {
            throw .invalid("Ball: needs a finite center and a positive radius, got \(center) and \(radius)")
        }
        self.center = center
        self.radius = radius
    }

    public var dimension: Int { center.count }
    public var bounds: (lower: [Double], upper: [Double]) { (center.map { $0 - radius }, center.map { $0 + radius }) }

    func distanceFromCenter(_ p: [Double]) -> Double { Vec.norm(zip(p, center).map { $0 - $1 }) }

    public func contains(_ p: [Double]) -> Bool { distanceFromCenter(p) <= radius }

    public func isOnBoundary(_ p: [Double], tolerance: Double) -> Bool {
        Swift.abs(distanceFromCenter(p) - radius) <= tolerance
    }

    public func normal(at p: [Double]) -> [Double] { Vec.normalized(zip(p, center).map { $0 - $1 }) }

    /// The sphere's area `2 π^{d/2} r^{d−1} / Γ(d/2)`: 2 in 1-D, `2πr` in 2-D, `4πr²` in 3-D.
    public var boundaryMeasure: Double {
        let d = Double(dimension)
        return 2 * pow(Double.pi, d / 2) * pow(radius, d - 1) / tgamma(d / 2)
    }

    /// Uniform on the sphere: normalized Gaussian vectors.
    public func boundaryPoints(_ count: Int, key: PRNGKey) -> [[Double]] {
        let g = Vec.normals(key, count * dimension)
        return (0..<count).map { k in
            let v = Vec.normalized(Array(g[(k * dimension)..<((k + 1) * dimension)]))
            return zip(center, v).map { $0 + radius * $1 }
        }
    }
}

/// A disk: a ``Ball`` in two dimensions, `Disk(center: [0, 0], radius: 1)`.
public typealias Disk = Ball
