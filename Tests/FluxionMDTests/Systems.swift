import Fluxion
@testable import FluxionMD

/// Deterministic random numbers for test configurations.
struct Lcg {
    var state: UInt64
    init(_ seed: UInt64) { state = seed &* 6364136223846793005 &+ 1442695040888963407 }
    mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
}

/// Cells of every shape the neighbor list must handle.
enum Cells {
    static func all() throws -> [(String, SimulationBox)] {
        [
            ("cubic", SimulationBox.cubic(7)),
            ("orthorhombic", try SimulationBox(lengths: [6.5, 8, 7.2])),
            ("triclinic", try SimulationBox(lengths: [7, 6.5, 7.5], tilts: (xy: 2.1, xz: -1.3, yz: 1.7))),
            ("general (rotated) triclinic", try SimulationBox(vectors: [[5.5, 1, 0.5], [-1, 6, 0.8], [0.3, -0.9, 6.2]])),
            ("smaller than twice the cutoff", try SimulationBox(lengths: [4, 4.5, 3.8], tilts: (xy: 1, xz: 0.5, yz: -0.7))),
            ("smaller than the cutoff", try SimulationBox(lengths: [2.2, 2.6, 2.4], tilts: (xy: 0.4, xz: 0, yz: 0.3))),
            ("slab (z not periodic)", try SimulationBox(lengths: [6, 6, 6], periodic: [true, true, false])),
            ("open space", SimulationBox.free()),
            ("square (2-D)", try SimulationBox(lengths: [6, 7])),
        ]
    }

    /// Random positions in a cell (in open space, in a 6×6×6 region).
    static func randomPositions(_ n: Int, in box: SimulationBox, seed: UInt64) -> [Double] {
        var rng = Lcg(seed)
        let d = box.dimension
        var out = [Double]()
        for _ in 0..<n {
            let s = (0..<d).map { _ in rng.next() * (box.isFree ? 6 : 1) }
            for c in 0..<d { out.append((0..<d).reduce(0) { $0 + s[$1] * box.vectors[$1][c] }) }
        }
        return out
    }
}

/// The virial component `W_ab = −∂E/∂ε_ab` by central differences of the energy under the strain
/// `I + ε·E_ab`, applied to the positions (`[n·3]`, row vectors) and to the cell together.
func virialByStrain(_ a: Int, _ b: Int, positions x: [Double], box: SimulationBox, step h: Double,
                    energy: ([Double], SimulationBox) throws -> Double) throws -> Double {
    let n = x.count / 3
    func strained(_ e: Double) throws -> Double {
        var m = [[1.0, 0, 0], [0, 1, 0], [0, 0, 1]]
        m[a][b] += e
        var y = [Double](repeating: 0, count: 3 * n)
        for i in 0..<n { for c in 0..<3 { for k in 0..<3 { y[i * 3 + c] += x[i * 3 + k] * m[k][c] } } }
        return try energy(y, box.deformed(by: m))
    }
    return -(try strained(h) - strained(-h)) / (2 * h)
}
