import Fluxion
@testable import FluxionMD
import Testing

@Suite("NPT")
struct NPTTests {
    /// An ideal gas of N atoms at pressure P₀ samples V^N e^{−βP₀V}: ⟨V⟩ = (N+1)kT/P₀ (the measures
    /// V^{N−1} and V^{N+1} would give N and N+2: 11% off for N = 8).
    @Test func idealGasVolume() throws {
        let n = 8, kT = 1.0, p0 = 1.0
        let npt = try LangevinNPT(timeStep: 0.01, temperature: kT, pressure: p0, friction: 5, compressibility: 1, timeScale: 0.5)
        let none: Forces = { x, _ in ForceEvaluation(energy: Tensor(0.0), forces: Tensor.zeros(like: x), virial: Tensor.zeros([3, 3])) }
        let box = SimulationBox.cubic(2.0)
        var s = try npt.initialize(positions: Tensor.zeros([n, 3]) + 0.5, velocities: Tensor.zeros([n, 3]), masses: Tensor.ones([n]),
                                   box: box, key: PRNGKey(seed: 5), forces: none)
        for _ in 0..<500 { s = try npt.step(s, forces: none) }
        var volumes: [Double] = []
        for step in 0..<16000 {
            s = try npt.step(s, forces: none)
            if step % 20 == 0 { volumes.append(s.box.volume) }
        }
        let mean = volumes.reduce(0, +) / Double(volumes.count)
        let exact = Double(n + 1) * kT / p0
        // The standard error with correlated samples (one per 20 steps, relaxation ≈ 50 steps): ~2%.
        #expect(abs(mean - exact) < 0.05 * exact, "⟨V⟩ = \(mean), expected \(exact)")
        #expect(s.box.vectors[0][0] == s.box.vectors[1][1] && s.box.vectors[0][1] == 0, "isotropic scaling keeps the cell cubic")
    }

    /// A Lennard-Jones crystal under the anisotropic barostat: every diagonal pressure averages to P₀.
    @Test func anisotropicBarostatReachesThePressure() throws {
        let (x, box) = try Lattice.fcc.positions(cells: [3, 3, 3], density: 1.0)
        let m = Tensor.ones([108])
        let field = ForceField.pairs(try LennardJones(sigma: 1, epsilon: 1, cutoff: .distance(2.5), truncation: .shifted), skin: 0.3)
        let npt = try LangevinNPT(timeStep: 0.005, temperature: 0.5, pressure: 2.0, friction: 2, compressibility: 0.05,
                                  timeScale: 0.5, anisotropic: true)
        var s = try npt.initialize(positions: x, velocities: initialVelocities(masses: m, temperature: 0.5, key: PRNGKey(seed: 1), dimension: 3),
                                   masses: m, box: box, key: PRNGKey(seed: 2), forces: field.forces)
        var sums = [0.0, 0.0, 0.0], count = 0.0
        for step in 0..<2400 {
            s = try npt.step(s, forces: field.forces)
            if step >= 800 && step % 4 == 0 {
                let p = pressureTensor(s).doubles
                for a in 0..<3 { sums[a] += p[a * 4] }
                count += 1
            }
        }
        let means = sums.map { $0 / count }
        #expect(means.allSatisfy { abs($0 - 2.0) < 0.3 }, "⟨P_αα⟩ = \(means)")
        let lengths = (0..<3).map { s.box.vectors[$0][$0] }
        #expect(lengths.max()! / lengths.min()! < 1.05, "a cubic crystal stays nearly cubic: \(lengths)")
        #expect(abs(s.box.volume - box.volume) > 1e-3 * box.volume, "the cell must have moved")
    }
}
