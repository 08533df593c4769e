import Fluxion

/// A simulation's state: everything an integrator carries from one step to the next, as a value
/// (a tree of tensors, so it can be saved, restored, and carried through `scan`).
public struct MDState: TensorTree, Sendable {
    /// `[N, d]`, wrapped into the cell along periodic directions.
    public var positions: Tensor
    /// `[N, d]`.
    public var velocities: Tensor
    /// The forces at ``positions`` (`[N, d]`).
    public var forces: Tensor
    /// Per atom, `[N, 1]` (so it broadcasts against velocities).
    public var masses: Tensor
    /// The potential energy at ``positions``.
    public var potentialEnergy: Tensor
    /// The virial at ``positions`` (`[d, d]`).
    public var virial: Tensor
    /// Thermostat and barostat variables (integrator-specific; empty for NVE).
    public var extended: Tensor
    /// The random stream of stochastic integrators.
    public var key: PRNGKey
    /// The cell (changes under a barostat).
    public var box: SimulationBox
    /// Steps taken.
    public var step: Int

    public var atomCount: Int { positions.shape[0] }
    public var dimension: Int { positions.shape[1] }

    /// `Σ ½ m v²`.
    public var kineticEnergy: Tensor { 0.5 * (masses * velocities * velocities).sum() }
    /// Total energy (kinetic plus potential).
    public var totalEnergy: Tensor { kineticEnergy + potentialEnergy }
    /// Total momentum (`[d]`).
    public var momentum: Tensor { (masses * velocities).sum(alongAxes: [0]) }

    /// This state one step on: at `positions`, with the forces, energy and virial evaluated there.
    func advanced(to positions: Tensor, _ f: ForceEvaluation) -> MDState {
        var s = self
        s.positions = positions
        s.forces = f.forces
        s.potentialEnergy = f.energy
        s.virial = f.virial
        s.step += 1
        return s
    }
}

/// The forces as integrators call them: positions and cell to energy, forces and virial. A
/// ``ForceField`` is one; so is any closure (one that does not throw can run inside `scan`).
public typealias Forces = (_ positions: Tensor, _ box: SimulationBox) throws -> ForceEvaluation

extension ForceField {
    /// This field as the closure integrators take.
    public var forces: Forces { { try self($0, box: $1) } }
}

/// The degrees of freedom of N atoms in d dimensions with the total momentum fixed: `d(N − 1)`
/// (`dN` for a single atom or when momentum is not conserved).
public func degreesOfFreedom(atoms: Int, dimension: Int, momentumConserved: Bool = true) -> Int {
    momentumConserved && atoms > 1 ? dimension * (atoms - 1) : dimension * atoms
}

/// Temperature from kinetic energy: `T = 2K / (k_B · N_f)`, with `k_B = 1` (LJ units).
public func temperature(kineticEnergy: Double, degreesOfFreedom: Int) -> Double {
    2 * kineticEnergy / Double(degreesOfFreedom)
}

/// A way to advance a state by one time step, given the forces: the `(init, step)` pair of
/// JAX MD, over a value. Integrators never see a potential, so any energy works with any of them.
public protocol Integrator: Sendable {
    /// The time step.
    var timeStep: Double { get }
    /// The first state: forces evaluated at `positions`; `velocities` given or drawn for the
    /// integrator's temperature (see ``initialVelocities(masses:temperature:key:dimension:)``).
    func initialize(positions: Tensor, velocities: Tensor, masses: Tensor, box: SimulationBox, key: PRNGKey,
                    forces: Forces) rethrows -> MDState
    /// One step.
    func step(_ state: MDState, forces: Forces) rethrows -> MDState
    /// The quantity the integrator conserves (the total energy for NVE; extended for thermostats).
    func conservedEnergy(_ state: MDState) -> Double
    /// The integrator's own variables at the start (``MDState/extended``; empty by default).
    var initialExtended: Tensor { get }
}

extension Integrator {
    public func initialize(positions: Tensor, velocities: Tensor, masses: Tensor, box: SimulationBox, key: PRNGKey,
                           forces: Forces) rethrows -> MDState {
        try startingState(positions: positions, velocities: velocities, masses: masses, box: box, key: key, forces: forces)
    }

    /// Step 0: positions wrapped, forces evaluated, ``initialExtended``.
    func startingState(positions: Tensor, velocities: Tensor, masses: Tensor, box: SimulationBox, key: PRNGKey,
                       forces: Forces) rethrows -> MDState {
        let x = Space(box).wrap(positions)
        let f = try forces(x, box)
        return MDState(positions: x, velocities: velocities, forces: f.forces, masses: masses.reshaped(to: [-1, 1]),
                       potentialEnergy: f.energy, virial: f.virial, extended: initialExtended, key: key, box: box, step: 0)
    }

    public func conservedEnergy(_ state: MDState) -> Double { state.totalEnergy.item }

    public var initialExtended: Tensor { Tensor.zeros([0]) }

    /// Velocity Verlet's second half: forces at the new positions, then the half kick.
    func finishVerlet(_ s: MDState, _ positions: Tensor, _ forces: Forces) rethrows -> MDState {
        var s = s.advanced(to: positions, try forces(positions, s.box))
        s.velocities = s.velocities + (0.5 * timeStep) * s.forces / s.masses
        return s
    }
}

/// Maxwell–Boltzmann velocities at `temperature` with zero total momentum, rescaled so the kinetic
/// temperature is exactly `temperature` (`k_B = 1`).
public func initialVelocities(masses: Tensor, temperature t: Double, key: PRNGKey, dimension: Int) -> Tensor {
    let m = masses.reshaped(to: [-1, 1])
    let n = m.shape[0]
    var v = Random.normal(key, shape: [n, dimension]) * sqrt(t / m)
    // Remove the centre-of-mass velocity, then scale to the exact temperature.
    v = v - (m * v).sum(alongAxes: [0]) / m.sum()
    let kinetic = (0.5 * (m * v * v).sum()).item
    let dof = degreesOfFreedom(atoms: n, dimension: dimension)
    guard kinetic > 0, t > 0 else { return Tensor.zeros([n, dimension]) }
    return v * (t / temperature(kineticEnergy: kinetic, degreesOfFreedom: dof)).squareRoot()
}
