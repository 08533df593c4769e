import Fluxion
@testable import FluxionMD
import Testing

@Suite("Integrators and minimizers")
struct DynamicsTests {
    /// An LJ liquid of 108 atoms (fcc 3×3×3 at ρ = 0.8), shifted cut at 2.5.
    static func liquid(temperature t: Double = 1.0, seed: Int = 1) throws -> (x: Tensor, v: Tensor, m: Tensor, box: SimulationBox, field: ForceField) {
        let (x, box) = try Lattice.fcc.positions(cells: [3, 3, 3], density: 0.8)
        let m = Tensor.ones([108])
        let v = initialVelocities(masses: m, temperature: t, key: PRNGKey(seed: seed), dimension: 3)
        let lj = try LennardJones(sigma: 1, epsilon: 1, cutoff: .distance(2.5), truncation: .shifted)
        return (x, v, m, box, .pairs(lj, skin: 0.3))
    }

    /// Independent harmonic wells `E = ½k|x|²` in open space: the exact canonical averages are known.
    static var wells: Forces { { x, _ in
        ForceEvaluation(energy: 0.5 * (x * x).sum(), forces: -x, virial: Tensor.zeros([3, 3]))
    } }

    @Test func initialVelocitiesHaveTheTemperatureAndNoMomentum() throws {
        let m = Tensor((0..<50).map { 1 + Double($0 % 3) })
        let v = initialVelocities(masses: m, temperature: 1.7, key: PRNGKey(seed: 3), dimension: 3)
        let state = try VelocityVerlet(timeStep: 0.005).initialize(
            positions: Tensor.zeros([50, 3]), velocities: v, masses: m, box: .free(), key: PRNGKey(seed: 0), forces: Self.wells)
        #expect(abs(temperature(state) - 1.7) < 1e-12)
        #expect(state.momentum.doubles.allSatisfy { abs($0) < 1e-12 })
    }

    /// NVE: total energy fluctuates by a small fraction and does not drift; momentum is conserved to rounding.
    @Test func velocityVerletConservesEnergyAndMomentum() throws {
        let (x, v, m, box, field) = try Self.liquid()
        let nve = try VelocityVerlet(timeStep: 0.005)
        var s = try nve.initialize(positions: x, velocities: v, masses: m, box: box, key: PRNGKey(seed: 0), forces: field.forces)
        let e0 = s.totalEnergy.item
        var energies: [Double] = []
        for _ in 0..<600 {
            s = try nve.step(s, forces: field.forces)
            energies.append(s.totalEnergy.item)
        }
        let spread = energies.map { abs($0 - e0) }.max()!
        #expect(spread < 2e-3 * abs(e0), "energy spread \(spread) of \(e0)")
        let drift = abs(energies.suffix(100).reduce(0, +) / 100 - energies.prefix(100).reduce(0, +) / 100)
        #expect(drift < 5e-4 * abs(e0), "drift \(drift)")
        #expect(s.momentum.doubles.allSatisfy { abs($0) < 1e-11 }, "momentum \(s.momentum.doubles)")
        #expect(field.neighborList!.buildCount > 1)   // the list was rebuilt along the way
        // Time step halved ⇒ the energy error falls about fourfold (second order).
        let half = try VelocityVerlet(timeStep: 0.0025)
        var t = try half.initialize(positions: x, velocities: v, masses: m, box: box, key: PRNGKey(seed: 0), forces: field.forces)
        var halfSpread = 0.0
        for _ in 0..<200 { t = try half.step(t, forces: field.forces); halfSpread = max(halfSpread, abs(t.totalEnergy.item - e0)) }
        let fullSpread = energies.prefix(100).map { abs($0 - e0) }.max()!
        #expect(halfSpread < fullSpread / 2.5, "dt/2: \(halfSpread) vs dt: \(fullSpread)")
    }

    /// Langevin in harmonic wells: ⟨K⟩ = dN·kT/2 and Var K = dN·(kT)²/2, ⟨U⟩ = dN·kT/2, within 4 standard errors.
    @Test func langevinSamplesTheCanonicalDistribution() throws {
        let n = 100, kT = 1.5
        let integrator = try Langevin(timeStep: 0.01, temperature: kT, friction: 2)
        var s = try integrator.initialize(positions: Tensor.zeros([n, 3]), velocities: Tensor.zeros([n, 3]), masses: Tensor.ones([n]),
                                          box: .free(), key: PRNGKey(seed: 9), forces: Self.wells)
        for _ in 0..<300 { s = try integrator.step(s, forces: Self.wells) }
        var kinetic: [Double] = [], potential: [Double] = []
        for step in 0..<6000 {
            s = try integrator.step(s, forces: Self.wells)
            if step % 50 == 0 { kinetic.append(s.kineticEnergy.item); potential.append(s.potentialEnergy.item) }
        }
        let dof = Double(3 * n)
        let mean = kinetic.reduce(0, +) / Double(kinetic.count)
        let variance = kinetic.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(kinetic.count - 1)
        let error = (dof * kT * kT / 2 / Double(kinetic.count)).squareRoot()
        #expect(abs(mean - dof * kT / 2) < 4 * error, "⟨K⟩ = \(mean), expected \(dof * kT / 2) ± \(error)")
        #expect(abs(variance / (dof * kT * kT / 2) - 1) < 0.35, "Var K = \(variance), expected \(dof * kT * kT / 2)")
        let meanU = potential.reduce(0, +) / Double(potential.count)
        #expect(abs(meanU - dof * kT / 2) < 4 * error * 1.2, "⟨U⟩ = \(meanU)")
    }

