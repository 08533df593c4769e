import Fluxion
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Everything a training run needs to continue: what a checkpoint holds.
public struct TrainingState<P: TensorTree> {
    public var parameters: P
    public var optimizer: OptimizerState
    /// The run's key; step `k` draws its randomness from `key.foldIn(k)`.
    public var key: PRNGKey
    /// Steps done.
    public var step: Int

    public init(parameters: P, optimizer: OptimizerState, key: PRNGKey, step: Int) {
        self.parameters = parameters
        self.optimizer = optimizer
        self.key = key
        self.step = step
    }
}

/// What a training run reports every `reportEvery` steps (and at its end).
public struct TrainingReport: Sendable {
    public let step: Int
    public let totalSteps: Int
    /// The loss at the parameters the last step started from.
    public let loss: Double
    public let stepsPerSecond: Double
    /// Seconds to the last step at the current rate.
    public let secondsRemaining: Double

    public init(step: Int, totalSteps: Int, loss: Double, stepsPerSecond: Double, secondsRemaining: Double) {
        self.step = step
        self.totalSteps = totalSteps
        self.loss = loss
        self.stepsPerSecond = stepsPerSecond
        self.secondsRemaining = secondsRemaining
    }
}

/// How a training run ended.
public enum TrainingStop: String, Sendable {
    /// All the steps asked for are done.
    case completed
    /// The report callback returned `false` (early stopping).
    case stoppedByCallback
    /// Interrupted by Ctrl-C (SIGINT) after the step in progress; a checkpoint was written when
    /// checkpointing is on.
    case interrupted
}

/// A training loop: jitted steps of an optimizer on a loss, reports for a progress bar and
/// metrics, early stopping, checkpoints written atomically, bit-for-bit resume, and a clean stop on
/// Ctrl-C.
///
/// ```swift
/// let trainer = Trainer(optimizer: .adam(learningRate: 1e-3)) { (model: MLP, key: PRNGKey) in loss(model, key) }
/// trainer.checkpoint = URL(fileURLWithPath: "run.npz")
/// var state = trainer.start(model, key: PRNGKey(seed: 0))
/// (state, _) = try trainer.train(state, until: 10_000) { report in print(report.loss); return true }
/// let (refined, report) = trainer.refine(state, with: LBFGS())                         // Adam, then L-BFGS
/// ```
///
/// The loss takes the step's key (`key.foldIn(step)`) so that a loss that samples points draws the
/// same ones when a run is resumed: 200 steps in one run equal 100 steps, a checkpoint, a new
/// process, and 100 more, bit for bit.
public final class Trainer<P: TensorTree> {
    public let optimizer: Optimizer
    private let loss: (P, PRNGKey) -> Tensor
    private let step: JitFunction<P, OptimizerState, PRNGKey, (P, OptimizerState, Tensor)>
    /// Steps between reports.
    public var reportEvery = 100
    /// Where checkpoints go (none when nil), and the steps between them; one is also written at the
    /// end of `train` and when it is interrupted.
    public var checkpoint: URL?
    public var checkpointEvery = 1000

    public init(optimizer: Optimizer, loss: @escaping (P, PRNGKey) -> Tensor) {
        self.optimizer = optimizer
        self.loss = loss
        step = jit { (p: P, s: OptimizerState, key: PRNGKey) in
            let (value, g) = valueAndGrad { (q: P) in loss(q, key) }(p)
            let (next, nextState) = optimizer.step(p, gradient: g, state: s)
            return (next, nextState, value)
        }
    }

    /// The state at step 0.
    public func start(_ parameters: P, key: PRNGKey) -> TrainingState<P> {
        TrainingState(parameters: parameters, optimizer: optimizer.initialize(parameters), key: key, step: 0)
    }

