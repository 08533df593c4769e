import Fluxion
import Foundation

/// Morse: `φ(r) = D₀[e^{−2α(r−r₀)} − 2e^{−α(r−r₀)}]` (LAMMPS's `morse`: the well is `−D₀` at `r₀`).
public struct Morse: PairPotential {
    public var depth: Tensor
    public var alpha: Tensor
    public var r0: Tensor
    public let cutoff: Double
    public let truncation: Truncation
    public let speciesCount: Int

    public init(depth: Tensor, alpha: Tensor, r0: Tensor, cutoff: Double, truncation: Truncation = .plain) throws(MDError) {
        speciesCount = try FluxionMD.speciesCount([("depth", depth), ("alpha", alpha), ("r0", r0)], potential: "Morse")
        try checkCutoff(.distance(cutoff), truncation, smallestSigma: 1, potential: "Morse")
        self.depth = depth
        self.alpha = alpha
        self.r0 = r0
        self.cutoff = cutoff
        self.truncation = truncation
    }

    public init(depth: Double = 1, alpha: Double = 5, r0: Double = 1, cutoff: Double = 2.5, truncation: Truncation = .plain) throws(MDError) {
        try self.init(depth: Tensor(depth), alpha: Tensor(alpha), r0: Tensor(r0), cutoff: cutoff, truncation: truncation)
    }

    public var largestCutoff: Double { cutoff }

    public func energy(distance r: Tensor, pair: Tensor?) -> Tensor {
        let d = perPair(depth, pair), a = perPair(alpha, pair), x0 = perPair(r0, pair)
        let phi = truncation.apply({ r in
            let e = exp(-a * (r - x0))
            return d * (e * e - 2 * e)
        }, r, cutoff: Tensor(cutoff))
        return `where`(r .< cutoff, phi, 0)
    }

    public func kernel() -> Kernel {
        let n = speciesCount
        var k = Kernel(depth: table(depth, n), alpha: table(alpha, n), r0: table(r0, n), cutoff2: cutoff * cutoff,
                       onset2: truncation.onset.map { $0 * $0 } ?? cutoff * cutoff, shift: [])
        k.shift = (0..<(n * n)).map { truncation == .shifted ? k.morse(cutoff * cutoff, $0).energy : 0 }
        return k
    }

    public struct Kernel: PairKernel {
        var depth: [Double], alpha: [Double], r0: [Double], cutoff2: Double, onset2: Double, shift: [Double]

        @inline(__always) public func cutoffSquared(_ pair: Int) -> Double { cutoff2 }

        @inline(__always) func morse(_ r2: Double, _ p: Int) -> (energy: Double, forceOverR: Double) {
            let r = r2.squareRoot()
            let e = Foundation.exp(-alpha[p] * (r - r0[p]))
            // −φ′(r)/r = 2αD₀(e² − e)/r.
            return (depth[p] * (e * e - 2 * e), 2 * alpha[p] * depth[p] * (e * e - e) / r)
        }

        @inline(__always) public func evaluate(_ r2: Double, _ p: Int) -> (energy: Double, forceOverR: Double) {
            let (e, f) = morse(r2, p)
            if onset2 < cutoff2 {
                let (s, ds) = smoothSwitch(r2, onset2: onset2, cutoff2: cutoff2)
                return (e * s, f * s - e * ds)
            }
            return (e - shift[p], f)
        }
    }
}

/// Soft sphere (JAX MD's): `φ(r) = (ε/α)(1 − r/σ)^α` for `r < σ`, 0 beyond — a purely repulsive
/// contact potential (α = 2: harmonic spheres, 5/2: Hertzian).
public struct SoftSphere: PairPotential {
    public var sigma: Tensor
    public var epsilon: Tensor
    public let exponent: Double
    public let speciesCount: Int

    public init(sigma: Tensor, epsilon: Tensor, exponent: Double = 2) throws(MDError) {
        speciesCount = try FluxionMD.speciesCount([("sigma", sigma), ("epsilon", epsilon)], potential: "soft sphere")
        guard sigma.doubles.allSatisfy({ $0 > 0 }) else { throw MDError("soft sphere: sigma must be positive") }
        guard exponent >= 1, exponent.isFinite else { throw MDError("soft sphere: the exponent must be at least 1, got \(exponent)") }
        self.sigma = sigma
        self.epsilon = epsilon
        self.exponent = exponent
    }

    public init(sigma: Double = 1, epsilon: Double = 1, exponent: Double = 2) throws(MDError) {
        try self.init(sigma: Tensor(sigma), epsilon: Tensor(epsilon), exponent: exponent)
    }

    public var largestCutoff: Double { sigma.doubles.max() ?? 0 }

    public func energy(distance r: Tensor, pair: Tensor?) -> Tensor {
        let s = perPair(sigma, pair), e = perPair(epsilon, pair)
        // Clamped at 0 before the power, so the branch not taken has a finite derivative too.
        let overlap = maximum(1 - r / s, 0)
        return e / exponent * pow(overlap, exponent)
    }

    public func kernel() -> Kernel {
        let s = table(sigma, speciesCount)
        return Kernel(sigma: s, epsilon: table(epsilon, speciesCount), exponent: exponent, cutoff2: s.map { $0 * $0 })
    }

    public struct Kernel: PairKernel {
        var sigma: [Double], epsilon: [Double], exponent: Double, cutoff2: [Double]

        @inline(__always) public func cutoffSquared(_ pair: Int) -> Double { cutoff2[pair] }

        @inline(__always) public func evaluate(_ r2: Double, _ p: Int) -> (energy: Double, forceOverR: Double) {
            let r = r2.squareRoot()
            let x = 1 - r / sigma[p]
            let power = exponent == 2 ? x : Foundation.pow(x, exponent - 1)
            // −φ′(r)/r = (ε/σ)(1 − r/σ)^{α−1} / r.
            return (epsilon[p] / exponent * power * x, epsilon[p] / sigma[p] * power / r)
        }
    }
}
