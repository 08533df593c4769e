// A Lennard-Jones crystal melts: 864 atoms from an fcc lattice at ρ = 0.8442 with velocities for
// T = 1.44 (LAMMPS's in.lj), 2000 velocity-Verlet steps. Checks the physics and exits non-zero if
// it is wrong: the total energy is conserved, the momentum stays zero, the crystal melts (its
// temperature falls to about half as kinetic energy turns into potential, and g(r) loses its
// crystalline peaks), and atoms diffuse.
import Fluxion
import FluxionMD
import Foundation

let (positions, box) = try Lattice.fcc.positions(cells: [6, 6, 6], density: 0.8442)
let n = positions.shape[0]
let masses = Tensor.ones([n])
let velocities = initialVelocities(masses: masses, temperature: 1.44, key: PRNGKey(seed: 1), dimension: 3)
let lj = try LennardJones(sigma: 1, epsilon: 1, cutoff: .distance(2.5), truncation: .shifted)
let simulation = Simulation(integrator: try VelocityVerlet(timeStep: 0.005), forces: .pairs(lj, skin: 0.3), steps: 2000)
simulation.thermoEvery = 200
simulation.rdfEvery = 20
simulation.rdfRange = 3.5
var state = try simulation.start(positions: positions, velocities: velocities, masses: masses, box: box, key: PRNGKey(seed: 2))
let crystal = try RadialDistribution(maximum: 3.5, bins: 70)
var crystalRDF = crystal
try crystalRDF.add(state.positions.doubles, box: box)
(state, _) = try simulation.run(state, report: { report in
    let r = report.record
    print(String(format: "step %5d  T %.4f  E/N %.6f  P %.4f  MSD %.4f", r.step, r.temperature, r.totalEnergy / Double(n),
                 r.pressure, r.meanSquareDisplacement))
    return true
})
let log = simulation.thermo
let e0 = log.first!.totalEnergy, drift = log.map { abs($0.totalEnergy - e0) }.max()! / abs(e0)
let momentum = state.momentum.doubles.map(abs).max()!
let liquid = simulation.rdf!.values, solid = crystalRDF.values
print(String(format: "energy: largest relative change %.2e; momentum %.1e; T %.3f; g(r) peak %.2f (crystal %.2f); MSD %.3f",
             drift, momentum, log.last!.temperature, liquid.max()!, solid.max()!, log.last!.meanSquareDisplacement))
guard drift < 1e-3 else { print("FAILED: energy not conserved"); exit(1) }
guard momentum < 1e-9 else { print("FAILED: momentum not conserved"); exit(1) }
guard log.last!.temperature < 1.0, liquid.max()! < solid.max()! / 2 else { print("FAILED: the crystal did not melt"); exit(1) }
guard log.last!.meanSquareDisplacement > 0.2 else { print("FAILED: no diffusion"); exit(1) }
print("ok")
