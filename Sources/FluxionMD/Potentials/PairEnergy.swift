import Fluxion

/// A potential energy as a differentiable function of the positions (`[N, d]`) and the cell (the
/// `[d, d]` tensor of lattice rows; ignored in open space). Taking the cell as an argument is what
/// lets the stress be a derivative: see ``stress(_:positions:box:)``.
public typealias EnergyFunction = (_ positions: Tensor, _ cell: Tensor) -> Tensor

extension NeighborList {
    /// The displacement `x_j + n·H − x_i` of every stored pair (`[P, d]`), differentiable in the
    /// positions and in the cell: positions become fractional with the given cell, are made
    /// continuous with the list's reference, and the stored image is added before mapping back.
    /// (With a deformed cell and positions deformed alike, the fractional coordinates do not
    /// change, so the displacements deform exactly as the cell does.)
    public func displacements(_ positions: Tensor, cell: Tensor) -> Tensor {
        let (i, j, images) = pairTensors
        if box.isFree {
            let u = positions
            return u.gathering(j, alongAxis: 0) - u.gathering(i, alongAxis: 0)
        }
        let ref = Tensor(reference, shape: [atomCount, dimension])
        var ds = matmul(positions, cellInverse(cell)) - ref
        ds = ds - round(ds) * Tensor(box.periodic.map { $0 ? 1.0 : 0.0 })
        let u = ref + ds
        return matmul(u.gathering(j, alongAxis: 0) - u.gathering(i, alongAxis: 0) + images, cell)
    }

    /// The pairs as tensors: first atoms, second atoms (int64, `[P]`), images (`[P, d]`, float64).
    public var pairTensors: (i: Tensor, j: Tensor, images: Tensor) {
        var first = [Int64](), second = [Int64](), shifts = [Double]()
        first.reserveCapacity(pairCount)
        second.reserveCapacity(pairCount)
        shifts.reserveCapacity(pairCount * dimension)
        for a in 0..<atomCount {
            for p in offsets[a]..<offsets[a + 1] {
                first.append(Int64(a))
                second.append(Int64(neighbors[p]))
                shifts.append(contentsOf: images[Int(imageIndices[p])].map(Double.init))
            }
        }
        return (Tensor(first, shape: [pairCount]), Tensor(second, shape: [pairCount]), Tensor(shifts, shape: [pairCount, dimension]))
    }

    /// The species-pair index `a·S + b` of every stored pair (`[P]`), or nil for one species.
    func pairSpecies(_ species: [Int]?, count: Int) -> Tensor? {
        guard let species, count > 1 else { return nil }
        var out = [Int64]()
        out.reserveCapacity(pairCount)
        for a in 0..<atomCount {
            for p in offsets[a]..<offsets[a + 1] { out.append(Int64(species[a] * count + species[Int(neighbors[p])])) }
        }
        return Tensor(out, shape: [pairCount])
    }
}

extension PairPotential {
    /// The total energy over a neighbor list's pairs, as an ``EnergyFunction`` (differentiable in the
    /// positions, the cell and, through the potential's tensors, its parameters).
    public func energy(neighbors list: NeighborList, species: [Int]? = nil) -> EnergyFunction {
        let pair = list.pairSpecies(species, count: speciesCount)
        return { positions, cell in
            let d = list.displacements(positions, cell: cell)
            let r = sqrt((d * d).sum(alongAxes: [1]))
            return energy(distance: r, pair: pair).sum()
        }
    }
}

/// The inverse of a 2×2 or 3×3 cell as tensor operations (the adjugate over the determinant), so it
/// is differentiable and cannot throw: a cell is never singular (``SimulationBox`` rejects those).
public func cellInverse(_ h: Tensor) -> Tensor {
    let n = h.shape[0]
    func e(_ i: Int, _ j: Int) -> Tensor { h[i, j] }
    if n == 2 {
        let det = e(0, 0) * e(1, 1) - e(0, 1) * e(1, 0)
        return Tensor.stack([e(1, 1), -e(0, 1), -e(1, 0), e(0, 0)], axis: 0).reshaped(to: [2, 2]) / det
    }
    var cofactors: [Tensor] = []
    for i in 0..<3 {
        for j in 0..<3 {
            // (H⁻¹)_{ij} = C_{ji} / det, with C the cofactor matrix.
            let (r1, r2, c1, c2) = ((j + 1) % 3, (j + 2) % 3, (i + 1) % 3, (i + 2) % 3)
            cofactors.append(e(r1, c1) * e(r2, c2) - e(r1, c2) * e(r2, c1))
        }
    }
    let det = e(0, 0) * cofactors[0] + e(0, 1) * cofactors[3] + e(0, 2) * cofactors[6]
    return Tensor.stack(cofactors, axis: 0).reshaped(to: [3, 3]) / det
}
