import Fluxion

/// A simple polygon in the plane from its vertices, in either orientation (for example the
/// L-shaped domain `[(-1,-1), (1,-1), (1,0), (0,0), (0,1), (-1,1)]`).
public struct Polygon: Geometry {
    public let vertices: [[Double]]
    /// +1 for counter-clockwise vertices, −1 for clockwise: turns edge directions into outward normals.
    let orientation: Double

    public init(vertices: [[Double]]) throws(GeometryError) {
        guard vertices.count >= 3, vertices.allSatisfy({ $0.count == 2 && $0[0].isFinite && $0[1].isFinite }) else {
            throw .invalid("Polygon: needs at least 3 vertices of 2 finite coordinates each")
        }
        var twiceArea = 0.0
        for i in vertices.indices {
            let (a, b) = (vertices[i], vertices[(i + 1) % vertices.count])
            twiceArea += a[0] * b[1] - b[0] * a[1]
        }
        guard Swift.abs(twiceArea) > 0 else { throw .invalid("Polygon: the vertices enclose no area") }
        self.vertices = vertices
        orientation = twiceArea > 0 ? 1 : -1
    }

    public var dimension: Int { 2 }

    public var bounds: (lower: [Double], upper: [Double]) {
        ([vertices.map { $0[0] }.min()!, vertices.map { $0[1] }.min()!],
         [vertices.map { $0[0] }.max()!, vertices.map { $0[1] }.max()!])
    }

    var edges: [(a: [Double], b: [Double])] { vertices.indices.map { (vertices[$0], vertices[($0 + 1) % vertices.count]) } }

    /// The distance from `p` to the segment `ab`.
    static func distance(_ p: [Double], _ a: [Double], _ b: [Double]) -> Double {
        let (dx, dy) = (b[0] - a[0], b[1] - a[1])
        let t = Swift.max(0, Swift.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
        return Vec.norm([p[0] - a[0] - t * dx, p[1] - a[1] - t * dy])
    }

    /// Even–odd ray crossing, with points on an edge counted inside.
    public func contains(_ p: [Double]) -> Bool {
        if isOnBoundary(p) { return true }
        var inside = false
        for (a, b) in edges where (a[1] > p[1]) != (b[1] > p[1]) {
            let x = a[0] + (p[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
            if p[0] < x { inside.toggle() }
        }
        return inside
    }

    public func isOnBoundary(_ p: [Double], tolerance: Double) -> Bool {
        edges.contains { Polygon.distance(p, $0.a, $0.b) <= tolerance }
    }

    /// The outward normal of the nearest edge (at a vertex, the normalized sum of both edges').
    public func normal(at p: [Double]) -> [Double] {
        let tolerance = defaultBoundaryTolerance * scale
        let distances = edges.map { Polygon.distance(p, $0.a, $0.b) }
        let nearest = distances.min() ?? 0
        var n = [0.0, 0.0]
        for (e, d) in zip(edges, distances) where d <= nearest + tolerance {
            let t = Vec.normalized([e.b[0] - e.a[0], e.b[1] - e.a[1]])
            n[0] += orientation * t[1]
            n[1] -= orientation * t[0]
        }
        return Vec.normalized(n)
    }

    public var boundaryMeasure: Double { edges.reduce(0) { $0 + Vec.norm([$1.b[0] - $1.a[0], $1.b[1] - $1.a[1]]) } }

    /// Uniform along the perimeter.
    public func boundaryPoints(_ count: Int, key: PRNGKey) -> [[Double]] {
        let lengths = edges.map { Vec.norm([$0.b[0] - $0.a[0], $0.b[1] - $0.a[1]]) }
        return Vec.uniforms(key, count).map { u in
            var s = u * boundaryMeasure, i = 0
            while i < lengths.count - 1 && s >= lengths[i] { s -= lengths[i]; i += 1 }
            let (a, b) = edges[i], t = Swift.min(s / lengths[i], 1)
            return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
        }
    }
}
