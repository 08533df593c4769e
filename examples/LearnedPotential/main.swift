// A Behler–Parrinello neural-network potential learned from a Lennard-Jones reference: liquid
// configurations at three temperatures are labelled with the reference's energies and forces, a
// network of radial symmetry functions is trained on both (the force loss is second order, through
// the neighbor pairs), its errors are measured on held-out configurations, and then it drives an NVE
// run whose energy drift is reported. Exits non-zero when the errors or the drift are too large.
import Fluxion
import FluxionMD
import FluxionNN
import Foundation

let reference = try LennardJones(sigma: 1, epsilon: 1, cutoff: .distance(2.5), truncation: .smooth(onset: 2.0))
let field = ForceField.pairs(reference, skin: 0.3)
let (lattice, box) = try Lattice.fcc.positions(cells: [3, 3, 3], density: 0.8442)
let n = lattice.shape[0]
let masses = Tensor.ones([n])

// Data: snapshots of Langevin runs at T = 0.7, 1.0 and 1.3, every 40 steps after melting.
var data: [LabelledConfiguration] = []
for (k, t) in [0.7, 1.0, 1.3].enumerated() {
    let langevin = try Langevin(timeStep: 0.005, temperature: t, friction: 2)
    let v = initialVelocities(masses: masses, temperature: t, key: PRNGKey(seed: k), dimension: 3)
    var s = try langevin.initialize(positions: lattice, velocities: v, masses: masses, box: box, key: PRNGKey(seed: 10 + k),
                                    forces: field.forces)
    for step in 1...(600 + 12 * 40) {
        s = try langevin.step(s, forces: field.forces)
        if step > 600 && step % 40 == 0 {
            data.append(LabelledConfiguration(positions: s.positions.doubles, box: box, energy: s.potentialEnergy.item,
                                              forces: s.forces.doubles))
        }
    }
}
// Every fourth configuration is held out.
let training = data.enumerated().filter { $0.offset % 4 != 0 }.map(\.element)
let heldOut = data.enumerated().filter { $0.offset % 4 == 0 }.map(\.element)
print("\(training.count) training and \(heldOut.count) held-out configurations of \(n) atoms")

let descriptors = try SymmetryFunctions.evenlySpaced(count: 24, from: 0.8, cutoff: 2.5)
let train = try ConfigurationBatch(training, cutoff: descriptors.cutoff)
let test = try ConfigurationBatch(heldOut, cutoff: descriptors.cutoff)
let stats = train.statistics(descriptors)
var potential = NeuralPotential(descriptors: descriptors, hidden: [24, 24], key: PRNGKey(seed: 7), mean: stats.mean,
                                scale: stats.scale, offset: stats.energyPerAtom)
let started = Date()
var options = FitOptions()
options.adamSteps = 800
options.lbfgsIterations = 400
potential = try NeuralPotential.fit(potential, to: train, options: options) { step, loss in
    if step % 500 == 0 || step > options.adamSteps { print(String(format: "step %5d  loss %.3e", step, loss)) }
}
let trainErrors = train.errors(potential), testErrors = test.errors(potential)
let forceScale = sqrt((test.forces * test.forces).mean()).item
print(String(format: "trained in %.0f s; RMSE energy/atom: train %.2e, held out %.2e; force: train %.2e, held out %.2e (forces' RMS %.2f)",
             Date().timeIntervalSince(started), trainErrors.energyPerAtom, testErrors.energyPerAtom, trainErrors.force,
             testErrors.force, forceScale))

// NVE with the learned potential from a held-out configuration, beside the reference potential
// from the same state: the learned one's energy must be conserved about as well.
func nveDeviation(_ forces: ForceField) throws -> (drift: Double, largest: Double, temperature: Double) {
    let nve = try VelocityVerlet(timeStep: 0.005)
    var s = try nve.initialize(positions: Tensor(heldOut[0].positions, shape: [n, 3]),
                               velocities: initialVelocities(masses: masses, temperature: 1.0, key: PRNGKey(seed: 99), dimension: 3),
                               masses: masses, box: box, key: PRNGKey(seed: 0), forces: forces.forces)
    let e0 = s.totalEnergy.item
    var largest = 0.0
    for _ in 0..<500 {
        s = try nve.step(s, forces: forces.forces)
        largest = max(largest, abs(s.totalEnergy.item - e0))
    }
    return ((s.totalEnergy.item - e0) / Double(n), largest / Double(n), temperature(s))
}
let learned = try nveDeviation(.neighborEnergy(cutoff: descriptors.cutoff, skin: 0.5) { list in potential.energy(neighbors: list) })
let exact = try nveDeviation(.pairs(reference, skin: 0.3))
print(String(format: "NVE, 500 steps, energy per atom: learned potential drift %.2e, largest deviation %.2e (T %.3f); reference potential %.2e, %.2e",
             learned.drift, learned.largest, learned.temperature, exact.drift, exact.largest))
guard testErrors.force < 0.15 * forceScale, testErrors.energyPerAtom < 0.02 else { print("FAILED: the potential is not accurate"); exit(1) }
guard learned.largest < 3 * exact.largest + 1e-4 else { print("FAILED: NVE with the learned potential does not conserve energy"); exit(1) }
print("ok")
