import Fluxion
import FluxionNN
import Foundation

/// A Behler–Parrinello neural-network potential: `E = Σ_i ε(G_i)`, each atom's energy a network of
/// its standardized descriptors (``SymmetryFunctions``). A tree of tensors (train it with any
/// FluxionNN optimizer); its ``energy(neighbors:)`` is an ``EnergyFunction``, so forces, the virial and
/// every integrator work with it as with any other potential.
public struct NeuralPotential: TensorTree {
    public var network: MLP
    /// Descriptor standardization: `(G − mean) / scale`, per function.
    public var mean: Tensor
    public var scale: Tensor
    /// Added to every atom's energy (the reference's mean energy per atom, so the network fits the rest).
    public var offset: Tensor
    public let descriptors: SymmetryFunctions

    /// A network of the given hidden widths on `descriptors`, standardized by `mean` and `scale`.
    public init(descriptors: SymmetryFunctions, hidden: [Int] = [32, 32], activation: Activation = .tanh, key: PRNGKey,
                mean: Tensor? = nil, scale: Tensor? = nil, offset: Double = 0) {
        self.descriptors = descriptors
        self.network = MLP(widths: [descriptors.count] + hidden + [1], activation: activation, key: key)
        self.mean = mean ?? Tensor.zeros([descriptors.count])
        self.scale = scale ?? Tensor.ones([descriptors.count])
        self.offset = Tensor(offset)
    }

    /// Per-atom energies from descriptors `[N, K]`.
    public func atomicEnergies(_ g: Tensor) -> Tensor {
        network((g - mean) / scale).reshaped(to: [-1]) + offset
    }

    /// The total energy over a neighbor list (cutoff at least the descriptors').
    public func energy(neighbors list: NeighborList) -> EnergyFunction {
        let (i, j, _) = list.pairTensors
        let atoms = list.atomCount
        return { positions, cell in
            let d = list.displacements(positions, cell: cell)
            return atomicEnergies(descriptors.descriptors(displacements: d, first: i, second: j, atoms: atoms)).sum()
        }
    }
}

/// A configuration labelled by a reference: positions, cell, energy and forces.
public struct LabelledConfiguration: Sendable {
    public var positions: [Double]
    public var box: SimulationBox
    public var energy: Double
    public var forces: [Double]

    public init(positions: [Double], box: SimulationBox, energy: Double, forces: [Double]) {
        self.positions = positions
        self.box = box
        self.energy = energy
        self.forces = forces
    }

    public var atomCount: Int { positions.count / box.dimension }
}

/// Energies and forces of many configurations as one batched computation: every configuration's pairs
/// (from a neighbor list at the descriptors' cutoff) in one list over the concatenated atoms, with
/// Cartesian image shifts, so a training step is one function of the parameters (jitted once).
public struct ConfigurationBatch: Sendable {
    let positions: Tensor          // [A, d], all atoms
    let first: Tensor, second: Tensor
    let shifts: Tensor             // [P, d]
    let owner: Tensor              // [A]: each atom's configuration
    let configurations: Int
    let atomsPerConfiguration: Tensor    // [C]
    public let energies: Tensor    // [C]
    public let forces: Tensor      // [A, d]

    public init(_ data: [LabelledConfiguration], cutoff: Double) throws(MDError) {
        guard let d = data.first?.box.dimension else { throw MDError("training: no configurations") }
        var x: [Double] = [], shifts: [Double] = [], first: [Int64] = [], second: [Int64] = [], owner: [Int64] = []
        var forces: [Double] = []
        var base = 0
        for (c, item) in data.enumerated() {
            guard item.forces.count == item.positions.count, item.box.dimension == d else {
                throw MDError("training: configuration \(c) has \(item.forces.count) force components for \(item.positions.count) coordinates")
            }
            let list = try NeighborList(positions: item.positions, box: item.box, cutoff: cutoff, skin: 0)
            let (u, _) = list.unwrapped(item.positions, box: item.box)
            let table = list.imageShifts(item.box)
            for a in 0..<list.atomCount {
                for p in list.offsets[a]..<list.offsets[a + 1] {
                    first.append(Int64(base + a))
                    second.append(Int64(base + Int(list.neighbors[p])))
                    let m = Int(list.imageIndices[p])
                    shifts.append(contentsOf: table[(m * d)..<((m + 1) * d)])
                }
            }
            x += u
            forces += item.forces
            owner += Array(repeating: Int64(c), count: item.atomCount)
            base += item.atomCount
        }
        self.positions = Tensor(x, shape: [base, d])
        self.first = Tensor(first, shape: [first.count])
        self.second = Tensor(second, shape: [second.count])
        self.shifts = Tensor(shifts, shape: [first.count, d])
        self.owner = Tensor(owner, shape: [base])
        self.configurations = data.count
        self.atomsPerConfiguration = Tensor(data.map { Double($0.atomCount) })
        self.energies = Tensor(data.map(\.energy))
        self.forces = Tensor(forces, shape: [base, d])
    }

    /// Each configuration's energy `[C]` at all atoms' positions `x` (`[A, d]`).
    public func energies(_ potential: NeuralPotential, at x: Tensor) -> Tensor {
        let g = descriptors(potential.descriptors, at: x)
        return Tensor.zeros([configurations]).scatterAdding(potential.atomicEnergies(g), at: owner, alongAxis: 0)
    }

    /// Every atom's descriptors (`[A, K]`) at positions `x`.
    func descriptors(_ functions: SymmetryFunctions, at x: Tensor) -> Tensor {
        let d = x.gathering(second, alongAxis: 0) - x.gathering(first, alongAxis: 0) + shifts
        return functions.descriptors(displacements: d, first: first, second: second, atoms: x.shape[0])
    }

    /// Predicted energies `[C]` and forces `[A, d]`.
    public func predict(_ potential: NeuralPotential) -> (energies: Tensor, forces: Tensor) {
        // One forward pass: the pullback of the per-configuration energies with ones is the gradient
        // of their sum (configurations share no atoms).
        let (e, pullback) = vjp({ (x: Tensor) in energies(potential, at: x) }, at: positions)
        return (e, -pullback(Tensor.ones(like: e)))
    }

    /// The training loss: mean squared energy error per atom plus `forceWeight` times the mean squared
    /// force component error. Its gradient with respect to the parameters differentiates the forces
    /// (themselves a gradient) once more: second order, through the neighbor pairs.
    public func loss(_ potential: NeuralPotential, forceWeight: Double) -> Tensor {
        let (e, gradient) = predict(potential)
        let energyError = (e - energies) / atomsPerConfiguration
        let forceError = gradient - forces
        return (energyError * energyError).mean() + forceWeight * (forceError * forceError).mean()
    }

    /// Root-mean-square errors: energy per atom and force component.
    public func errors(_ potential: NeuralPotential) -> (energyPerAtom: Double, force: Double) {
        let (e, f) = predict(potential)
        let de = (e - energies) / atomsPerConfiguration, df = f - forces
        return (sqrt((de * de).mean()).item, sqrt((df * df).mean()).item)
    }

    /// Descriptor means and standard deviations over this batch (to standardize a network's inputs),
    /// and the mean energy per atom.
    public func statistics(_ descriptors: SymmetryFunctions) -> (mean: Tensor, scale: Tensor, energyPerAtom: Double) {
        let g = self.descriptors(descriptors, at: positions)
        let mean = g.mean(alongAxes: [0])
        let scale = maximum(sqrt(((g - mean) * (g - mean)).mean(alongAxes: [0])), 1e-6)
        return (mean, scale, (energies.sum() / atomsPerConfiguration.sum()).item)
    }
}
