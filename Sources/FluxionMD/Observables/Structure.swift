import Foundation

/// The radial distribution function `g(r)` accumulated over frames: pairs counted through a
/// ``NeighborList`` with cutoff `maximum` (so every periodic image counts, in any cell), normalized
/// by the ideal-gas count `N/2 · ρ · (shell volume)`.
public struct RadialDistribution: Sendable {
    public let maximum: Double
    public let bins: Int
    public private(set) var counts: [Double]
    public private(set) var frames = 0
    private var normalization = 0.0
    private var dimension = 3

    public init(maximum: Double, bins: Int = 100) throws(MDError) {
        guard maximum > 0, maximum.isFinite, bins > 0 else { throw MDError("RDF: the range and bin count must be positive") }
        self.maximum = maximum
        self.bins = bins
        self.counts = Array(repeating: 0, count: bins)
    }

    /// Adds one frame (flat positions in `box`).
    public mutating func add(_ positions: [Double], box: SimulationBox) throws(MDError) {
        guard !box.isFree else { throw MDError("RDF: needs a periodic cell (the density is the atoms over its volume)") }
        let list = try NeighborList(positions: positions, box: box, cutoff: maximum, skin: 0)
        let d = box.dimension, n = list.atomCount
        let (u, _) = list.unwrapped(positions, box: box)
        let shifts = list.imageShifts(box)
        let width = maximum / Double(bins)
        for i in 0..<n {
            for p in list.offsets[i]..<list.offsets[i + 1] {
                let j = Int(list.neighbors[p]), m = Int(list.imageIndices[p])
                var r2 = 0.0
                for c in 0..<d { let x = u[j * d + c] + shifts[m * d + c] - u[i * d + c]; r2 += x * x }
                let bin = Int(r2.squareRoot() / width)
                if bin < bins { counts[bin] += 1 }
            }
        }
        frames += 1
        dimension = d
        // Half list: each pair once, so the ideal count per unit shell volume is N²/(2V) (area in 2-D).
        normalization += Double(n) * Double(n) / (2 * box.volume)
    }

    var normalizationSum: Double { normalization }

    mutating func restore(counts: [Double], frames: Int, normalization: Double) {
        self.counts = counts
        self.frames = frames
        self.normalization = normalization
    }

    /// Bin centres.
    public var radii: [Double] { (0..<bins).map { (Double($0) + 0.5) * maximum / Double(bins) } }

    /// `g(r)` per bin.
    public var values: [Double] {
        guard normalization > 0 else { return counts }
        let width = maximum / Double(bins)
        return (0..<bins).map { b in
            let (r0, r1) = (Double(b) * width, Double(b + 1) * width)
            let shell = dimension == 2 ? Double.pi * (r1 * r1 - r0 * r0) : 4.0 / 3.0 * Double.pi * (r1 * r1 * r1 - r0 * r0 * r0)
            return counts[b] / (normalization * shell)
        }
    }
}

/// Positions followed across periodic boundaries: each frame's wrapped positions are joined to the
/// previous frame by the nearest image of the step (frames must be closer than half a cell apart).
public struct Unwrapper: Sendable {
    public private(set) var positions: [Double]
    private var last: [Double]

    public init(_ positions: [Double]) {
        self.positions = positions
        self.last = positions
    }

    init(positions: [Double], last: [Double]) {
        self.positions = positions
        self.last = last
    }

    var lastPositions: [Double] { last }

    public mutating func add(_ wrapped: [Double], box: SimulationBox) {
        let d = box.dimension
        for a in 0..<(wrapped.count / d) {
            var ds = [Double](repeating: 0, count: d)
            for k in 0..<d {
                ds[k] = (0..<d).reduce(0) { $0 + (wrapped[a * d + $1] - last[a * d + $1]) * box.inverse[$1][k] }
                if box.periodic[k] { ds[k] -= ds[k].rounded() }
            }
            for c in 0..<d { positions[a * d + c] += (0..<d).reduce(0) { $0 + ds[$1] * box.vectors[$1][c] } }
        }
        last = wrapped
    }
}

/// Mean-square displacement `⟨|x(t₀+τ) − x(t₀)|²⟩` per lag τ (in frames), averaged over atoms and
/// all time origins, from unwrapped frames.
public func meanSquareDisplacement(_ frames: [[Double]], dimension: Int = 3, maximumLag: Int? = nil) -> [Double] {
    correlation(frames, maximumLag: maximumLag, dimension: dimension) { a, b in
        var s = 0.0
        for k in 0..<a.count { s += (b[k] - a[k]) * (b[k] - a[k]) }
        return s
    }
}

/// Velocity autocorrelation `⟨v(t₀)·v(t₀+τ)⟩` per lag τ (in frames), averaged over atoms and origins.
public func velocityAutocorrelation(_ frames: [[Double]], dimension: Int = 3, maximumLag: Int? = nil) -> [Double] {
    correlation(frames, maximumLag: maximumLag, dimension: dimension) { a, b in
        var s = 0.0
        for k in 0..<a.count { s += a[k] * b[k] }
        return s
    }
}

func correlation(_ frames: [[Double]], maximumLag: Int?, dimension: Int,
                 _ term: ([Double], [Double]) -> Double) -> [Double] {
    guard let atoms = frames.first.map({ $0.count / dimension }), atoms > 0 else { return [] }
    let lags = min(maximumLag ?? frames.count - 1, frames.count - 1)
    return (0...lags).map { lag in
        var sum = 0.0
        for t in 0..<(frames.count - lag) { sum += term(frames[t], frames[t + lag]) }
        return sum / Double((frames.count - lag) * atoms)
    }
}
