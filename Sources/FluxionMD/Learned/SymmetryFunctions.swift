import Fluxion
import Foundation

/// Behler–Parrinello radial symmetry functions: per atom `i` and per function `k`,
/// `G_ik = Σ_j exp(−η_k (r_ij − R_k)²) f_c(r_ij)` with the cosine cutoff
/// `f_c(r) = ½(cos(πr/r_c) + 1)` for `r < r_c` — smooth, so forces are continuous, and invariant to
/// translation, rotation and the order of the atoms.
public struct SymmetryFunctions: Codable, Equatable, Sendable {
    public let cutoff: Double
    /// The Gaussians' widths η_k and centres R_k.
    public let etas: [Double]
    public let centers: [Double]

    public init(cutoff: Double, etas: [Double], centers: [Double]) throws(MDError) {
        guard cutoff > 0, etas.count == centers.count, !etas.isEmpty, etas.allSatisfy({ $0 > 0 }) else {
            throw MDError("symmetry functions: a positive cutoff and as many positive widths as centres are needed")
        }
        self.cutoff = cutoff
        self.etas = etas
        self.centers = centers
    }

    /// `count` Gaussians with centres spread evenly from `start` to the cutoff, each as wide as the spacing.
    public static func evenlySpaced(count: Int, from start: Double = 0.8, cutoff: Double) throws(MDError) -> SymmetryFunctions {
        guard count >= 2, start < cutoff else { throw MDError("symmetry functions: at least 2, starting below the cutoff") }
        let spacing = (cutoff - start) / Double(count - 1)
        return try SymmetryFunctions(cutoff: cutoff, etas: Array(repeating: 1 / (2 * spacing * spacing), count: count),
                                     centers: (0..<count).map { start + Double($0) * spacing })
    }

    public var count: Int { etas.count }

    /// Descriptors `[N, K]` from the pair displacements of a half list (`[P, d]`) and its first and second atoms.
    public func descriptors(displacements d: Tensor, first i: Tensor, second j: Tensor, atoms: Int) -> Tensor {
        let r = sqrt((d * d).sum(alongAxes: [1]))
        let inside = r .< cutoff
        // Clamped inside the cutoff before the cosine, so pairs beyond it give 0 with a 0 derivative.
        let rc = minimum(r, cutoff)
        let fc = `where`(inside, 0.5 * (cos(Double.pi / cutoff * rc) + 1), 0)
        let x = r.expandingShape(at: 1) - Tensor(centers)
        let g = exp(-Tensor(etas) * x * x) * fc.expandingShape(at: 1)        // [P, K]
        // Each pair counts for both of its atoms.
        let zero = Tensor.zeros([atoms, count])
        return zero.scatterAdding(g, at: i, alongAxis: 0).scatterAdding(g, at: j, alongAxis: 0)
    }
}
