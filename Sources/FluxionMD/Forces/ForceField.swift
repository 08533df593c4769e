import Fluxion

/// What a force field returns: the potential energy, the forces (`[N, d]`) and the virial
/// `W = Σ_pairs r_ij ⊗ f_ij = −∂E/∂ε` (`[d, d]`, energy units; the pressure tensor is
/// `(Σ m v⊗v + W)/V`).
public struct ForceEvaluation: TensorTree, Sendable {
    public var energy: Tensor
    public var forces: Tensor
    public var virial: Tensor

    public init(energy: Tensor, forces: Tensor, virial: Tensor) {
        self.energy = energy
        self.forces = forces
        self.virial = virial
    }
}

/// Forces on positions in a cell — what every integrator and minimizer takes, so that any energy
/// works with any of them. Made from a pair potential (a fused loop over a neighbor list that it
/// keeps up to date), from any differentiable ``EnergyFunction`` (forces `= −∂E/∂x` and virial
/// `= −∂E/∂ε` by automatic differentiation), or as a sum of both.
///
/// ```swift
/// let lj = try LennardJones(sigma: 1, epsilon: 1, cutoff: .distance(2.5))
/// let field = ForceField.pairs(lj, skin: 0.3)                   // fast
/// let same = ForceField.autodiff(lj, skin: 0.3)                 // −grad of lj's tensor energy
/// let result = try field(x, box: box)                           // energy, forces, virial
/// ```
public final class ForceField: @unchecked Sendable {
    let body: (Tensor, SimulationBox, ForceField) throws -> ForceEvaluation
    /// The neighbor list this field keeps (nil for fields without one); a field is used by one
    /// simulation at a time.
    public internal(set) var neighborList: NeighborList?
    let cutoff: Double?, skin: Double?
    let parts: [ForceField]

    init(cutoff: Double? = nil, skin: Double? = nil, parts: [ForceField] = [],
         _ body: @escaping (Tensor, SimulationBox, ForceField) throws -> ForceEvaluation) {
        self.body = body
        self.cutoff = cutoff
        self.skin = skin
        self.parts = parts
    }

    /// Energy, forces and virial at `positions` (`[N, d]`) in `box`.
    public func callAsFunction(_ positions: Tensor, box: SimulationBox) throws -> ForceEvaluation {
        guard positions.rank == 2, positions.shape[1] == box.dimension else {
            throw MDError("forces: positions must be [N, \(box.dimension)] for a \(box.dimension)-D box, got \(positions.shape)")
        }
        return try body(positions, box, self)
    }

    /// The list kept up to date for `positions`, built the first time.
    func list(_ positions: [Double], _ box: SimulationBox) throws(MDError) -> NeighborList { try prepare(positions, box).list }

    /// The list kept up to date for `positions`, and the positions unwrapped against its reference.
    func prepare(_ positions: [Double], _ box: SimulationBox) throws(MDError) -> (list: NeighborList, unwrapped: [Double]) {
        if var list = neighborList, list.atomCount * box.dimension == positions.count {
            let u = try list.updateAndUnwrap(positions, box: box)
            neighborList = list
            return (list, u)
        }
        let list = try NeighborList(positions: positions, box: box, cutoff: cutoff!, skin: skin!)
        neighborList = list
        return (list, list.unwrapped(positions, box: box).positions)
    }

    /// Rebuilds the neighbor lists from saved references (``NeighborList/reference``), so a restarted
    /// run sees exactly the lists, and so exactly the numbers, of the run it continues.
    public func restoreNeighborList(fractional reference: [Double], box: SimulationBox) throws(MDError) {
        for part in [self] + parts where part.cutoff != nil {
            part.neighborList = try NeighborList(fractional: reference, box: box, cutoff: part.cutoff!, skin: part.skin!)
        }
    }

    /// The reference of the first neighbor list (what ``restoreNeighborList(fractional:box:)`` takes).
    public var neighborReference: (fractional: [Double], box: SimulationBox)? {
        for part in [self] + parts { if let l = part.neighborList { return (l.reference, l.box) } }
        return nil
    }