    /// Trains from `state` until `steps` steps are done in all (so a resumed state continues where
    /// it stopped). `report` is called every `reportEvery` steps and after the last; returning
    /// `false` stops the run.
    public func train(_ state: TrainingState<P>, until steps: Int,
                      report: ((TrainingReport) -> Bool)? = nil) throws -> (TrainingState<P>, TrainingStop) {
        var state = state
        InterruptFlag.install()
        defer { InterruptFlag.uninstall() }
        let interruptsBefore = InterruptFlag.count
        let started = Date()
        let firstStep = state.step
        var stop = TrainingStop.completed
        var loss = Double.nan
        while state.step < steps {
            let (p, s, value) = step(state.parameters, state.optimizer, state.key.foldIn(state.step))
            (state.parameters, state.optimizer) = (p, s)
            state.step += 1
            loss = value.item
            let done = state.step == steps
            if let checkpoint, state.step % checkpointEvery == 0 || done { try save(state, to: checkpoint) }
            if let report, state.step % reportEvery == 0 || done {
                let rate = Double(state.step - firstStep) / Swift.max(Date().timeIntervalSince(started), 1e-9)
                let r = TrainingReport(step: state.step, totalSteps: steps, loss: loss, stepsPerSecond: rate,
                                       secondsRemaining: Double(steps - state.step) / Swift.max(rate, 1e-9))
                if !report(r) { stop = .stoppedByCallback; break }
            }
            if InterruptFlag.count > interruptsBefore {
                stop = .interrupted
                break
            }
        }
        if stop != .completed, let checkpoint { try save(state, to: checkpoint) }
        return (state, stop)
    }

    /// The second phase of an "Adam, then L-BFGS" schedule: minimizes the loss from the state's
    /// parameters with `lbfgs`, on the sample of the state's current step (L-BFGS needs one fixed
    /// function), and returns the state with the minimizer's parameters, and its report.
    public func refine(_ state: TrainingState<P>, with lbfgs: LBFGS,
                       callback: ((LBFGS.Progress) -> Bool)? = nil) -> (TrainingState<P>, LBFGS.Result<P>) {
        let key = state.key.foldIn(state.step)
        let loss = self.loss
        let result = lbfgs.minimize({ loss($0, key) }, from: state.parameters, callback: callback)
        var next = state
        next.parameters = result.parameters
        return (next, result)
    }

    /// Writes a checkpoint: parameters, optimizer state, key and step, as one NPZ file, atomically.
    public func save(_ state: TrainingState<P>, to url: URL) throws {
        var members = TreeFile.members(state.parameters, prefix: "parameters")
        members.merge(TreeFile.members(state.optimizer, prefix: "optimizer")) { a, _ in a }
        members["key"] = state.key.data
        members["step"] = Tensor(Int64(state.step))
        try TreeFile.writeAtomically(NPZ.encode(members), to: url)
    }

    /// Reads a checkpoint written by ``save(_:to:)`` for a model shaped like `parameters`; a file of
    /// another model, a truncated file or a wrong shape is a thrown error naming the parameter.
    public func resume(like parameters: P, from url: URL) throws -> TrainingState<P> {
        let members = try TreeFile.readMembers(url)
        let file = url.path
        let p = try TreeFile.tree(like: parameters, from: members, prefix: "parameters", file: file)
        let s = try TreeFile.tree(like: optimizer.initialize(parameters), from: members, prefix: "optimizer", file: file)
        guard let key = members["key"] else { throw TreeFileError.missing(parameter: "key", file: file) }
        guard let step = members["step"], step.shape == [], step.dtype == .int64 else {
            throw TreeFileError.missing(parameter: "step", file: file)
        }
        return TrainingState(parameters: p, optimizer: s, key: PRNGKey(data: key), step: Int(step.scalar(as: Int64.self)))
    }
}

/// A SIGINT (Ctrl-C) handler that only counts, so that a long run can finish its step, write its
/// checkpoint and return. It is installed while any run is active (runs may overlap, on several
/// threads) and the previous handler restored after the last. Other training loops (FluxionPINN's)
/// use it the same way: `install()`, compare ``count`` with its value at the start, `uninstall()`.
public enum InterruptFlag {
    private static let interrupts = Atomic<Int>(0)
    private static let active = Mutex<(runs: Int, previous: sighandler_t?)>((0, nil))

    /// The number of interrupts so far; a run compares it with the count when it started.
    public static var count: Int { interrupts.load(ordering: .relaxed) }

    public static func install() {
        active.withLock { state in
            if state.runs == 0 {
                state.previous = signal(SIGINT) { _ in InterruptFlag.interrupts.add(1, ordering: .relaxed) }
                // A process started with SIGINT blocked (some launchers spawn children so) would never
                // see Ctrl-C: unblock it.
                var set = sigset_t()
                sigemptyset(&set)
                sigaddset(&set, SIGINT)
                sigprocmask(SIG_UNBLOCK, &set, nil)
            }
            state.runs += 1
        }
    }

    public static func uninstall() {
        active.withLock { state in
            state.runs -= 1
            if state.runs == 0 { signal(SIGINT, state.previous) }
        }
    }
}
