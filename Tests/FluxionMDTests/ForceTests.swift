import Fluxion
@testable import FluxionMD
import FluxionTestSupport
import Testing

@Suite("Potentials and forces")
struct ForceTests {
    static func potentials() throws -> [(String, any PairPotential)] {
        [
            ("LJ plain", try LennardJones(sigma: 1, epsilon: 1, cutoff: .distance(2.5))),
            ("LJ shifted", try LennardJones(sigma: 1.1, epsilon: 0.8, cutoff: .sigmas(2.5), truncation: .shifted)),
            ("LJ smooth", try LennardJones(sigma: 1, epsilon: 1, cutoff: .distance(2.5), truncation: .smooth(onset: 2.0))),
            ("WCA", try LennardJones.wca()),
            ("Morse", try Morse(depth: 1.2, alpha: 3, r0: 1.2, cutoff: 2.6, truncation: .shifted)),
            ("soft sphere", try SoftSphere(sigma: 1.4, epsilon: 2)),
            ("Hertzian soft sphere", try SoftSphere(sigma: 1.4, epsilon: 2, exponent: 2.5)),
            ("two-species LJ", try LennardJones(sigma: Tensor([[1, 0.8], [0.8, 0.88]]), epsilon: Tensor([[1, 1.5], [1.5, 0.5]]),
                                                cutoff: .sigmas(2.5), truncation: .shifted)),
        ]
    }

    /// A configuration without overlaps: a jittered simple-cubic lattice filling the cell.
    static func configuration(_ box: SimulationBox, spacing: Double = 1.05, seed: UInt64 = 1) -> [Double] {
        var rng = Lcg(seed)
        let d = box.dimension
        let counts = box.widths.map { max(1, Int($0 / spacing)) }
        var out = [Double]()
        var index = [Int](repeating: 0, count: d)
        outer: while true {
            let s = (0..<d).map { (Double(index[$0]) + 0.5 + (rng.next() - 0.5) * 0.2) / Double(counts[$0]) }
            for c in 0..<d { out.append((0..<d).reduce(0) { $0 + s[$1] * box.vectors[$1][c] }) }
            var k = d - 1
            while k >= 0 { index[k] += 1; if index[k] < counts[k] { continue outer }; index[k] = 0; k -= 1 }
            break
        }
        return out
    }

    static func open<P: PairPotential>(_ p: P, species: [Int]?, _ pairs: Bool) -> ForceField {
        pairs ? .pairs(p, species: species, skin: 0.3) : .autodiff(p, species: species, skin: 0.3)
    }

