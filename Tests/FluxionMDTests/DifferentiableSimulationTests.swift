import Fluxion
@testable import FluxionMD
import Testing

@Suite("Differentiable simulation")
struct DifferentiableSimulationTests {
    /// The gradient of the final potential energy after 40 steps with respect to LJ's ε and σ, through
    /// `scan` with checkpointing, equals central finite differences of whole trajectories; the
    /// trajectory itself equals the fused integrator's.
    @Test func gradientThroughATrajectoryMatchesFiniteDifferences() throws {
        let (x0, box) = try Lattice.fcc.positions(cells: [2, 2, 2], density: 0.8)
        let m = Tensor.ones([32])
        let v0 = initialVelocities(masses: m, temperature: 1.0, key: PRNGKey(seed: 2), dimension: 3)
        let list = try NeighborList(positions: x0, box: box, cutoff: 2.0, skin: 1.0)
        let steps = 40
        func observable(_ parameters: Tensor) -> Tensor {
            let lj = try! LennardJones(sigma: parameters[1], epsilon: parameters[0], cutoff: .distance(2.0), truncation: .shifted)
            let run = differentiableTrajectory(energy: lj.energy(neighbors: list), positions: x0, velocities: v0, masses: m,
                                               box: box, timeStep: 0.005, steps: steps, checkpoint: .segments(8))
            return run.potentialEnergies[steps - 1]
        }
        let p = Tensor([1.0, 1.0])
        let g = grad(observable)(p).doubles
        let h = 1e-5
        for k in 0..<2 {
            var plus = [1.0, 1.0], minus = [1.0, 1.0]
            plus[k] += h; minus[k] -= h
            let numeric = (observable(Tensor(plus)).item - observable(Tensor(minus)).item) / (2 * h)
            #expect(abs(numeric - g[k]) <= 1e-6 * max(1, abs(numeric)), "parameter \(k): \(g[k]) vs \(numeric)")
        }
        // The same trajectory as the integrator with the fused force field, and the list still covers it.
        let lj = try LennardJones(sigma: 1, epsilon: 1, cutoff: .distance(2.0), truncation: .shifted)
        let run = differentiableTrajectory(energy: lj.energy(neighbors: list), positions: x0, velocities: v0, masses: m,
                                           box: box, timeStep: 0.005, steps: steps)
        let field = ForceField.pairs(lj, skin: 0.6)
        let nve = try VelocityVerlet(timeStep: 0.005)
        var s = try nve.initialize(positions: x0, velocities: v0, masses: m, box: box, key: PRNGKey(seed: 0), forces: field.forces)
        for _ in 0..<steps { s = try nve.step(s, forces: field.forces) }
        #expect(abs(run.potentialEnergies[steps - 1].item - s.potentialEnergy.item) < 1e-9)
        #expect(try !list.needsRebuild(run.positions.doubles, box: box))
    }
}
