import Fluxion

/// The virial `W = −∂E/∂ε` of any energy, by differentiating `E(x(I+ε), H(I+ε))` with respect to the
/// strain ε at 0: a deformation of the cell that carries the atoms with it. Works for every
/// potential written as an ``EnergyFunction`` (pair, bonded, learned), with no virial formula of its own.
public func virial(_ energy: @escaping EnergyFunction, positions: Tensor, box: SimulationBox) -> Tensor {
    differentiate(energy, positions, box).virial
}

/// The pressure tensor `P = (Σ m v⊗v + W) / V` (`[d, d]`; a compressive state is positive, as LAMMPS's).
public func pressureTensor(_ state: MDState) -> Tensor {
    let kinetic = matmul((state.masses * state.velocities).transposed(), state.velocities)
    return (kinetic + state.virial) / state.box.volume
}

/// The scalar pressure, `tr P / d`.
public func pressure(_ state: MDState) -> Double {
    let p = pressureTensor(state).doubles
    let d = state.dimension
    return (0..<d).reduce(0) { $0 + p[$1 * d + $1] } / Double(d)
}

/// The stress tensor `σ = −P` (the convention of ASE and of continuum mechanics: tension positive).
public func stress(_ state: MDState) -> Tensor { -pressureTensor(state) }

/// The kinetic temperature (`k_B = 1`), with the centre-of-mass motion's `d` degrees removed.
public func temperature(_ state: MDState) -> Double {
    temperature(kineticEnergy: state.kineticEnergy.item,
                degreesOfFreedom: degreesOfFreedom(atoms: state.atomCount, dimension: state.dimension))
}
