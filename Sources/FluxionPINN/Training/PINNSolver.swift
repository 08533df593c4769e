import Fluxion
import FluxionNN
import Foundation

/// Trains a network on a ``Problem``: jitted Adam steps on a batch of points (resampled, refined and
/// weighted as the ``PINNOptions`` say), then L-BFGS; reports with the error against the reference;
/// atomic checkpoints; bit-for-bit resume of the Adam phase; a clean stop on Ctrl-C.
///
/// ```swift
/// let solver = try PINNSolver(problem, options: options)
/// var state = try solver.start(MLP(widths: [2, 20, 20, 1], key: key), key: key)
/// (state, _) = try solver.train(state) { report in print(report.loss); return true }
/// print(solver.relativeError(state) ?? .nan)
/// ```
public final class PINNSolver<Net: Layer> {
    /// The problem trained (with time windows, with an `initial` term in every window: see
    /// ``TimeWindows``).
    public let problem: Problem
    public let options: PINNOptions
    let optimizer: Optimizer
    /// The jitted functions of the problem (of its first time window), and of the later windows.
    let first: CompiledProblem<Net>
    let later: CompiledProblem<Net>?
    /// Adam's update from the blocks' gradients, added in order.
    let update: JitFunction<PINNParameters<Net>, OptimizerState, [PINNParameters<Net>], (PINNParameters<Net>, OptimizerState)>
    /// The current time window's problem, made when the window starts, with the parameters of the
    /// window before that gave its initial values.
    private var windowCache: (index: Int, source: [Double], problem: Problem)?
    /// The evaluation grid (its points inside the domain, its axes, which nodes are inside) and the
    /// reference at those points: computed once, since a reference can be costly (Cole–Hopf).
    private lazy var evaluation: (points: Tensor, axes: [[Double]], inside: [Bool], reference: Tensor?) = {
        let (points, axes, inside) = problem.evaluationPoints()
        return (points, axes, inside, problem.reference.map { $0(points) })
    }()

    public init(_ problem: Problem, options: PINNOptions = PINNOptions()) throws {
        try problem.validate()
        let optimizer = Optimizer.adam(learningRate: options.learningRate)
        self.optimizer = optimizer
        self.options = options
        if let windows = options.timeWindows, windows.count > 1 {
            let marching = try problem.forTimeWindows(initialWeight: windows.initialWeight)
            self.problem = marching
            first = CompiledProblem(marching, optimizer: optimizer, causal: options.causal)
            later = CompiledProblem(try marching.window(1, of: windows.count), optimizer: optimizer, causal: options.causal)
        } else {
            self.problem = problem
            first = CompiledProblem(problem, optimizer: optimizer, causal: options.causal)
            later = nil
        }
        update = jit { (p: PINNParameters<Net>, s: OptimizerState, gradients: [PINNParameters<Net>]) in
            optimizer.step(p, gradient: Self.sum(gradients), state: s)
        }
    }

    /// The number of time windows (1 without time marching).
    public var windowCount: Int { later == nil ? 1 : options.timeWindows!.count }

    /// The jitted functions of time window `k`.
    func compiled(_ k: Int) -> CompiledProblem<Net> { k == 0 ? first : later! }

    /// The problem of the state's time window: the problem itself without windows; otherwise its
    /// window, whose initial values (after the first) are the previous window's solution at its start.
    func windowProblem(_ state: PINNState<Net>) throws -> Problem {
        guard later != nil, let windows = options.timeWindows, let st = problem.domain as? SpaceTime else { return problem }
        let k = state.window
        let source = k > 0 ? state.finished[k - 1].leaves.flatMap(\.doubles) : []
        if let cache = windowCache, cache.index == k, cache.source == source { return cache.problem }
        var window = try problem.window(0, of: windows.count)
        if k > 0 {
            let start = Problem.windowBounds(k, of: windows.count, st).start
            let initial = problem.conditions[problem.initialConditionIndex!]
            let points = try st.space.interiorPoints(initial.points, sampler: options.sampler, key: windowKey(state).foldIn(-1))
                .map { $0 + [start] }
            let values = compiled(k - 1).evaluate(state.finished[k - 1], pointTensor(points, dimension: st.dimension)).doubles
            window = try problem.window(k, of: windows.count, initialPoints: points, initialValues: values,
                                        initialWeight: windows.initialWeight)
        }
        windowCache = (k, source, window)
        return window
    }

