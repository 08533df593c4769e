import Fluxion

/// Adam's scaling: first and second moments with bias correction,
/// `m̂ / (√(v̂ + ε_root) + ε)` (Optax's `scale_by_adam`).
public struct ScaleByAdam: GradientTransformation {
    public var b1: Double, b2: Double, epsilon: Double, epsilonRoot: Double

    public init(b1: Double = 0.9, b2: Double = 0.999, epsilon: Double = 1e-8, epsilonRoot: Double = 0) {
        (self.b1, self.b2, self.epsilon, self.epsilonRoot) = (b1, b2, epsilon, epsilonRoot)
    }

    public func initialSlots(for parameters: [Tensor]) -> [String: [Tensor]] {
        ["mu": parameters.map(Tensor.zeros(like:)), "nu": parameters.map(Tensor.zeros(like:))]
    }

    public func transform(_ updates: [Tensor], slots: inout [String: [Tensor]], step: Tensor, parameters: [Tensor]) -> [Tensor] {
        let count = (step + 1).cast(to: .float64)
        // 1 − βᵗ: the weight the moments' zero start has not yet been replaced by.
        let c1 = 1 - pow(Tensor(b1), count), c2 = 1 - pow(Tensor(b2), count)
        // The corrections as factors: one reciprocal per step rather than a division per element
        // (the same value to within an ulp; division costs twice a multiplication and more).
        let s1 = 1 / c1, s2 = 1 / c2
        var mu = slots["mu"]!, nu = slots["nu"]!
        var out: [Tensor] = []
        for i in updates.indices {
            let g = updates[i]
            mu[i] = (1 - b1) * g + b1 * mu[i]
            nu[i] = (1 - b2) * (g * g) + b2 * nu[i]
            let muHat = mu[i] * s1.cast(to: g.dtype), nuHat = nu[i] * s2.cast(to: g.dtype)
            out.append(muHat / (sqrt(nuHat + epsilonRoot) + epsilon))
        }
        slots = ["mu": mu, "nu": nu]
        return out
    }
}

/// Momentum: `t ← g + decay·t`, passing `t` on (or `g + decay·t` with Nesterov) (Optax's `trace`).
public struct Trace: GradientTransformation {
    public var decay: Double, nesterov: Bool

    public init(decay: Double, nesterov: Bool = false) { (self.decay, self.nesterov) = (decay, nesterov) }

    public func initialSlots(for parameters: [Tensor]) -> [String: [Tensor]] { ["trace": parameters.map(Tensor.zeros(like:))] }

    public func transform(_ updates: [Tensor], slots: inout [String: [Tensor]], step: Tensor, parameters: [Tensor]) -> [Tensor] {
        let trace = zip(updates, slots["trace"]!).map { g, t in g + decay * t }
        slots["trace"] = trace
        return nesterov ? zip(updates, trace).map { g, t in g + decay * t } : trace
    }
}

/// Decoupled weight decay: adds `weightDecay · p` to the updates (Optax's `add_decayed_weights`).
public struct AddDecayedWeights: GradientTransformation {
    public var weightDecay: Double

    public init(weightDecay: Double) { self.weightDecay = weightDecay }

    public func transform(_ updates: [Tensor], slots: inout [String: [Tensor]], step: Tensor, parameters: [Tensor]) -> [Tensor] {
        weightDecay == 0 ? updates : zip(updates, parameters).map { g, p in g + weightDecay * p }
    }
}

/// Scales all updates down to global norm `maxNorm` when their norm exceeds it (Optax's
/// `clip_by_global_norm`).
public struct ClipByGlobalNorm: GradientTransformation {
    public var maxNorm: Double

    public init(maxNorm: Double) { self.maxNorm = maxNorm }

    public func transform(_ updates: [Tensor], slots: inout [String: [Tensor]], step: Tensor, parameters: [Tensor]) -> [Tensor] {
        let norm = globalNorm(updates)
        let within = norm .< maxNorm
        return updates.map { t in `where`(within, t, t / norm.cast(to: t.dtype) * maxNorm) }
    }
}

/// Multiplies the updates by `−learningRate(step)`, turning them into a descent step (Optax's
/// `scale_by_learning_rate`).
public struct ScaleByLearningRate: GradientTransformation {
    public var learningRate: Schedule

    public init(_ learningRate: Schedule) { self.learningRate = learningRate }

    public func transform(_ updates: [Tensor], slots: inout [String: [Tensor]], step: Tensor, parameters: [Tensor]) -> [Tensor] {
        let scale = -learningRate(step)
        return updates.map { $0 * scale.cast(to: $0.dtype) }
    }
}

/// The Euclidean norm of all the tensors together, `√(Σ ‖tᵢ‖²)`, in float64 (real parts squared
/// with the imaginary ones for complex tensors).
public func globalNorm(_ tensors: [Tensor]) -> Tensor {
    let squares = tensors.map { t -> Tensor in
        let a = abs(t).cast(to: .float64)
        return (a * a).sum()
    }
    return sqrt(squares.dropFirst().reduce(squares.first ?? Tensor(0.0), +))
}
