import Fluxion

/// A union, intersection or difference of two geometries (constructive solid geometry), made with
/// `a.union(b)`, `a.intersection(b)`, `a.subtracting(b)`.
///
/// The boundary of the result is made of parts of the two boundaries: for a union, the points of
/// either boundary not strictly inside the other domain; for an intersection, those inside the other
/// domain; for a difference `a \ b`, the points of `a`'s boundary outside `b` and those of `b`'s
/// boundary inside `a`, where the outward normal is `b`'s reversed.
public struct CSG: Geometry {
    public enum Operation: String, Sendable { case union, intersection, difference }

    public let operation: Operation
    public let first: any Geometry
    public let second: any Geometry

    public init(_ operation: Operation, _ first: any Geometry, _ second: any Geometry) {
        precondition(first.dimension == second.dimension,
                     "CSG \(operation): geometries of dimensions \(first.dimension) and \(second.dimension)")
        self.operation = operation
        self.first = first
        self.second = second
    }

    public var dimension: Int { first.dimension }

    public var bounds: (lower: [Double], upper: [Double]) {
        let (a, b) = (first.bounds, second.bounds)
        switch operation {
        case .union: return (zip(a.lower, b.lower).map { Swift.min($0, $1) }, zip(a.upper, b.upper).map { Swift.max($0, $1) })
        case .intersection: return (zip(a.lower, b.lower).map { Swift.max($0, $1) }, zip(a.upper, b.upper).map { Swift.min($0, $1) })
        case .difference: return a
        }
    }

    public func contains(_ p: [Double]) -> Bool {
        switch operation {
        case .union: return first.contains(p) || second.contains(p)
        case .intersection: return first.contains(p) && second.contains(p)
        case .difference: return first.contains(p) && (!second.contains(p) || second.isOnBoundary(p))
        }
    }

    /// Whether `p`, on the first or the second geometry's boundary, is on this one's.
    func keeps(_ p: [Double], onFirst: Bool, tolerance: Double) -> Bool {
        let other = onFirst ? second : first
        let inOther = other.contains(p), onOther = other.isOnBoundary(p, tolerance: tolerance)
        switch operation {
        case .union: return !inOther || onOther
        case .intersection: return inOther || onOther
        case .difference: return onFirst ? (!inOther || onOther) : inOther
        }
    }

    public func isOnBoundary(_ p: [Double], tolerance: Double) -> Bool {
        (first.isOnBoundary(p, tolerance: tolerance) && keeps(p, onFirst: true, tolerance: tolerance))
            || (second.isOnBoundary(p, tolerance: tolerance) && keeps(p, onFirst: false, tolerance: tolerance))
    }

    public func normal(at p: [Double]) -> [Double] {
        let tolerance = defaultBoundaryTolerance * scale
        if first.isOnBoundary(p, tolerance: tolerance) && keeps(p, onFirst: true, tolerance: tolerance) {
            return first.normal(at: p)
        }
        let n = second.normal(at: p)
        return operation == .difference ? n.map { -$0 } : n
    }

    /// Estimated from the parts' measures and the fraction of their boundary points that are kept
    /// (4096 points each, from a fixed key).
    public var boundaryMeasure: Double {
        let tolerance = defaultBoundaryTolerance * scale
        let key = PRNGKey(seed: 0x5eed)
        var total = 0.0
        for (part, onFirst) in [(first, true), (second, false)] {
            let points = part.boundaryPoints(4096, key: key.foldIn(onFirst ? 1 : 2))
            let kept = points.filter { keeps($0, onFirst: onFirst, tolerance: tolerance) }.count
            total += part.boundaryMeasure * Double(kept) / Double(points.count)
        }
        return total
    }

    /// Points of both parts' boundaries, drawn in proportion to their measures, keeping those on this
    /// boundary, until `count` are found.
    public func boundaryPoints(_ count: Int, key: PRNGKey) -> [[Double]] {
        let tolerance = defaultBoundaryTolerance * scale
        let (m1, m2) = (first.boundaryMeasure, second.boundaryMeasure)
        var points: [[Double]] = [], round = 0
        while points.count < count && round < 64 {
            let batch = Swift.max(2 * count, 64)
            let n1 = Int((Double(batch) * m1 / (m1 + m2)).rounded())
            let a = first.boundaryPoints(n1, key: key.foldIn(2 * round)).map { ($0, true) }
            let b = second.boundaryPoints(batch - n1, key: key.foldIn(2 * round + 1)).map { ($0, false) }
            // Interleave the two parts by a random order so that a prefix is spread over both.
            let order = Vec.uniforms(key.foldIn(1_000_000 + round), a.count + b.count)
            let candidates = zip(order, a + b).sorted { $0.0 < $1.0 }.map(\.1)
            for (p, onFirst) in candidates where points.count < count && keeps(p, onFirst: onFirst, tolerance: tolerance) {
                points.append(p)
            }
            round += 1
        }
        return points
    }
}
