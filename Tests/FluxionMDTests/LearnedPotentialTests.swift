import Fluxion
@testable import FluxionMD
import FluxionNN
import Testing

@Suite("Learned potential")
struct LearnedPotentialTests {
    /// Four 32-atom LJ configurations (fcc 2×2×2 at ρ = 0.9, jittered) labelled by the reference.
    static func data() throws -> [LabelledConfiguration] {
        let lj = try LennardJones(sigma: 1, epsilon: 1, cutoff: .distance(2.0), truncation: .smooth(onset: 1.6))
        let (x, box) = try Lattice.fcc.positions(cells: [2, 2, 2], density: 0.9)
        return try (0..<4).map { k in
            let y = x + Random.uniform(PRNGKey(seed: k), shape: x.shape, low: -0.08, high: 0.08)
            let r = try ForceField.pairs(lj)(y, box: box)
            return LabelledConfiguration(positions: y.doubles, box: box, energy: r.energy.item, forces: r.forces.doubles)
        }
    }

    static func potential(_ batch: ConfigurationBatch) throws -> NeuralPotential {
        let descriptors = try SymmetryFunctions.evenlySpaced(count: 6, from: 0.8, cutoff: 2.0)
        let stats = batch.statistics(descriptors)
        return NeuralPotential(descriptors: descriptors, hidden: [8], key: PRNGKey(seed: 1), mean: stats.mean, scale: stats.scale,
                               offset: stats.energyPerAtom)
    }

    /// Descriptors are invariant to rotations, translations and the order of the atoms; forces are
    /// −∂E/∂x (central differences), and the batched energies equal the neighbor-list energy function.
    @Test func invariancesAndForces() throws {
        let data = try Self.data()
        let batch = try ConfigurationBatch([data[0]], cutoff: 2.0)
        let p = try Self.potential(batch)
        let box = data[0].box
        let x = Tensor(data[0].positions, shape: [32, 3])
        let list = try NeighborList(positions: x, box: box, cutoff: 2.0, skin: 0.3)
        let energy = p.energy(neighbors: list)
        let e = energy(x, box.matrix).item
        #expect(abs(batch.predict(p).energies.item - e) < 1e-10)
        // Translation (wrapped) and permutation.
        let moved = Space(box).wrap(x + Tensor([0.37, -1.1, 2.3]))
        #expect(abs(try ForceField.neighborEnergy(cutoff: 2.0) { p.energy(neighbors: $0) }(moved, box: box).energy.item - e) < 1e-10)
        let order = Tensor((0..<32).map { Int64((7 * $0 + 3) % 32) })
        let permuted = x.gathering(order, alongAxis: 0)
        #expect(abs(try ForceField.neighborEnergy(cutoff: 2.0) { p.energy(neighbors: $0) }(permuted, box: box).energy.item - e) < 1e-10)
        // Rotation: rotate the atoms and the cell together.
        let c = 0.6, s = 0.8
        let rotation = [[c, -s, 0], [s, c, 0], [0, 0, 1.0]]
        let rotatedBox = try box.deformed(by: rotation)
        let rotated = matmul(x, Tensor(rotation.flatMap { $0 }, shape: [3, 3]))
        #expect(abs(try ForceField.neighborEnergy(cutoff: 2.0) { p.energy(neighbors: $0) }(rotated, box: rotatedBox).energy.item - e) < 1e-9)
        // Forces against central differences.
        let forces = batch.predict(p).forces.doubles
        let h = 1e-6
        for k in [0, 17, 95] {
            var plus = data[0].positions, minus = data[0].positions
            plus[k] += h; minus[k] -= h
            let numeric = -(energy(Tensor(plus, shape: [32, 3]), box.matrix).item - energy(Tensor(minus, shape: [32, 3]), box.matrix).item) / (2 * h)
            #expect(abs(numeric - forces[k]) < 1e-6 * max(1, abs(numeric)), "force \(k): \(forces[k]) vs \(numeric)")
        }
    }

    /// The loss's gradient with respect to a network weight — through the forces, so second order —
    /// equals central differences; and training lowers the loss and the held-out force error.
    @Test func trainingOnEnergiesAndForces() throws {
        let data = try Self.data()
        let train = try ConfigurationBatch(Array(data[0..<3]), cutoff: 2.0)
        let test = try ConfigurationBatch([data[3]], cutoff: 2.0)
        let p = try Self.potential(train)
        let g = grad { (q: NeuralPotential) in train.loss(q, forceWeight: 1) }(p)
        let analytic = g.network.layers[0].weight.doubles[5]
        let h = 1e-6
        func lossWith(_ delta: Double) -> Double {
            var q = p
            var w = q.network.layers[0].weight.doubles
            w[5] += delta
            q.network.layers[0].weight = Tensor(w, shape: q.network.layers[0].weight.shape)
            return train.loss(q, forceWeight: 1).item
        }
        let numeric = (lossWith(h) - lossWith(-h)) / (2 * h)
        #expect(abs(numeric - analytic) < 1e-6 * max(1, abs(numeric)), "\(analytic) vs \(numeric)")

        let before = (train.loss(p, forceWeight: 1).item, test.errors(p).force)
        var options = FitOptions()
        options.adamSteps = 300
        options.lbfgsIterations = 150
        options.learningRate = 1e-2
        let fitted = try NeuralPotential.fit(p, to: train, options: options)
        let after = (train.loss(fitted, forceWeight: 1).item, test.errors(fitted).force)
        #expect(after.0 < before.0 / 10, "loss \(before.0) → \(after.0)")
        #expect(after.1 < before.1 / 2, "held-out force RMSE \(before.1) → \(after.1)")
    }
}
