import Fluxion

/// The result of ``differentiableTrajectory(energy:positions:velocities:masses:box:timeStep:steps:checkpoint:)``.
public struct Trajectory: TensorTree {
    /// Final positions and velocities (`[N, d]`).
    public var positions: Tensor
    public var velocities: Tensor
    /// The potential energy after each step (`[steps]`).
    public var potentialEnergies: Tensor
}

/// A velocity-Verlet (NVE) trajectory as one differentiable computation: `steps` steps inside `scan`,
/// each with forces `−∂E/∂x` of `energy`, keeping only every `checkpoint` segment's carry for the
/// backward pass. `grad` of any function of the result flows back to the initial positions and
/// velocities and to every tensor `energy` captures — a potential's parameters, for instance:
///
/// ```swift
/// let gradient = grad { (eps: Tensor) -> Tensor in
///     let lj = try! LennardJones(sigma: Tensor(1.0), epsilon: eps)
///     let run = differentiableTrajectory(energy: lj.energy(neighbors: list), positions: x, velocities: v,
///                                        masses: m, box: box, timeStep: 0.005, steps: 100)
///     return run.potentialEnergies[99]
/// }(Tensor(1.0))
/// ```
///
/// Positions are not wrapped (energies over a ``NeighborList`` measure from the list's reference, so
/// they need not be). The list is fixed for the whole trajectory: build it with a skin large enough,
/// and confirm afterwards with ``NeighborList/needsRebuild(_:box:)`` on the final positions that no
/// pair was missed.
public func differentiableTrajectory(energy: @escaping EnergyFunction, positions: Tensor, velocities: Tensor, masses: Tensor,
                                     box: SimulationBox, timeStep dt: Double, steps: Int,
                                     checkpoint: CheckpointPolicy = .segments(10)) -> Trajectory {
    let cell = box.matrix
    let m = masses.reshaped(to: [-1, 1])
    let force = { (x: Tensor) -> Tensor in -grad { (y: Tensor) in energy(y, cell) }(x) }
    let start = [positions, velocities, force(positions)]
    let (carry, energies) = scan(start, over: Tensor.zeros([steps]), checkpoint: checkpoint) { c, _ in
        let half = c[1] + (0.5 * dt) * c[2] / m
        let x = c[0] + dt * half
        let f = force(x)
        let v = half + (0.5 * dt) * f / m
        return (carry: [x, v, f], y: energy(x, cell))
    }
    return Trajectory(positions: carry[0], velocities: carry[1], potentialEnergies: energies)
}