    /// The key a time window draws its points from (the state's own for the first).
    func windowKey(_ state: PINNState<Net>) -> PRNGKey { state.window == 0 ? state.key : state.key.foldIn(1_000_000 + state.window) }

    /// Total steps: Adam steps plus L-BFGS iterations, in every time window.
    public var totalSteps: Int { windowCount * (options.adamSteps + options.lbfgsIterations) }

    /// Steps done: those of the finished time windows' budgets, then the current window's.
    func stepsDone(_ state: PINNState<Net>) -> Int {
        state.window * (options.adamSteps + options.lbfgsIterations) + state.step + state.lbfgsIterations
    }

    /// The state at step 0: the network, the problem's coefficients, a first batch.
    public func start(_ network: Net, key: PRNGKey) throws -> PINNState<Net> {
        let parameters = PINNParameters(network: network,
                                        coefficients: problem.coefficients.mapValues { Tensor($0) })
        let refined = Tensor.zeros([0, problem.domain.dimension])
        var state = PINNState(parameters: parameters, optimizer: optimizer.initialize(parameters), weights: Tensor([1.0]),
                              batch: PINNBatch(collocation: refined, conditions: [:], chunks: refined), refined: refined, key: key,
                              step: 0, lbfgsIterations: 0, lbfgsStop: nil, history: [], window: 0, finished: [])
        try beginWindow(&state)
        return state
    }

    /// Sets up the state's time window: fresh optimizer state, refinement and weights, a first batch.
    /// Returns the window's problem.
    @discardableResult
    func beginWindow(_ state: inout PINNState<Net>) throws -> Problem {
        let window = try windowProblem(state)
        (state.step, state.lbfgsIterations, state.lbfgsStop) = (0, 0, nil)
        state.optimizer = optimizer.initialize(state.parameters)
        state.weights = Tensor([1.0] + window.conditions.map(\.weight))
        state.refined = Tensor.zeros([0, problem.domain.dimension])
        state.batch = try drawBatch(window, key: windowKey(state), step: 0, refined: state.refined)
        return window
    }

    /// Moves a state whose time window is trained to the next window, which starts from its network
    /// (fitted to the last window's field first where the field's form changes: see
    /// ``TimeWindows/handOverIterations``).
    func advanceWindow(_ state: inout PINNState<Net>) throws {
        state.finished.append(state.parameters)
        state.window += 1
        let window = try beginWindow(&state)
        let iterations = options.timeWindows?.handOverIterations ?? 0
        guard state.window == 1, iterations > 0, let constraint = problem.hardConstraint else { return }
        if case .unchanged = constraint.laterWindows { return }
        // Conditions in name order: a dictionary's own order changes from process to process.
        let points = Tensor.concatenate([state.batch.collocation] + state.batch.conditions.sorted { $0.key < $1.key }.map(\.value.points))
        let targets = first.evaluate(state.finished[0], points)
        let fit = LBFGS(gradientTolerance: 0, functionTolerance: 0, maxIterations: iterations, maxEvaluations: 2 * iterations)
        state.parameters = fit.minimize({ (p: PINNParameters<Net>) in
            let misfit = vmap(window.field(p.network, coefficients: p.coefficients))(points) - targets
            return (misfit * misfit).mean()
        }, from: state.parameters).parameters
        state.optimizer = optimizer.initialize(state.parameters)
    }

    func drawBatch(_ window: Problem, key: PRNGKey, step: Int, refined: Tensor) throws -> PINNBatch {
        var batch = try window.batch(collocation: options.collocation, sampler: options.sampler, key: key.foldIn(step),
                                     causalChunks: options.causal?.chunks ?? 0)
        if refined.shape[0] > 0 { batch = try withPoints(batch, adding: refined, window) }
        return batch
    }

    /// The batch with more collocation points (and its causal chunks redrawn for them).
    func withPoints(_ batch: PINNBatch, adding points: Tensor, _ window: Problem) throws -> PINNBatch {
        var b = batch
        b.collocation = Tensor.concatenate([batch.collocation, points])
        b.chunks = window.timeSlabs(of: b.collocation, count: options.causal?.chunks ?? 0)
        return b
    }

