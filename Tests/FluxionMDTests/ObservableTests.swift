import Fluxion
@testable import FluxionMD
import Testing

@Suite("Observables")
struct ObservableTests {
    /// Free flight through a periodic triclinic cell: the unwrapper undoes the wrapping exactly, the
    /// MSD is ⟨v²⟩τ² and the VACF is ⟨v²⟩ at every lag.
    @Test func unwrappingMeanSquareDisplacementAndVelocityAutocorrelation() throws {
        let box = try SimulationBox(lengths: [3, 3.5, 4], tilts: (xy: 0.7, xz: -0.5, yz: 0.4))
        var rng = Lcg(2)
        let n = 20
        let x0 = Cells.randomPositions(n, in: box, seed: 3)
        let v = (0..<(3 * n)).map { _ in (rng.next() - 0.5) * 2 }
        let dt = 0.3   // moves of up to 0.3 per frame: well under half the cell
        var unwrapper = Unwrapper(x0)
        var frames = [x0], velocities = [v]
        for t in 1...40 {
            let exact = (0..<(3 * n)).map { x0[$0] + v[$0] * Double(t) * dt }
            unwrapper.add(box.wrap(exact), box: box)
            #expect(zip(unwrapper.positions, exact).allSatisfy { abs($0 - $1) < 1e-9 }, "frame \(t)")
            frames.append(unwrapper.positions)
            velocities.append(v)
        }
        var speed2 = 0.0
        for k in 0..<(3 * n) { speed2 += v[k] * v[k] }
        speed2 /= Double(n)
        let msd = meanSquareDisplacement(frames, maximumLag: 10)
        #expect(msd.count == 11)
        for (lag, value) in msd.enumerated() {
            #expect(abs(value - speed2 * Double(lag * lag) * dt * dt) < 1e-9 * max(1, value), "lag \(lag)")
        }
        #expect(velocityAutocorrelation(velocities, maximumLag: 5).allSatisfy { abs($0 - speed2) < 1e-12 })
    }

    /// An ideal gas's g(r) is 1 (uniform random points, every image counted), also beyond half the cell.
    @Test func idealGasRadialDistributionIsOne() throws {
        let box = SimulationBox.cubic(5)
        var rdf = try RadialDistribution(maximum: 3.0, bins: 6)
        for frame in 0..<20 { try rdf.add(Cells.randomPositions(150, in: box, seed: UInt64(100 + frame)), box: box) }
        // Counts per bin are in the hundreds to thousands: 15% allows for the innermost bin's noise.
        #expect(rdf.values.allSatisfy { abs($0 - 1) < 0.15 }, "g(r) = \(rdf.values)")
        #expect(throws: MDError.self) { try rdf.add([0, 0, 0], box: .free()) }
    }

    /// The pressure of an ideal gas is NkT/V from the kinetic term alone; the stress is its negative.
    @Test func idealGasPressure() throws {
        let m = Tensor.ones([1000])
        let v = initialVelocities(masses: m, temperature: 1.3, key: PRNGKey(seed: 4), dimension: 3)
        let none: Forces = { x, _ in ForceEvaluation(energy: Tensor(0.0), forces: Tensor.zeros(like: x), virial: Tensor.zeros([3, 3])) }
        let box = SimulationBox.cubic(10)
        let s = try VelocityVerlet(timeStep: 0.01).initialize(positions: Tensor(Cells.randomPositions(1000, in: box, seed: 1), shape: [1000, 3]),
                                                            velocities: v, masses: m, box: box, key: PRNGKey(seed: 0), forces: none)
        // 2K/(3V) with K = (3N − 3)kT/2.
        #expect(abs(pressure(s) - 1.3 * Double(3 * 1000 - 3) / 3 / 1000) < 1e-12)
        #expect(abs(stress(s).doubles[0] + pressureTensor(s).doubles[0]) < 1e-15)
    }
}
