import Fluxion

/// An optimizer's state: the number of steps taken and, per transformation, its slots (moments,
/// momentum), each a list of tensors shaped like the parameters' leaves in canonical order. It is a
/// tree, so a jitted step takes and returns it, and a checkpoint saves it.
public struct OptimizerState: TensorTree {
    /// Steps taken so far: an int32 scalar, traced under `jit` (so the step does not retrace).
    public var step: Tensor
    /// Slots by name (`"1.mu"`: the first moment of the second transformation).
    public var slots: [String: [Tensor]]

    public init(step: Tensor, slots: [String: [Tensor]]) {
        self.step = step
        self.slots = slots
    }
}

/// One stage of an optimizer, on the flat leaves of the parameters (Optax's
/// `GradientTransformation`): it maps incoming updates (at first the gradient) to outgoing ones.
public protocol GradientTransformation: Sendable {
    /// The slots kept for parameters with these leaves, by name.
    func initialSlots(for parameters: [Tensor]) -> [String: [Tensor]]
    /// The outgoing updates; `step` counts the steps taken before this one (int32 scalar).
    func transform(_ updates: [Tensor], slots: inout [String: [Tensor]], step: Tensor, parameters: [Tensor]) -> [Tensor]
}

extension GradientTransformation {
    public func initialSlots(for parameters: [Tensor]) -> [String: [Tensor]] { [:] }
}

/// An optimizer: a chain of gradient transformations whose last one scales by the (negated)
/// learning rate. `init` and `update` are pure functions over trees, as Optax's, so that one
/// training step — gradient and update — is one jitted function.
///
/// ```swift
/// let optimizer = Optimizer.adam(learningRate: 1e-3).clippingByGlobalNorm(1)
/// var state = optimizer.initialize(params)
/// let step = jit { (p: Params, s: OptimizerState) in
///     let (loss, g) = valueAndGrad(lossFunction)(p)
///     let (next, nextState) = optimizer.step(p, gradient: g, state: s)
///     return (next, nextState, loss)
/// }
/// ```
public struct Optimizer: Sendable {
    public let transformations: [any GradientTransformation]

    public init(_ transformations: [any GradientTransformation]) { self.transformations = transformations }

    /// The state for these parameters: step 0 and every transformation's initial slots.
    public func initialize<P: TensorTree>(_ parameters: P) -> OptimizerState {
        let leaves = parameters.leaves
        var slots: [String: [Tensor]] = [:]
        for (i, t) in transformations.enumerated() {
            for (name, value) in t.initialSlots(for: leaves) { slots["\(i).\(name)"] = value }
        }
        return OptimizerState(step: Tensor(Int32(0)), slots: slots)
    }

    /// The updates to add to the parameters, and the next state.
    public func updates<P: TensorTree>(_ gradient: P, state: OptimizerState, parameters: P) -> (updates: P, state: OptimizerState) {
        var (u, gradientStructure) = gradient.flattened()
        let (p, structure) = parameters.flattened()
        gradientStructure.requireEqual(structure, "Optimizer.updates: gradient and parameters")
        var next = state
        for (i, t) in transformations.enumerated() {
            let prefix = "\(i)."
            var own: [String: [Tensor]] = [:]
            for (name, value) in state.slots where name.hasPrefix(prefix) { own[String(name.dropFirst(prefix.count))] = value }
            u = t.transform(u, slots: &own, step: state.step, parameters: p)
            for (name, value) in own { next.slots[prefix + name] = value }
        }
        next.step = state.step + 1
        return (P.unflatten(structure, leaves: u), next)
    }

    /// One step: the parameters plus their updates (Optax's `apply_updates`), and the next state.
    public func step<P: TensorTree>(_ parameters: P, gradient: P, state: OptimizerState) -> (parameters: P, state: OptimizerState) {
        let (u, next) = updates(gradient, state: state, parameters: parameters)
        return (parameters.zipLeaves(u) { p, u in p + u.cast(to: p.dtype) }, next)
    }

    /// This optimizer after another: `.chain(a, b)` runs `a`'s transformations, then `b`'s.
    public static func chain(_ optimizers: Optimizer...) -> Optimizer {
        Optimizer(optimizers.flatMap(\.transformations))
    }

    /// This optimizer on gradients clipped to global norm `maxNorm` first (Optax's
    /// `chain(clip_by_global_norm(maxNorm), …)`).
    public func clippingByGlobalNorm(_ maxNorm: Double) -> Optimizer {
        Optimizer([ClipByGlobalNorm(maxNorm: maxNorm)] + transformations)
    }

    /// Stochastic gradient descent, with optional (Nesterov) momentum (Optax's `sgd`).
    public static func sgd(learningRate: Schedule, momentum: Double? = nil, nesterov: Bool = false) -> Optimizer {
        Optimizer((momentum.map { [Trace(decay: $0, nesterov: nesterov)] } ?? []) + [ScaleByLearningRate(learningRate)])
    }

    /// Adam, with bias correction (Optax's `adam`).
    public static func adam(learningRate: Schedule, b1: Double = 0.9, b2: Double = 0.999, epsilon: Double = 1e-8,
                            epsilonRoot: Double = 0) -> Optimizer {
        Optimizer([ScaleByAdam(b1: b1, b2: b2, epsilon: epsilon, epsilonRoot: epsilonRoot), ScaleByLearningRate(learningRate)])
    }

    /// Adam with decoupled weight decay: the update is `lr·(adam + weightDecay·p)` (Optax's `adamw`).
    public static func adamW(learningRate: Schedule, b1: Double = 0.9, b2: Double = 0.999, epsilon: Double = 1e-8,
                             epsilonRoot: Double = 0, weightDecay: Double = 1e-4) -> Optimizer {
        Optimizer([ScaleByAdam(b1: b1, b2: b2, epsilon: epsilon, epsilonRoot: epsilonRoot),
                   AddDecayedWeights(weightDecay: weightDecay), ScaleByLearningRate(learningRate)])
    }
}
