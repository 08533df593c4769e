import Benchmark
import Fluxion
import FluxionMD

/// W8: Lennard-Jones fluid from an fcc lattice (ρ = 0.8442, T = 0.72, r_c = 2.5 plain cut, skin 0.3,
/// dt = 0.005), NVE velocity Verlet with the neighbor list checked every step; one iteration is 100
/// steps (steps/s = 100 / median). Beside LAMMPS (2 MPI ranks) and JAX MD in
/// `Benchmarks/peers/md_w8.py`, which also reports drift and peak memory. Also the neighbor-list
/// build alone and one fused force evaluation.
func mdBenchmarks() {
    for cells in [10, 20] {
        let atoms = 4 * cells * cells * cells
        Benchmark("W8 LJ NVE 100 steps, \(atoms) atoms / Fluxion",
                  configuration: .init(maxDuration: .seconds(cells == 10 ? 5 : 20), maxIterations: 20)) { benchmark in
            let (x, box) = try Lattice.fcc.positions(cells: [cells, cells, cells], density: 0.8442)
            let m = Tensor.ones([atoms])
            let v = initialVelocities(masses: m, temperature: 0.72, key: PRNGKey(seed: 1), dimension: 3)
            let field = ForceField.pairs(try LennardJones(sigma: 1, epsilon: 1, cutoff: .distance(2.5)), skin: 0.3)
            let nve = try VelocityVerlet(timeStep: 0.005)
            var s = try nve.initialize(positions: x, velocities: v, masses: m, box: box, key: PRNGKey(seed: 0), forces: field.forces)
            // Melt first, so the measured steps are a liquid's (neighbor lists rebuilt as in W8).
            for _ in 0..<200 { s = try nve.step(s, forces: field.forces) }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                for _ in 0..<100 { s = try nve.step(s, forces: field.forces) }
                blackHole(s.potentialEnergy)
            }
        }
        Benchmark("W8 neighbor-list build, \(atoms) atoms / Fluxion") { benchmark in
            let (x, box) = try Lattice.fcc.positions(cells: [cells, cells, cells], density: 0.8442)
            let positions = x.doubles
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try NeighborList(positions: positions, box: box, cutoff: 2.5, skin: 0.3).pairCount)
            }
        }
    }
}