    /// The solution at points `[n, dimension]`: with time windows, each point's from the network of
    /// its window (the current window's field for the current window and any after it).
    public func solution(_ state: PINNState<Net>, at points: Tensor) -> Tensor {
        guard later != nil, let st = problem.domain as? SpaceTime else { return first.evaluate(state.parameters, points) }
        let d = st.dimension, n = points.shape[0], all = points.doubles
        var groups = [[Int]](repeating: [], count: windowCount)
        for i in 0..<n { groups[Problem.windowIndex(time: all[i * d + d - 1], of: windowCount, st)].append(i) }
        // Each window's points evaluated together, then put back in the caller's order.
        var parts: [Tensor] = [], order: [Int] = []
        for (w, members) in groups.enumerated() where !members.isEmpty {
            // Windows not trained yet take the current window's field, extended.
            let p = w < state.window ? state.finished[w] : state.parameters
            parts.append(compiled(Swift.min(w, state.window)).evaluate(p, Self.rows(points, members)))
            order += members
        }
        var inverse = [Int](repeating: 0, count: n)
        for (j, i) in order.enumerated() { inverse[i] = j }
        return Self.rows(Tensor.concatenate(parts), inverse)
    }

    /// `‖u − u_ref‖₂ / ‖u_ref‖₂` on the evaluation grid, when the problem has a reference; with time
    /// windows, over the grid's points up to the end of the current window.
    public func relativeError(_ state: PINNState<Net>) -> Double? {
        guard let reference = evaluation.reference else { return nil }
        guard later != nil, state.window + 1 < windowCount, let st = problem.domain as? SpaceTime else {
            return Self.relativeError(solution(state, at: evaluation.points), reference)
        }
        let end = Problem.windowBounds(state.window, of: windowCount, st).end
        let d = st.dimension, all = evaluation.points.doubles
        let kept = (0..<evaluation.points.shape[0]).filter { all[$0 * d + d - 1] <= end }
        return Self.relativeError(solution(state, at: Self.rows(evaluation.points, kept)), Self.rows(reference, kept))
    }

    /// The rows `indices` of `t` (along its first axis), in that order.
    static func rows(_ t: Tensor, _ indices: [Int]) -> Tensor {
        t.gathering(Tensor(indices.map(Int64.init)), alongAxis: 0)
    }

    static func relativeError(_ u: Tensor, _ reference: Tensor) -> Double { ((u - reference).norm() / reference.norm()).item }

    /// The number of blocks `batch` is split into for a step (``PINNOptions/blockSize``).
    func blockCount(_ batch: PINNBatch) -> Int {
        guard options.blockSize > 0 else { return 1 }
        let blocks = (batch.collocation.shape[0] + options.blockSize - 1) / options.blockSize
        return blocks <= 1 ? 1 : blocks + blocks % 2
    }

    /// A batch as a step computes it: its blocks, and each loss term's number of points (the divisor
    /// of its mean), both fixed until the batch changes.
    func split(_ batch: PINNBatch) -> (blocks: [PINNBatch], counts: Tensor) {
        (batch.blocks(blockCount(batch)), Tensor(problem.termCounts(batch)))
    }

    /// The loss sums over all `blocks` and the gradient of `Σ scale·sums`: the blocks computed
    /// concurrently, their sums and gradients added in block order (so the result does not depend on
    /// the machine).
    func blockedSums(_ compiled: CompiledProblem<Net>, _ p: PINNParameters<Net>, _ blocks: [PINNBatch],
                     scale: Tensor) -> (sums: Tensor, gradients: [PINNParameters<Net>]) {
        let results = concurrentMap(blocks.count) { compiled.blockGradient(p, blocks[$0], scale) }
        return (results.dropFirst().reduce(results[0].0) { $0 + $1.0 }, results.map(\.1))
    }

    /// Trees added leaf by leaf, in order.
    static func sum(_ trees: [PINNParameters<Net>]) -> PINNParameters<Net> {
        trees.dropFirst().reduce(trees[0]) { $0.zipLeaves($1, +) }
    }

