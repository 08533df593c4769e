import Fluxion

/// Lennard-Jones: `φ(r) = 4ε[(σ/r)¹² − (σ/r)⁶]`, cut at ``cutoff`` and truncated per ``truncation``.
///
/// ```swift
/// let lj = try LennardJones(sigma: 1, epsilon: 1, cutoff: .distance(2.5))           // LAMMPS's lj/cut
/// let wca = try LennardJones.wca(sigma: 1, epsilon: 1)                               // purely repulsive
/// let mix = try LennardJones(sigma: Tensor([[1, 0.8], [0.8, 0.88]]), epsilon: Tensor([[1, 1.5], [1.5, 0.5]]),
///                            cutoff: .sigmas(2.5), truncation: .shifted)             // Kob–Andersen
/// ```
public struct LennardJones: PairPotential {
    public var sigma: Tensor
    public var epsilon: Tensor
    public let cutoff: Cutoff
    public let truncation: Truncation
    public let speciesCount: Int

    public init(sigma: Tensor, epsilon: Tensor, cutoff: Cutoff = .sigmas(2.5), truncation: Truncation = .plain) throws(MDError) {
        speciesCount = try FluxionMD.speciesCount([("sigma", sigma), ("epsilon", epsilon)], potential: "Lennard-Jones")
        guard sigma.doubles.allSatisfy({ $0 > 0 }) else { throw MDError("Lennard-Jones: sigma must be positive") }
        try checkCutoff(cutoff, truncation, smallestSigma: sigma.doubles.min()!, potential: "Lennard-Jones")
        self.sigma = sigma
        self.epsilon = epsilon
        self.cutoff = cutoff
        self.truncation = truncation
    }

    public init(sigma: Double, epsilon: Double, cutoff: Cutoff = .sigmas(2.5), truncation: Truncation = .plain) throws(MDError) {
        try self.init(sigma: Tensor(sigma), epsilon: Tensor(epsilon), cutoff: cutoff, truncation: truncation)
    }

    /// Weeks–Chandler–Andersen: Lennard-Jones cut at its minimum `2^{1/6}σ` and shifted up by ε.
    public static func wca(sigma: Double = 1, epsilon: Double = 1) throws(MDError) -> LennardJones {
        try LennardJones(sigma: sigma, epsilon: epsilon, cutoff: .sigmas(wcaCutoff), truncation: .shifted)
    }

    public var largestCutoff: Double { cutoff.largest(sigma) }

    public func energy(distance r: Tensor, pair: Tensor?) -> Tensor {
        let s = perPair(sigma, pair), e = perPair(epsilon, pair)
        let rc = cutoff.tensor(s)
        func lj(_ r: Tensor) -> Tensor {
            let x2 = (s / r) * (s / r)
            let x6 = x2 * x2 * x2
            return 4 * e * (x6 * x6 - x6)
        }
        let phi = truncation.apply(lj, r, cutoff: rc)
        return `where`(r .< rc, phi, 0)
    }

    public func kernel() -> Kernel {
        let n = speciesCount
        let s = table(sigma, n), e = table(epsilon, n)
        var k = Kernel(sigma2: s.map { $0 * $0 }, epsilon4: e.map { 4 * $0 }, cutoff2: [], shift: [], onset2: [], one: nil)
        for p in 0..<(n * n) {
            let rc = cutoff.value(s[p])
            k.cutoff2.append(rc * rc)
            k.onset2.append(truncation.onset.map { $0 * $0 } ?? rc * rc)
            k.shift.append(truncation == .shifted ? k.lj(rc * rc, p).energy : 0)
        }
        if n == 1 { k.one = Kernel.One(sigma2: k.sigma2[0], epsilon4: k.epsilon4[0], cutoff2: k.cutoff2[0], shift: k.shift[0], onset2: k.onset2[0]) }
        return k
    }