    /// The fused loop gives the autodiff energy, forces and virial, for every potential in every cell
    /// shape (cubic, triclinic, smaller than twice the cutoff).
    @Test func fusedLoopEqualsAutodiff() throws {
        let cells: [SimulationBox] = [.cubic(5.3), try SimulationBox(lengths: [5, 5.5, 5.2], tilts: (xy: 1.1, xz: -0.7, yz: 0.9)),
                            try SimulationBox(lengths: [3.3, 3.6, 3.4], tilts: (xy: 0.5, xz: 0.3, yz: -0.4))]
        for (name, potential) in try Self.potentials() {
            for box in cells {
                let x = Self.configuration(box)
                let n = x.count / 3
                let species = potential.speciesCount > 1 ? (0..<n).map { $0 % 2 } : nil
                func both<P: PairPotential>(_ p: P) throws -> (ForceEvaluation, ForceEvaluation) {
                    let positions = Tensor(x, shape: [n, 3])
                    return (try Self.open(p, species: species, true)(positions, box: box),
                            try Self.open(p, species: species, false)(positions, box: box))
                }
                let (fused, autodiff) = try both(potential)
                #expect(abs(fused.energy.item - autodiff.energy.item) <= 1e-11 * max(1, abs(autodiff.energy.item)),
                        "\(name): energy \(fused.energy.item) vs \(autodiff.energy.item)")
                expectClose(fused.forces, autodiff.forces, rtol: 1e-10, atol: 1e-10)
                expectClose(fused.virial, autodiff.virial, rtol: 1e-10, atol: 1e-10)
            }
        }
    }

    /// Forces are −∂E/∂x and the virial −∂E/∂ε by central differences of the fused energy (float64).
    @Test func forcesAndVirialAreDerivativesOfTheEnergy() throws {
        let box = try SimulationBox(lengths: [5, 5.5, 5.2], tilts: (xy: 1.1, xz: -0.7, yz: 0.9))
        let x = Self.configuration(box, seed: 4)
        let n = x.count / 3
        for (name, potential) in try Self.potentials() where name != "LJ plain" {
            let species = potential.speciesCount > 1 ? (0..<n).map { $0 % 2 } : nil
            func field<P: PairPotential>(_ p: P) -> ForceField { .pairs(p, species: species, skin: 0.3) }
            let f = field(potential)
            let at = try f(Tensor(x, shape: [n, 3]), box: box)
            func energy(_ y: [Double], _ b: SimulationBox) throws -> Double { try field(potential)(Tensor(y, shape: [n, 3]), box: b).energy.item }
            let h = 1e-6
            let forces = at.forces.doubles
            for k in [0, 4, 3 * n / 2, 3 * n - 1] {
                var plus = x, minus = x
                plus[k] += h; minus[k] -= h
                let numeric = -(try energy(plus, box) - energy(minus, box)) / (2 * h)
                #expect(abs(numeric - forces[k]) <= 1e-6 * max(1, abs(forces[k])), "\(name): force \(k): \(forces[k]) vs \(numeric)")
            }
            let virial = at.virial.doubles
            for (a, b) in [(0, 0), (0, 1), (1, 2), (2, 2)] {
                let numeric = try virialByStrain(a, b, positions: x, box: box, step: h, energy: energy)
                #expect(abs(numeric - virial[a * 3 + b]) <= 1e-6 * max(1, abs(numeric)), "\(name): virial \(a)\(b): \(virial[a * 3 + b]) vs \(numeric)")
            }
        }
    }

    /// Analytic values: the LJ pair at its minimum, WCA's shift, Morse's well.
    @Test func knownValues() throws {
        let pair = Tensor([0.0, 0, 0, wcaCutoff, 0, 0], shape: [2, 3])
        let free = SimulationBox.free()
        let lj = try ForceField.pairs(LennardJones(sigma: 1, epsilon: 1, cutoff: .distance(2.5)))(pair, box: free)
        #expect(abs(lj.energy.item + 1) < 1e-14)
        #expect(lj.forces.doubles.allSatisfy { abs($0) < 1e-12 })
        let wca = try ForceField.pairs(LennardJones.wca())(Tensor([0.0, 0, 0, 1, 0, 0], shape: [2, 3]), box: free)
        #expect(abs(wca.energy.item - 1) < 1e-14)  // 4(1 − 1) + ε
        let morse = try ForceField.pairs(Morse(depth: 2, alpha: 1, r0: 1.5, cutoff: 4))(
            Tensor([0.0, 0, 0, 0, 1.5, 0], shape: [2, 3]), box: free)
        #expect(abs(morse.energy.item + 2) < 1e-14)
    }

    @Test func badParametersAreThrownErrors() {
        #expect(throws: MDError.self) { try LennardJones(sigma: -1, epsilon: 1) }
        #expect(throws: MDError.self) { try LennardJones(sigma: Tensor([[1, 2], [3, 1]]), epsilon: Tensor(1.0)) }
        #expect(throws: MDError.self) { try LennardJones(sigma: 1, epsilon: 1, cutoff: .distance(2), truncation: .smooth(onset: 3)) }
        #expect(throws: MDError.self) { try SoftSphere(sigma: 1, epsilon: 1, exponent: 0.5) }
        let field = ForceField.pairs(try! LennardJones(sigma: Tensor([[1, 0.8], [0.8, 0.88]]), epsilon: Tensor([[1, 1.5], [1.5, 0.5]])))
        #expect(throws: MDError.self) { try field(Tensor.zeros([2, 3]), box: .cubic(5)) }   // species missing
        #expect(throws: MDError.self) { try field(Tensor.zeros([2, 2]), box: .cubic(5)) }   // wrong dimension
    }
}