    /// The weighted loss of the state's batch that L-BFGS minimizes, with its gradient: without causal
    /// weighting, whose slab weights move with the parameters but carry no gradient, so that the
    /// gradient is the loss's own and the line search's Wolfe conditions are consistent.
    func lossAndGradient(_ state: PINNState<Net>) -> (PINNParameters<Net>) -> (Tensor, PINNParameters<Net>) {
        let (blocks, counts) = split(state.batch)
        let scale = state.weights / counts
        let compiled = compiled(state.window)
        return { p in
            let (sums, gradients) = self.blockedSums(compiled, p, blocks, scale: scale)
            return ((sums * scale).sum(), Self.sum(gradients))
        }
    }

    /// Trains from `state` to the end of the schedule (a resumed state continues where it stopped):
    /// Adam then L-BFGS, in each time window in turn.
    /// `report` is called every `reportEvery` steps and at the end; returning `false` stops the run.
    public func train(_ state: PINNState<Net>, report: ((PINNReport) -> Bool)? = nil) throws -> (PINNState<Net>, TrainingStop) {
        var state = state
        InterruptFlag.install()
        defer { InterruptFlag.uninstall() }
        let interruptsBefore = InterruptFlag.count
        // The reference on the evaluation grid is computed before the clock starts: it is not
        // training (a Cole–Hopf quadrature takes about a second), and the reports measure against it.
        _ = evaluation
        let started = Date(), firstStep = stepsDone(state)
        let elapsedBefore = state.history.last?[1] ?? 0
        var stop = TrainingStop.completed

        func record(_ phase: String, terms: [Double], loss: Double? = nil, measuring: Bool = true) -> Bool {
            let error = measuring ? relativeError(state) : nil
            let seconds = elapsedBefore + Date().timeIntervalSince(started)
            let done = stepsDone(state)
            let loss = loss ?? zip(terms, state.weights.doubles).reduce(0) { $0 + $1.0 * $1.1 }
            state.history.append([Double(done), seconds, loss, error ?? .nan] + terms)
            let rate = Double(done - firstStep) / Swift.max(Date().timeIntervalSince(started), 1e-9)
            let r = PINNReport(phase: phase, step: done, totalSteps: totalSteps, loss: loss, terms: terms, error: error,
                               stepsPerSecond: rate, secondsRemaining: Double(totalSteps - done) / Swift.max(rate, 1e-9),
                               seconds: seconds, window: state.window)
            return report?(r) ?? true
        }

        while true {
            let window = try windowProblem(state), compiled = compiled(state.window)
            var (blocks, counts) = split(state.batch)
            while state.step < options.adamSteps {
                if try adapt(&state, window) { (blocks, counts) = split(state.batch) }
                let terms: Tensor
                if options.causal != nil && state.batch.chunks.shape[0] > 0 {
                    // Causal slab weights need every point: one block.
                    let (p, s, t) = compiled.adamStep(state.parameters, state.optimizer, state.batch, state.weights)
                    (state.parameters, state.optimizer, terms) = (p, s, t)
                } else {
                    let (sums, gradients) = blockedSums(compiled, state.parameters, blocks, scale: state.weights / counts)
                    (state.parameters, state.optimizer) = update(state.parameters, state.optimizer, gradients)
                    terms = sums / counts
                }
                state.step += 1
                let done = state.step == options.adamSteps
                if state.step % options.reportEvery == 0 || done {
                    if !record("adam", terms: terms.doubles) { stop = .stoppedByCallback; break }
                }
                if let checkpoint = options.checkpoint, state.step % options.checkpointEvery == 0 || done {
                    try save(state, to: checkpoint)
                }
                if InterruptFlag.count > interruptsBefore { stop = .interrupted; break }
            }
            if stop == .completed && state.lbfgsStop == nil && state.lbfgsIterations < options.lbfgsIterations {
                let left = options.lbfgsIterations - state.lbfgsIterations, before = state.lbfgsIterations
                let lbfgs = LBFGS(gradientTolerance: 0, functionTolerance: options.lbfgsFunctionTolerance,
                                  maxIterations: left, maxEvaluations: 2 * left)
                let frozen = state
                var stoppedByReport = false
                let result = lbfgs.minimize(valueAndGradient: lossAndGradient(frozen), from: state.parameters) { progress in
                    if (before + progress.iteration) % self.options.reportEvery == 0 {
                        // The minimizer reports its value only: the terms and the error wait for its end.
                        state.lbfgsIterations = before + progress.iteration
                        if !record("lbfgs", terms: [Double](repeating: .nan, count: self.problem.termNames.count),
                                   loss: progress.value, measuring: false) {
                            stoppedByReport = true
                        }
                    }
                    return !stoppedByReport && InterruptFlag.count == interruptsBefore
                }
                state.parameters = result.parameters
                state.lbfgsIterations = before + result.iterations
                let terms = window.lossTerms(state.parameters, state.batch).doubles
                let keepGoing = record("lbfgs", terms: terms)
                if stoppedByReport || !keepGoing { stop = .stoppedByCallback }
                else if result.stopReason == .callback { stop = .interrupted }
                else { state.lbfgsStop = result.stopReason }
            }
            guard stop == .completed, state.window + 1 < windowCount else { break }
            try advanceWindow(&state)
            if let checkpoint = options.checkpoint { try save(state, to: checkpoint) }
            if InterruptFlag.count > interruptsBefore { stop = .interrupted; break }
        }
        if let checkpoint = options.checkpoint { try save(state, to: checkpoint) }
        return (state, stop)
    }