    public struct Kernel: PairKernel {
        var sigma2: [Double], epsilon4: [Double], cutoff2: [Double], shift: [Double], onset2: [Double]
        /// One species: the parameters as plain values, which the loop keeps in registers (array
        /// elements are reloaded per pair, as the force writes might alias them).
        var one: One?

        struct One {
            let sigma2: Double, epsilon4: Double, cutoff2: Double, shift: Double, onset2: Double
        }

        @inline(__always) public func cutoffSquared(_ pair: Int) -> Double { one?.cutoff2 ?? cutoff2[pair] }

        /// Powers of 1/r² and the switch's polynomial are finite for any r² > 0.
        public static var finiteBeyondCutoff: Bool { true }

        @inline(__always) func lj(_ r2: Double, _ p: Int) -> (energy: Double, forceOverR: Double) {
            lj(r2, sigma2: sigma2[p], epsilon4: epsilon4[p])
        }

        @inline(__always) func lj(_ r2: Double, sigma2: Double, epsilon4: Double) -> (energy: Double, forceOverR: Double) {
            let inverse = 1 / r2
            let x2 = sigma2 * inverse
            let x6 = x2 * x2 * x2
            // −φ′(r)/r = 4ε(12x¹² − 6x⁶)/r².
            return (epsilon4 * (x6 * x6 - x6), epsilon4 * (12 * x6 * x6 - 6 * x6) * inverse)
        }

        @inline(__always) public func evaluate(_ r2: Double, _ p: Int) -> (energy: Double, forceOverR: Double) {
            let q = one ?? One(sigma2: sigma2[p], epsilon4: epsilon4[p], cutoff2: cutoff2[p], shift: shift[p], onset2: onset2[p])
            let (e, f) = lj(r2, sigma2: q.sigma2, epsilon4: q.epsilon4)
            if q.onset2 < q.cutoff2 {
                let (s, ds) = smoothSwitch(r2, onset2: q.onset2, cutoff2: q.cutoff2)
                return (e * s, f * s - e * ds)
            }
            return (e - q.shift, f)
        }
    }
}

/// `2^{1/6}`: the distance of the Lennard-Jones minimum in units of σ.
public let wcaCutoff = 1.122462048309373

extension Cutoff {
    /// The cutoff for a pair with this σ.
    func value(_ sigma: Double) -> Double {
        switch self {
        case let .distance(d): return d
        case let .sigmas(k): return k * sigma
        }
    }

    func tensor(_ sigma: Tensor) -> Tensor {
        switch self {
        case let .distance(d): return Tensor(d)
        case let .sigmas(k): return k * sigma
        }
    }

    func largest(_ sigma: Tensor) -> Double { sigma.doubles.map(value).max() ?? 0 }
}

extension Truncation {
    var onset: Double? { if case let .smooth(onset) = self { return onset } else { return nil } }

    /// `φ` truncated: as is, shifted by `φ(r_c)`, or switched off smoothly.
    func apply(_ phi: (Tensor) -> Tensor, _ r: Tensor, cutoff rc: Tensor) -> Tensor {
        switch self {
        case .plain: return phi(r)
        case .shifted: return phi(r) - phi(rc)
        case let .smooth(onset): return phi(r) * smoothSwitch(r, onset: Tensor(onset), cutoff: rc)
        }
    }
}

func checkCutoff(_ cutoff: Cutoff, _ truncation: Truncation, smallestSigma: Double, potential: String) throws(MDError) {
    let rc: Double
    switch cutoff {
    case let .distance(d): rc = d
    case let .sigmas(k): rc = k * smallestSigma
    }
    guard rc > 0, rc.isFinite else { throw MDError("\(potential): the cutoff must be positive and finite, got \(rc)") }
    if let onset = truncation.onset, !(onset > 0 && onset < rc) {
        throw MDError("\(potential): the smooth truncation's onset must be in (0, cutoff = \(rc)), got \(onset)")
    }
}