    /// A pair potential by the fused loop over a neighbor list (cutoff + `skin`), rebuilt when needed.
    /// `species` gives each atom's species (`0..<S`) for per-species parameters.
    public static func pairs<P: PairPotential>(_ potential: P, species: [Int]? = nil, skin: Double = 0.3) -> ForceField {
        let loop = PairLoop.runner(potential.kernel())
        return ForceField(cutoff: potential.largestCutoff, skin: skin) { positions, box, field in
            let x = positions.doubles
            try checkSpecies(species, atoms: x.count / box.dimension, count: potential.speciesCount)
            let (list, u) = try field.prepare(x, box)
            let result = loop(list, u, list.imageShifts(box), species, potential.speciesCount)
            let d = box.dimension
            return ForceEvaluation(energy: Tensor(result.energy), forces: Tensor(result.forces, shape: positions.shape),
                                   virial: Tensor(result.virial, shape: [d, d]))
        }
    }

    /// A pair potential by automatic differentiation of its tensor energy over a neighbor list
    /// (slower than ``pairs(_:species:skin:)``; the reference that the fused loop is tested against).
    public static func autodiff<P: PairPotential>(_ potential: P, species: [Int]? = nil, skin: Double = 0.3) -> ForceField {
        neighborEnergy(cutoff: potential.largestCutoff, skin: skin) { list in
            potential.energy(neighbors: list, species: species)
        }
    }

    /// Any energy written over a neighbor list: `make` turns the current list into the energy
    /// function; forces and virial are its derivatives.
    public static func neighborEnergy(cutoff: Double, skin: Double = 0.3,
                                      _ make: @escaping (NeighborList) -> EnergyFunction) -> ForceField {
        ForceField(cutoff: cutoff, skin: skin) { positions, box, field in
            let list = try field.list(positions.doubles, box)
            return differentiate(make(list), positions, box)
        }
    }

    /// Any differentiable energy of the positions and the cell (no neighbor list).
    public static func energy(_ f: @escaping EnergyFunction) -> ForceField {
        ForceField { positions, box, _ in differentiate(f, positions, box) }
    }

    /// The sum of two force fields (energies, forces and virials add).
    public static func + (a: ForceField, b: ForceField) -> ForceField {
        ForceField(parts: [a, b] + a.parts + b.parts) { positions, box, _ in
            let x = try a(positions, box: box), y = try b(positions, box: box)
            return ForceEvaluation(energy: x.energy + y.energy, forces: x.forces + y.forces, virial: x.virial + y.virial)
        }
    }
}

/// Forces and virial of an energy by one reverse pass: `E(x(I+ε), H(I+ε))` differentiated with
/// respect to `x` and the strain `ε` at `ε = 0`.
func differentiate(_ f: @escaping EnergyFunction, _ positions: Tensor, _ box: SimulationBox) -> ForceEvaluation {
    let d = box.dimension
    let cell = box.matrix
    let strained = { (x: Tensor, strain: Tensor) -> Tensor in
        let deformation = Tensor.eye(d) + strain
        return f(matmul(x, deformation), matmul(cell, deformation))
    }
    let (energy, g) = valueAndGrad { (xs: [Tensor]) in strained(xs[0], xs[1]) }([positions, Tensor.zeros([d, d])])
    return ForceEvaluation(energy: energy, forces: -g[0], virial: -g[1])
}

func checkSpecies(_ species: [Int]?, atoms: Int, count: Int) throws(MDError) {
    guard let species else {
        if count > 1 { throw MDError("forces: the potential has \(count) species; give each atom's species") }
        return
    }
    guard species.count == atoms else { throw MDError("forces: \(species.count) species for \(atoms) atoms") }
    guard species.allSatisfy({ (0..<count).contains($0) }) else {
        throw MDError("forces: a species is outside 0..<\(count) (the potential's parameters are for \(count))")
    }
}