    /// Before a step: redraws the batch, refines it, and updates adaptive weights when due. Returns
    /// whether the batch changed.
    func adapt(_ state: inout PINNState<Net>, _ window: Problem) throws -> Bool {
        var changed = false
        let step = state.step, key = windowKey(state), compiled = compiled(state.window)
        if options.resampleEvery > 0 && step > 0 && step % options.resampleEvery == 0 {
            state.batch = try drawBatch(window, key: key, step: step, refined: state.refined)
            changed = true
        }
        if let rar = options.refinement, step > 0, step % rar.every == 0 {
            let candidates = try window.domain.interiorPoints(rar.candidates, sampler: .uniform, key: key.foldIn(step).foldIn(7))
            let points = pointTensor(candidates, dimension: window.domain.dimension)
            let size = compiled.residualSize(state.parameters, points).doubles
            let worst = size.indices.sorted { size[$0] > size[$1] }.prefix(rar.added)
            let added = pointTensor(worst.map { candidates[$0] }, dimension: window.domain.dimension)
            state.refined = Tensor.concatenate([state.refined, added])
            state.batch = try withPoints(state.batch, adding: added, window)
            changed = true
        }
        if case let .gradientNorm(every, momentum) = options.weighting, step % every == 0 {
            let norms = compiled.termGradientNorms(state.parameters, state.batch).doubles
            let total = norms.reduce(0, +)
            let target = norms.map { $0 > 0 ? total / $0 : 1 }
            let current = state.weights.doubles
            state.weights = Tensor(zip(current, target).map { step == 0 ? $1 : momentum * $0 + (1 - momentum) * $1 })
        }
        return changed
    }
}

/// A trained solution on the problem's evaluation grid, as the program writes it.
public struct GridSolution: Sendable {
    /// The grid's coordinates, one array per dimension.
    public let axes: [[Double]]
    /// `u` at every grid node (row-major over `axes`), NaN outside the domain.
    public let u: [Double]
    /// The reference there, and `u − reference`, when the problem has one.
    public let reference: [Double]?
    public let error: [Double]?
    /// `‖u − u_ref‖₂ / ‖u_ref‖₂` over the nodes inside the domain.
    public let relativeError: Double?
}

extension PINNSolver {
    /// The solution (and the reference and the error) on the problem's evaluation grid.
    public func gridSolution(_ state: PINNState<Net>) -> GridSolution {
        let (points, axes, inside, reference) = evaluation
        let u = solution(state, at: points)
        func onGrid(_ values: Tensor) -> [Double] {
            let v = values.doubles
            var out = [Double](repeating: .nan, count: inside.count), k = 0
            for i in inside.indices where inside[i] { out[i] = v[k]; k += 1 }
            return out
        }
        return GridSolution(axes: axes, u: onGrid(u), reference: reference.map(onGrid), error: reference.map { onGrid(u - $0) },
                            relativeError: reference.map { Self.relativeError(u, $0) })
    }
}
