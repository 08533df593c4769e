import Fluxion

/// A spatial domain times a time interval, `space × [start, end]`, the domain of an evolution
/// problem; time is the last coordinate of a point. Its ``boundaryPoints(_:key:)`` are on the lateral
/// boundary (the spatial boundary at all times), where boundary conditions apply;
/// ``initialPoints(_:sampler:key:)`` are at `t = start`.
public struct SpaceTime: Geometry {
    public let space: any Geometry
    public let start: Double
    public let end: Double

    public init(_ space: any Geometry, time: ClosedRange<Double>) throws(GeometryError) {
        guard time.lowerBound.isFinite, time.upperBound.isFinite, time.lowerBound < time.upperBound else {
            throw .invalid("SpaceTime: needs a time interval start < end, got \(time)")
        }
        self.space = space
        start = time.lowerBound
        end = time.upperBound
    }

    public var dimension: Int { space.dimension + 1 }
    public var bounds: (lower: [Double], upper: [Double]) { (space.bounds.lower + [start], space.bounds.upper + [end]) }

    public func contains(_ p: [Double]) -> Bool { p[dimension - 1] >= start && p[dimension - 1] <= end && space.contains(Array(p.dropLast())) }

    public func isOnBoundary(_ p: [Double], tolerance: Double) -> Bool {
        p[dimension - 1] >= start - tolerance && p[dimension - 1] <= end + tolerance
            && space.isOnBoundary(Array(p.dropLast()), tolerance: tolerance)
    }

    public func normal(at p: [Double]) -> [Double] { space.normal(at: Array(p.dropLast())) + [0] }

    public var boundaryMeasure: Double { space.boundaryMeasure * (end - start) }

    public func boundaryPoints(_ count: Int, key: PRNGKey) -> [[Double]] {
        let ts = Vec.uniforms(key.foldIn(1), count)
        return zip(space.boundaryPoints(count, key: key.foldIn(0)), ts).map { $0 + [start + (end - start) * $1] }
    }

    /// `count` points of the domain at the initial time.
    public func initialPoints(_ count: Int, sampler: Sampler = .uniform, key: PRNGKey) throws -> [[Double]] {
        try space.interiorPoints(count, sampler: sampler, key: key).map { $0 + [start] }
    }
}
