import Fluxion
import Foundation

/// How points are spread over a domain. All samplers draw from a `PRNGKey`, so the same key gives
/// the same points on any machine; the quasi-random ones are randomized (Sobol by a random digital
/// shift, Halton by a random shift modulo 1), which keeps their low discrepancy.
public enum Sampler: String, Sendable, CaseIterable, Codable {
    /// Independent uniform points.
    case uniform
    /// The Sobol sequence (Joe and Kuo's direction numbers, up to 21 dimensions).
    case sobol
    /// The Halton sequence (prime bases 2, 3, 5, …).
    case halton
    /// Latin hypercube: each coordinate's n strata hold one point each.
    case latinHypercube = "latin-hypercube"
    /// A regular grid of cell centers (about `count` points in the bounding box; those inside are kept).
    case grid

    /// `count` points of the unit cube `[0, 1)^dimension`; `offset` skips that many points of a
    /// sequence (for drawing more of the same sequence).
    public func unitCube(_ count: Int, dimension: Int, key: PRNGKey, offset: Int = 0) throws(GeometryError) -> [[Double]] {
        guard count >= 0, dimension >= 1 else {
            throw .invalid("\(rawValue) sampling: needs count ≥ 0 and dimension ≥ 1, got \(count) and \(dimension)")
        }
        if count == 0 { return [] }
        switch self {
        case .uniform:
            let u = Vec.uniforms(key.foldIn(offset), count * dimension)
            return (0..<count).map { Array(u[($0 * dimension)..<(($0 + 1) * dimension)]) }
        case .sobol:
            return try Sobol(dimension: dimension, key: key).points(count, offset: offset)
        case .halton:
            return try Halton(dimension: dimension, key: key).points(count, offset: offset)
        case .latinHypercube:
            let u = Vec.uniforms(key.foldIn(2 * offset), count * dimension)
            let strata = (0..<dimension).map { j in
                Random.permutation(key.foldIn(2 * offset + 1).foldIn(j), count).scalars(as: Int64.self)
            }
            return (0..<count).map { i in
                (0..<dimension).map { j in (Double(strata[j][i]) + u[i * dimension + j]) / Double(count) }
            }
        case .grid:
            let m = Swift.max(1, Int(pow(Double(count), 1 / Double(dimension)).rounded(.up)))
            var points: [[Double]] = [[]]
            for _ in 0..<dimension {
                points = points.flatMap { p in (0..<m).map { p + [(Double($0) + 0.5) / Double(m)] } }
            }
            return points
        }
    }
}

extension Geometry {
    /// `count` points inside the domain (boundary included), spread by `sampler`: points of the
    /// bounding box are drawn and those outside rejected until there are enough. A `.grid` gives the
    /// grid's points inside the domain, about `count` in the bounding box.
    public func interiorPoints(_ count: Int, sampler: Sampler = .uniform, key: PRNGKey) throws(GeometryError) -> [[Double]] {
        let (lower, upper) = bounds
        func mapped(_ u: [Double]) -> [Double] { u.indices.map { lower[$0] + (upper[$0] - lower[$0]) * u[$0] } }
        if sampler == .grid {
            return try sampler.unitCube(count, dimension: dimension, key: key).map(mapped).filter(contains)
        }
        var points: [[Double]] = [], drawn = 0, rounds = 0
        while points.count < count {
            guard rounds < 64 else { throw .tooFewPoints(wanted: count, found: points.count, tries: drawn) }
            // Latin hypercube strata only hold within one batch, so it draws full batches.
            let batch = sampler == .latinHypercube ? count : Swift.max(count - points.count, 16) * (rounds == 0 ? 1 : 2)
            let candidates = try sampler.unitCube(batch, dimension: dimension, key: key.foldIn(sampler == .latinHypercube ? rounds : 0),
                                                  offset: sampler == .latinHypercube ? 0 : drawn)
            for p in candidates.map(mapped) where points.count < count && contains(p) { points.append(p) }
            drawn += batch
            rounds += 1
        }
        return points
    }
}

/// Points as a `[count, dimension]` float64 tensor.
public func pointTensor(_ points: [[Double]], dimension: Int) -> Tensor {
    Tensor(points.flatMap { $0 }, shape: [points.count, dimension])
}
