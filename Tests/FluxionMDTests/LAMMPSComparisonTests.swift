import Fluxion
@testable import FluxionMD
import Foundation
import Testing

/// FluxionMD against LAMMPS (values made by scripts/make-md-references.py with Debian's LAMMPS).
@Suite("Against LAMMPS")
struct LAMMPSComparisonTests {
    struct SinglePoint: Decodable {
        let lengths: [Double], tilts: [Double], positions: [Double], energy: Double, forces: [Double], virial: [Double]
    }
    struct NVE: Decodable {
        let positions: [Double], velocities: [Double], length: Double, steps: Int, timeStep: Double
        let energies: [Double], maximumDeviation: Double, finalDeviation: Double
    }
    struct Minimum: Decodable { let positions: [Double], length: Double, energy: Double }
    struct References: Decodable { let cubic: SinglePoint, triclinic: SinglePoint, nve: NVE, fire: Minimum, lammps: String }

    static let references: References = {
        let url = Bundle.module.url(forResource: "lammps_lj", withExtension: "json", subdirectory: "Reference")!
        return try! JSONDecoder().decode(References.self, from: Data(contentsOf: url))
    }()

    static let lj = try! LennardJones(sigma: 1, epsilon: 1, cutoff: .distance(2.5))

    /// Energy, forces and virial of 256 atoms in a cubic and in a triclinic cell, by the fused loop and
    /// by autodiff: relative 1e-10.
    @Test(arguments: ["cubic", "triclinic"])
    func singlePoint(cell: String) throws {
        let r = cell == "cubic" ? Self.references.cubic : Self.references.triclinic
        let box = try SimulationBox(lengths: r.lengths, tilts: (r.tilts[0], r.tilts[1], r.tilts[2]))
        let x = Tensor(r.positions, shape: [r.positions.count / 3, 3])
        for field in [ForceField.pairs(Self.lj), ForceField.autodiff(Self.lj)] {
            let result = try field(x, box: box)
            #expect(abs(result.energy.item - r.energy) <= 1e-10 * abs(r.energy), "\(cell): E = \(result.energy.item) vs \(r.energy)")
            let forces = result.forces.doubles
            let scale = r.forces.map(abs).max()!
            let worst = zip(forces, r.forces).map { abs($0 - $1) }.max()!
            #expect(worst <= 1e-10 * scale, "\(cell): forces differ by \(worst) (largest \(scale))")
            let virial = result.virial.doubles
            let vscale = r.virial.map(abs).max()!
            #expect(zip(virial, r.virial).allSatisfy { abs($0 - $1) <= 1e-10 * vscale }, "\(cell): virial \(virial) vs \(r.virial)")
        }
    }

    /// NVE from LAMMPS's initial state (500 atoms, plain cut at 2.5, dt = 0.005, 1000 steps): the
    /// energy's largest deviation (sampled every 10 steps, as LAMMPS's thermo output) and its final
    /// drift are no larger than LAMMPS's (to rounding: the two runs follow the same trajectory, so
    /// the energy is also compared with LAMMPS's step by step).
    @Test func nveDriftNoLargerThanLAMMPS() throws {
        let r = Self.references.nve
        let box = SimulationBox.cubic(r.length)
        let field = ForceField.pairs(Self.lj, skin: 0.3)
        let nve = try VelocityVerlet(timeStep: r.timeStep)
        var s = try nve.initialize(positions: Tensor(r.positions, shape: [500, 3]), velocities: Tensor(r.velocities, shape: [500, 3]),
                                   masses: Tensor.ones([500]), box: box, key: PRNGKey(seed: 0), forces: field.forces)
        let e0 = s.totalEnergy.item
        #expect(abs(e0 - r.energies[0]) <= 1e-10 * abs(e0), "initial energy \(e0) vs LAMMPS \(r.energies[0])")
        var deviation = 0.0, apart = 0.0
        for step in 1...r.steps {
            s = try nve.step(s, forces: field.forces)
            if step % 10 == 0 {
                deviation = max(deviation, abs(s.totalEnergy.item - e0))
                apart = max(apart, abs(s.totalEnergy.item - r.energies[step / 10]))
            }
        }
        let final = abs(s.totalEnergy.item - e0)
        #expect(deviation <= r.maximumDeviation * (1 + 1e-8), "largest deviation \(deviation), LAMMPS \(r.maximumDeviation)")
        #expect(final <= r.finalDeviation * (1 + 1e-6), "final drift \(final), LAMMPS \(r.finalDeviation)")
        #expect(apart <= 1e-7 * abs(e0), "the energy left LAMMPS's by \(apart)")
        #expect(s.momentum.doubles.allSatisfy { abs($0) < 1e-10 })
    }

    /// FIRE from LAMMPS's jittered crystal reaches LAMMPS's `min_style fire` minimum.
    @Test func fireReachesLAMMPSMinimum() throws {
        let r = Self.references.fire
        let field = ForceField.pairs(Self.lj, skin: 0.3)
        let fire = try FIRE()
        let start = try fire.initialize(positions: Tensor(r.positions, shape: [108, 3]), velocities: Tensor.zeros([108, 3]),
                                        masses: Tensor.ones([108]), box: .cubic(r.length), key: PRNGKey(seed: 0), forces: field.forces)
        let (end, stop) = try minimize(start, with: fire, forces: field.forces, forceTolerance: 1e-9, maximumSteps: 20_000)
        #expect(stop == .forceTolerance)
        #expect(abs(end.potentialEnergy.item - r.energy) <= 1e-9 * abs(r.energy), "E = \(end.potentialEnergy.item), LAMMPS \(r.energy)")
    }
}
