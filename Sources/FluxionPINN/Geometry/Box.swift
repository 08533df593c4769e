import Fluxion

/// An axis-aligned box `[lower₀, upper₀] × … × [lower_{d−1}, upper_{d−1}]` in any dimension: a
/// rectangle in 2-D (``Rectangle``), an interval in 1-D (``Interval``).
public struct Box: Geometry {
    public let lower: [Double]
    public let upper: [Double]

    /// A box from its lowest and highest corners; throws unless `lower < upper` in every coordinate.
    public init(lower: [Double], upper: [Double]) throws(GeometryError) {
        guard !lower.isEmpty, lower.count == upper.count else {
            throw .invalid("Box: corners \(lower) and \(upper) must have the same, non-zero number of coordinates")
        }
        guard zip(lower, upper).allSatisfy({ $0.isFinite && $1.isFinite && $0 < $1 }) else {
            throw .invalid("Box: needs finite lower < upper in every coordinate, got \(lower) and \(upper)")
        }
        self.lower = lower
        self.upper = upper
    }

    public var dimension: Int { lower.count }
    public var bounds: (lower: [Double], upper: [Double]) { (lower, upper) }

    public func contains(_ p: [Double]) -> Bool {
        p.indices.allSatisfy { p[$0] >= lower[$0] && p[$0] <= upper[$0] }
    }

    public func isOnBoundary(_ p: [Double], tolerance: Double) -> Bool {
        p.indices.allSatisfy { p[$0] >= lower[$0] - tolerance && p[$0] <= upper[$0] + tolerance }
            && p.indices.contains { Swift.abs(p[$0] - lower[$0]) <= tolerance || Swift.abs(p[$0] - upper[$0]) <= tolerance }
    }

    /// The face's normal; at an edge or a corner, the normalized sum of the faces' normals.
    public func normal(at p: [Double]) -> [Double] {
        let tolerance = defaultBoundaryTolerance * scale
        return Vec.normalized(p.indices.map { i in
            Swift.abs(p[i] - lower[i]) <= tolerance ? -1 : (Swift.abs(p[i] - upper[i]) <= tolerance ? 1 : 0)
        })
    }

    /// The area of the face normal to axis `i` (1 in 1-D).
    func faceMeasure(_ i: Int) -> Double {
        (0..<dimension).filter { $0 != i }.reduce(1) { $0 * (upper[$1] - lower[$1]) }
    }

    public var boundaryMeasure: Double { (0..<dimension).reduce(0) { $0 + 2 * faceMeasure($1) } }

    /// The volume (length in 1-D, area in 2-D).
    public var volume: Double { zip(lower, upper).reduce(1) { $0 * ($1.1 - $1.0) } }

    /// Points on the faces, each face chosen with probability proportional to its area; in 1-D the two
    /// ends alternate.
    public func boundaryPoints(_ count: Int, key: PRNGKey) -> [[Double]] {
        if dimension == 1 { return (0..<count).map { [$0 % 2 == 0 ? lower[0] : upper[0]] } }
        let u = Vec.uniforms(key, count * (dimension + 1))
        let faces = (0..<(2 * dimension)).map { faceMeasure($0 / 2) }
        let total = faces.reduce(0, +)
        return (0..<count).map { k in
            var pick = u[k * (dimension + 1)] * total, face = 0
            while face < faces.count - 1 && pick >= faces[face] { pick -= faces[face]; face += 1 }
            let axis = face / 2
            return (0..<dimension).map { i -> Double in
                if i == axis { return face % 2 == 0 ? lower[i] : upper[i] }
                let t: Double = u[k * (dimension + 1) + 1 + i]
                return lower[i] + (upper[i] - lower[i]) * t
            }
        }
    }
}

/// An interval `[a, b]`: a ``Box`` in one dimension, `Interval(-1, 1)`.
public typealias Interval = Box
/// A rectangle: a ``Box`` in two dimensions, `Rectangle(x: 0...2, y: 0...1)`.
public typealias Rectangle = Box

extension Box {
    /// The interval `[a, b]`.
    public init(_ a: Double, _ b: Double) throws(GeometryError) { try self.init(lower: [a], upper: [b]) }

    /// The rectangle `x × y`.
    public init(x: ClosedRange<Double>, y: ClosedRange<Double>) throws(GeometryError) {
        try self.init(lower: [x.lowerBound, y.lowerBound], upper: [x.upperBound, y.upperBound])
    }
}
