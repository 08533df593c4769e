import Fluxion
@testable import FluxionMD
import Testing

@Suite("Bonds and angles")
struct BondedTests {
    /// A water-like triatomic across the periodic boundary: its energy from the known geometry.
    @Test func knownEnergies() throws {
        let box = SimulationBox.cubic(5)
        // O at the cell's corner, H's through the boundary: bond lengths 1.1 and 0.9, angle 90°.
        let x = Tensor([0.05, 0.05, 0.0, 0.05 - 1.1 + 5, 0.05, 0.0, 0.05, 0.05 + 0.9, 0.0], shape: [3, 3])
        let bonds = try HarmonicBonds([(0, 1), (0, 2)], stiffness: 100, length: 1.0)
        let angles = try HarmonicAngles([(1, 0, 2)], stiffness: 50, angle: 100 * Double.pi / 180)
        let eb = bonds.energy(box)(x, box.matrix).item, ea = angles.energy(box)(x, box.matrix).item
        #expect(abs(eb - 0.5 * 100 * (0.01 + 0.01)) < 1e-12)
        let bend = 10 * Double.pi / 180
        #expect(abs(ea - 0.5 * 50 * bend * bend) < 1e-12)
    }

    /// Forces are −∂E/∂x and the virial −∂E/∂ε (central differences), for bonds and angles of chains
    /// that cross the boundaries of a triclinic cell, including a nearly straight angle; an exactly
    /// straight one (a cusp of θ) has finite forces.
    @Test func forcesAndVirialAreDerivatives() throws {
        let box = try SimulationBox(lengths: [6, 6.5, 7], tilts: (xy: 1.2, xz: -0.8, yz: 0.5))
        var rng = Lcg(4)
        var x: [Double] = []
        for chain in 0..<3 {
            var p = [5.5, 6.0 - Double(chain), 6.5]
            for _ in 0..<5 {
                x += p
                p = zip(p, [0.8, 0.3, -0.4]).map { $0 + $1 + (rng.next() - 0.5) * 0.3 }
            }
        }
        x += [1, 1, 1, 2, 1, 1, 3, 1.02, 1]       // a nearly straight triple
        let n = x.count / 3
        var bondList: [(Int, Int)] = [], angleList: [(Int, Int, Int)] = []
        for chain in 0..<3 {
            for k in 0..<4 { bondList.append((5 * chain + k, 5 * chain + k + 1)) }
            for k in 0..<3 { angleList.append((5 * chain + k, 5 * chain + k + 1, 5 * chain + k + 2)) }
        }
        angleList.append((15, 16, 17))
        let bonds = try HarmonicBonds(bondList, stiffness: 30, length: 0.9)
        let angles = try HarmonicAngles(angleList, stiffness: 8, angle: 2.0)
        let field = ForceField.energy(bonds.energy(box)) + ForceField.energy(angles.energy(box))
        let at = try field(Tensor(x, shape: [n, 3]), box: box)
        func energy(_ y: [Double], _ b: SimulationBox) throws -> Double {
            try field(Tensor(y, shape: [n, 3]), box: b).energy.item
        }
        let h = 1e-6
        let forces = at.forces.doubles
        for k in [0, 7, 22, 44, 45, 49, 52] {
            var plus = x, minus = x
            plus[k] += h; minus[k] -= h
            let numeric = -(try energy(plus, box) - energy(minus, box)) / (2 * h)
            #expect(abs(numeric - forces[k]) < 1e-6 * max(1, abs(numeric)), "force \(k): \(forces[k]) vs \(numeric)")
        }
        var straight = x
        straight[52] = 1
        #expect(try field(Tensor(straight, shape: [n, 3]), box: box).forces.doubles.allSatisfy(\.isFinite))
        let virial = at.virial.doubles
        for (a, b) in [(0, 0), (0, 2), (1, 1), (2, 1)] {
            let numeric = try virialByStrain(a, b, positions: x, box: box, step: h, energy: energy)
            #expect(abs(numeric - virial[a * 3 + b]) < 1e-6 * max(1, abs(numeric)), "virial \(a)\(b): \(virial[a * 3 + b]) vs \(numeric)")
        }
    }

    /// Bead-spring chains (WCA between all beads, harmonic bonds and angles) in NVE: energy and
    /// momentum conserved with pair and bonded force fields summed.
    @Test func beadSpringChainsConserveEnergy() throws {
        let box = SimulationBox.cubic(8)
        var x: [Double] = [], bondList: [(Int, Int)] = [], angleList: [(Int, Int, Int)] = []
        for chain in 0..<8 {
            for k in 0..<6 {
                x += [1 + Double(chain % 4) * 2, 1 + Double(chain / 4) * 4 + Double(k % 2) * 0.25, 0.5 + Double(k) * 0.95]
                if k > 0 { bondList.append((6 * chain + k - 1, 6 * chain + k)) }
                if k > 1 { angleList.append((6 * chain + k - 2, 6 * chain + k - 1, 6 * chain + k)) }
            }
        }
        let field = ForceField.pairs(try LennardJones.wca(), skin: 0.4)
            + ForceField.energy(try HarmonicBonds(bondList, stiffness: 100, length: 0.97).energy(box))
            + ForceField.energy(try HarmonicAngles(angleList, stiffness: 5, angle: 2.6).energy(box))
        let m = Tensor.ones([48])
        let nve = try VelocityVerlet(timeStep: 0.002)
        var s = try nve.initialize(positions: Tensor(x, shape: [48, 3]),
                                   velocities: initialVelocities(masses: m, temperature: 1, key: PRNGKey(seed: 3), dimension: 3),
                                   masses: m, box: box, key: PRNGKey(seed: 0), forces: field.forces)
        let e0 = s.totalEnergy.item
        var worst = 0.0
        for _ in 0..<400 {
            s = try nve.step(s, forces: field.forces)
            worst = max(worst, abs(s.totalEnergy.item - e0))
        }
        #expect(worst < 1e-3 * Double(48), "energy moved by \(worst) (E₀ = \(e0))")
        #expect(s.momentum.doubles.allSatisfy { abs($0) < 1e-10 })
    }

    @Test func badDefinitionsAreThrownErrors() {
        #expect(throws: MDError.self) { try HarmonicBonds([(1, 1)], stiffness: 1, length: 1) }
        #expect(throws: MDError.self) { try HarmonicBonds([(0, 1)], stiffness: Tensor([1.0, 2.0]), length: Tensor(1.0)) }
        #expect(throws: MDError.self) { try HarmonicAngles([(0, 1, 0)], stiffness: 1, angle: 2) }
    }
}