    /// Brownian dynamics in harmonic wells: ⟨x²⟩ = kT/k per coordinate.
    @Test func brownianSamplesTheBoltzmannDistribution() throws {
        let n = 100, kT = 0.7
        let integrator = try Brownian(timeStep: 0.01, temperature: kT, friction: 1)
        var s = try integrator.initialize(positions: Tensor.zeros([n, 3]), velocities: Tensor.zeros([n, 3]), masses: Tensor.ones([n]),
                                          box: .free(), key: PRNGKey(seed: 4), forces: Self.wells)
        for _ in 0..<300 { s = try integrator.step(s, forces: Self.wells) }
        var samples: [Double] = []
        for step in 0..<4000 {
            s = try integrator.step(s, forces: Self.wells)
            if step % 100 == 0 { samples.append((s.positions * s.positions).mean().item) }
        }
        let mean = samples.reduce(0, +) / Double(samples.count)
        // Exact for the discretization x ← (1 − dt)x + √(2kT dt)ξ: kT/(1 − dt/2).
        let exact = kT / (1 - 0.005)
        let error = exact * (2.0 / Double(3 * n * samples.count)).squareRoot()
        #expect(abs(mean - exact) < 4 * error, "⟨x²⟩ = \(mean), expected \(exact) ± \(error)")
    }

    /// Nosé–Hoover chain on the LJ liquid: the extended energy is conserved, and the kinetic
    /// temperature averages to the target.
    @Test func noseHooverChainThermostats() throws {
        let (x, v, m, box, field) = try Self.liquid(temperature: 0.5)
        let nhc = try NoseHooverChain(timeStep: 0.005, temperature: 1.2, timeScale: 0.25)
        var s = try nhc.initialize(positions: x, velocities: v, masses: m, box: box, key: PRNGKey(seed: 0), forces: field.forces)
        let h0 = nhc.conservedEnergy(s)
        var temperatures: [Double] = []
        var worst = 0.0
        for step in 0..<1600 {
            s = try nhc.step(s, forces: field.forces)
            worst = max(worst, abs(nhc.conservedEnergy(s) - h0))
            if step >= 500 && step % 5 == 0 { temperatures.append(temperature(s)) }
        }
        let mean = temperatures.reduce(0, +) / Double(temperatures.count)
        #expect(abs(mean - 1.2) < 0.06, "⟨T⟩ = \(mean)")
        // Canonical kinetic-energy fluctuations: Var T = 2T²/N_f (N_f = 321); ±40% for the correlated samples.
        let variance = temperatures.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(temperatures.count - 1)
        let expected = 2 * 1.2 * 1.2 / 321
        #expect(abs(variance / expected - 1) < 0.4, "Var T = \(variance), canonical \(expected)")
        #expect(worst < 0.02 * abs(h0), "extended energy drifted by \(worst) of \(h0)")
        #expect(abs(s.totalEnergy.item - h0) > 10 * worst, "the thermostat must have changed the physical energy")
    }

    /// FIRE finds the 13-atom Lennard-Jones cluster's icosahedral minimum, −44.326801 (Wales & Doye).
    @Test func fireFindsTheLJ13Minimum() throws {
        var x: [Double] = [0, 0, 0]
        let phi = (1 + 5.0.squareRoot()) / 2, r = 1.1
        for (a, b) in [(1.0, phi), (-1, phi), (1, -phi), (-1, -phi)] {
            x += [0, a, b].map { $0 * r / (1 + phi * phi).squareRoot() }
            x += [a, b, 0].map { $0 * r / (1 + phi * phi).squareRoot() }
            x += [b, 0, a].map { $0 * r / (1 + phi * phi).squareRoot() }
        }
        var rng = Lcg(8)
        x = x.map { $0 + (rng.next() - 0.5) * 0.1 }
        let field = ForceField.pairs(try LennardJones(sigma: 1, epsilon: 1, cutoff: .distance(10)))
        let fire = try FIRE()
        let start = try fire.initialize(positions: Tensor(x, shape: [13, 3]), velocities: Tensor.zeros([13, 3]),
                                        masses: Tensor.ones([13]), box: .free(), key: PRNGKey(seed: 0), forces: field.forces)
        let (end, stop) = try minimize(start, with: fire, forces: field.forces, forceTolerance: 1e-8, maximumSteps: 5000)
        #expect(stop == .forceTolerance)
        #expect(abs(end.potentialEnergy.item + 44.326801) < 1e-6, "E = \(end.potentialEnergy.item)")
        // Gradient descent goes downhill too (slowly).
        let (gd, _) = try minimize(start, with: GradientDescent(step: 1e-3), forces: field.forces, maximumSteps: 200)
        #expect(gd.potentialEnergy.item < start.potentialEnergy.item)
    }
}
