import Fluxion
import Foundation

/// Crystal lattices to start a simulation from.
public enum Lattice: String, CaseIterable, Codable, Sendable {
    case sc, bcc, fcc

    /// The basis in units of the cubic cell.
    public var basis: [[Double]] {
        switch self {
        case .sc: return [[0, 0, 0]]
        case .bcc: return [[0, 0, 0], [0.5, 0.5, 0.5]]
        case .fcc: return [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]]
        }
    }

    /// The cubic cell's side for a number density ρ (LAMMPS's `lattice fcc ρ` in LJ units).
    public func constant(density: Double) -> Double { Foundation.pow(Double(basis.count) / density, 1.0 / 3) }

    /// Positions (`[N, 3]`, cell by cell with x varying slowest) and the periodic box of
    /// `cells[0] × cells[1] × cells[2]` unit cells at number density ρ.
    public func positions(cells: [Int], density: Double) throws(MDError) -> (positions: Tensor, box: SimulationBox) {
        guard cells.count == 3, cells.allSatisfy({ $0 > 0 }), density > 0, density.isFinite else {
            throw MDError("lattice: 3 positive cell counts and a positive density are needed, got \(cells) and \(density)")
        }
        guard cells.reduce(basis.count, *) <= 50_000_000 else { throw MDError("lattice: more than 50 million atoms") }
        let a = constant(density: density)
        var x: [Double] = []
        for i in 0..<cells[0] { for j in 0..<cells[1] { for k in 0..<cells[2] {
            for b in basis { x += [(Double(i) + b[0]) * a, (Double(j) + b[1]) * a, (Double(k) + b[2]) * a] }
        } } }
        return (Tensor(x, shape: [x.count / 3, 3]), try SimulationBox(lengths: cells.map { Double($0) * a }))
    }
}
