import Fluxion

/// A pair potential `φ(r)` between atoms of species `a` and `b`, given two ways that must agree:
/// as a differentiable tensor function (forces by `-grad`, derivatives with respect to its
/// parameters, the learned-potential and differentiable-simulation paths) and as a scalar
/// ``PairKernel`` the fused force loop calls per pair (the fast path of ``ForceField/pairs(_:species:skin:)``).
///
/// Parameters are tensors: a scalar for one species, or a symmetric `[S, S]` matrix per species pair.
public protocol PairPotential: TensorTree, Sendable {
    associatedtype Kernel: PairKernel
    /// The number of species the parameters describe (1 for scalar parameters).
    var speciesCount: Int { get }
    /// The largest distance at which any pair interacts.
    var largestCutoff: Double { get }
    /// `φ(r)` for distances `r` (`[P]`) and species-pair indices `pair = a·S + b` (`[P]`, or nil for one
    /// species): zero at and beyond the pair's cutoff.
    func energy(distance r: Tensor, pair: Tensor?) -> Tensor
    /// The scalar form for the fused loop (parameters read out once).
    func kernel() -> Kernel
}

/// A pair potential as plain numbers: the energy and `−φ′(r)/r` from the squared distance.
public protocol PairKernel: Sendable {
    /// The squared cutoff of species pair `pair = a·S + b`.
    func cutoffSquared(_ pair: Int) -> Double
    /// `(φ(r), −φ′(r)/r)` at `r² = r2 < cutoffSquared(pair)`.
    func evaluate(_ r2: Double, _ pair: Int) -> (energy: Double, forceOverR: Double)
    /// True when ``evaluate(_:_:)`` is finite for every `r2 > 0`, also beyond the cutoff: the loop may
    /// then evaluate every listed pair and zero those outside instead of branching (about a third
    /// of the listed pairs are in the skin, a branch the CPU mispredicts).
    static var finiteBeyondCutoff: Bool { get }
}

extension PairKernel {
    public static var finiteBeyondCutoff: Bool { false }
}

/// Where a pair potential ends.
public enum Cutoff: Codable, Equatable, Sendable {
    /// At a fixed distance.
    case distance(Double)
    /// At a multiple of each pair's σ (JAX MD's convention): `.sigmas(2.5)`.
    case sigmas(Double)
}

/// How a pair potential is brought to zero at its cutoff.
public enum Truncation: Codable, Equatable, Sendable {
    /// Cut: `φ(r)` inside, 0 outside (the energy jumps; LAMMPS's `lj/cut`).
    case plain
    /// Cut and shifted: `φ(r) − φ(r_c)` inside (continuous energy; forces unchanged).
    case shifted
    /// Multiplied by a switch `S(r)` going smoothly from 1 at `onset` to 0 at the cutoff
    /// (the CHARMM/JAX MD switch: continuous energy and forces):
    /// `S = (r_c² − r²)² (r_c² + 2r² − 3r_on²) / (r_c² − r_on²)³` for `r_on < r < r_c`.
    case smooth(onset: Double)
}

extension PairPotential {
    /// A parameter for each pair: the scalar itself, or the `[S, S]` matrix gathered at `pair`.
    func perPair(_ parameter: Tensor, _ pair: Tensor?) -> Tensor {
        guard parameter.rank == 2, let pair else { return parameter }
        return parameter.reshaped(to: [-1]).gathering(pair, alongAxis: 0)
    }
}

/// Checks a parameter's shape: a scalar or an `[S, S]` matrix (all with the same S).
func speciesCount(_ parameters: [(String, Tensor)], potential: String) throws(MDError) -> Int {
    var count: Int?
    for (name, p) in parameters {
        let s: Int
        switch p.rank {
        case 0: s = 1
        case 2 where p.shape[0] == p.shape[1]: s = p.shape[0]
        default: throw MDError("\(potential): \(name) must be a scalar or an [S, S] matrix, got shape \(p.shape)")
        }
        if s > 1 {
            if let c = count, c > 1, c != s { throw MDError("\(potential): \(name) is for \(s) species, another parameter for \(c)") }
            count = s
        } else if count == nil { count = 1 }
        let values = p.doubles
        guard values.allSatisfy(\.isFinite) else { throw MDError("\(potential): \(name) must be finite") }
        if s > 1 {
            for a in 0..<s { for b in 0..<s where values[a * s + b] != values[b * s + a] {
                throw MDError("\(potential): \(name) must be symmetric (\(name)[\(a)][\(b)] ≠ \(name)[\(b)][\(a)])")
            } }
        }
    }
    return count ?? 1
}

/// A per-pair table from a scalar or `[S, S]` parameter, for kernels.
func table(_ p: Tensor, _ species: Int) -> [Double] {
    let v = p.doubles
    return v.count == 1 ? Array(repeating: v[0], count: species * species) : v
}

/// The smooth switch and its derivative over r (`S`, `S′/r`) for `onset < r < cutoff`.
@inline(__always)
func smoothSwitch(_ r2: Double, onset2: Double, cutoff2: Double) -> (s: Double, dsOverR: Double) {
    if r2 <= onset2 { return (1, 0) }
    let denominator = (cutoff2 - onset2) * (cutoff2 - onset2) * (cutoff2 - onset2)
    let a = cutoff2 - r2, b = cutoff2 + 2 * r2 - 3 * onset2
    // dS/dr = [−4r·a·b + a²·4r]/den ⇒ S′/r = 4a(a − b)/den.
    return (a * a * b / denominator, 4 * a * (a - b) / denominator)
}

/// The tensor form of ``smoothSwitch(_:onset2:cutoff2:)``.
func smoothSwitch(_ r: Tensor, onset: Tensor, cutoff: Tensor) -> Tensor {
    let r2 = r * r, on2 = onset * onset, c2 = cutoff * cutoff
    let a = c2 - r2
    let s = a * a * (c2 + 2 * r2 - 3 * on2) / ((c2 - on2) * (c2 - on2) * (c2 - on2))
    return `where`(r .< onset, Tensor.ones(like: s), s)
}
