import Fluxion
import FluxionNN
import Foundation

/// How the loss terms are weighted.
public enum LossWeighting: Sendable, Equatable {
    /// The conditions' own weights throughout.
    case fixed
    /// Gradient-norm balancing (Wang et al., "An expert's guide to training PINNs"): every `every`
    /// steps, `λ̂ᵢ = Σⱼ‖∇Lⱼ‖ / ‖∇Lᵢ‖`, and `λ ← momentum·λ + (1 − momentum)·λ̂`.
    case gradientNorm(every: Int, momentum: Double)
}

/// Residual-based adaptive refinement (RAR, Lu et al. 2021): every `every` steps, `candidates`
/// uniform points are drawn and the `added` with the largest residual join the collocation points.
public struct ResidualRefinement: Sendable, Equatable {
    public var every: Int
    public var candidates: Int
    public var added: Int
    public init(every: Int = 1000, candidates: Int = 10_000, added: Int = 10) {
        self.every = every
        self.candidates = candidates
        self.added = added
    }
}

/// The training schedule of a PINN: Adam steps with a learning-rate schedule, then L-BFGS on the
/// last batch; the points, their sampling and refinement; the loss weighting; reports and checkpoints.
public struct PINNOptions: Sendable {
    /// Collocation points per batch, and how they are spread.
    public var collocation = 2000
    public var sampler: Sampler = .sobol
    /// Draw a new batch every this many steps (0: one batch for the whole run).
    public var resampleEvery = 0
    public var adamSteps = 5000
    public var learningRate: Schedule = .exponentialDecay(initial: 1e-3, transitionSteps: 1000, rate: 0.9)
    /// L-BFGS iterations after Adam (0: none).
    public var lbfgsIterations = 0
    /// L-BFGS's relative function tolerance (SciPy's `ftol`); the default 0 runs the whole budget
    /// unless the gradient vanishes or the line search fails, since a PINN's loss keeps falling slowly.
    public var lbfgsFunctionTolerance = 0.0
    public var weighting: LossWeighting = .fixed
    /// Causal weighting of the residual in time, during the Adam phase (L-BFGS minimizes the plain loss).
    public var causal: CausalWeighting?
    /// Time marching: the time interval trained in windows, one after another, each with the whole
    /// Adam and L-BFGS schedule (nil or a count of 1: the whole interval at once).
    public var timeWindows: TimeWindows?
    public var refinement: ResidualRefinement?
    /// Collocation points per block of a training step. The batch is split into blocks of about this
    /// many points (an even number of blocks, so that pairs of cores get equal shares), whose loss
    /// sums and gradients are computed concurrently, one block per core (``concurrentMap``), and
    /// added in order: each block's arrays stay in its core's cache, and no operation waits on
    /// another thread. The blocks depend only on the batch, never on the machine, so results are the
    /// same on any number of cores. 0: one block. Adam steps with causal weighting, whose slab weights
    /// need every point, use one block.
    public var blockSize = 1280
    /// Steps between reports (and error measurements against the reference).
    public var reportEvery = 100
    /// Where checkpoints go, and the steps between them.
    public var checkpoint: URL?
    public var checkpointEvery = 1000

    public init() {}
}

/// One report of a training run.
public struct PINNReport: Sendable {
    /// "adam" or "lbfgs".
    public let phase: String
    /// Steps done in all (Adam steps, then L-BFGS iterations after them).
    public let step: Int
    public let totalSteps: Int
    public let loss: Double
    /// The unweighted loss terms, in the order of ``Problem/termNames``.
    public let terms: [Double]
    /// The relative L2 error against the problem's reference, when it has one.
    public let error: Double?
    public let stepsPerSecond: Double
    public let secondsRemaining: Double
    public let seconds: Double
    /// The time window being trained (0 without time windows).
    public let window: Int

    /// The report as a ``TrainingReport`` (for FluxionNN's ``ProgressBar``).
    public var training: TrainingReport {
        TrainingReport(step: step, totalSteps: totalSteps, loss: loss, stepsPerSecond: stepsPerSecond,
                       secondsRemaining: secondsRemaining)
    }
}

/// Everything a PINN run needs to continue, as a checkpoint holds it.
public struct PINNState<Net: Layer> {
    public var parameters: PINNParameters<Net>
    public var optimizer: OptimizerState
    /// The loss weights, `[terms]`.
    public var weights: Tensor
    public var batch: PINNBatch
    /// Points added by refinement, `[k, dimension]`; they stay when the batch is redrawn.
    public var refined: Tensor
    public var key: PRNGKey
    /// Adam steps done.
    public var step: Int
    /// L-BFGS iterations done.
    public var lbfgsIterations: Int
    /// Why L-BFGS stopped, once its phase is complete (nil before, and after an interruption: a
    /// resumed run continues it with the iterations left, from a fresh L-BFGS memory).
    public var lbfgsStop: LBFGS.StopReason?
    /// One row per report: step, seconds, loss, error (NaN without a reference), then the terms.
    public var history: [[Double]]
    /// The time window being trained (0 without time windows), and the parameters of the windows
    /// before it, which give the solution there.
    public var window: Int
    public var finished: [PINNParameters<Net>]
}
