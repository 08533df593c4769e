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
    public let problem: Problem
    public let options: PINNOptions
    let optimizer: Optimizer
    let adamStep: JitFunction<PINNParameters<Net>, OptimizerState, PINNBatch, Tensor, (PINNParameters<Net>, OptimizerState, Tensor)>
    /// One block's loss sums and the gradient of `Σ scale·sums` (the blocks of a step run concurrently).
    let blockGradient: JitFunction<PINNParameters<Net>, PINNBatch, Tensor, (Tensor, PINNParameters<Net>)>
    /// Adam's update from the blocks' gradients, added in order.
    let update: JitFunction<PINNParameters<Net>, OptimizerState, [PINNParameters<Net>], (PINNParameters<Net>, OptimizerState)>
    let termGradientNorms: JitFunction<PINNParameters<Net>, PINNBatch, Tensor>
    let evaluate: JitFunction<PINNParameters<Net>, Tensor, Tensor>
    let residualSize: JitFunction<PINNParameters<Net>, Tensor, Tensor>
    /// The evaluation grid (its points inside the domain, its axes, which nodes are inside) and the
    /// reference at those points: computed once, since a reference can be costly (Cole–Hopf).
    private lazy var evaluation: (points: Tensor, axes: [[Double]], inside: [Bool], reference: Tensor?) = {
        let (points, axes, inside) = problem.evaluationPoints()
        return (points, axes, inside, problem.reference.map { $0(points) })
    }()

    public init(_ problem: Problem, options: PINNOptions = PINNOptions()) throws {
        try problem.validate()
        self.problem = problem
        self.options = options
        let optimizer = Optimizer.adam(learningRate: options.learningRate)
        self.optimizer = optimizer
        let causal = options.causal
        adamStep = jit { (p: PINNParameters<Net>, s: OptimizerState, batch: PINNBatch, weights: Tensor) in
            let (terms, pullback) = vjp({ (q: PINNParameters<Net>) in problem.lossTerms(q, batch, causal: causal) }, at: p)
            let g = pullback(weights)
            let (next, state) = optimizer.step(p, gradient: g, state: s)
            return (next, state, terms)
        }
        blockGradient = jit { (p: PINNParameters<Net>, block: PINNBatch, scale: Tensor) in
            let (sums, pullback) = vjp({ (q: PINNParameters<Net>) in problem.lossSums(q, block) }, at: p)
            return (sums, pullback(scale))
        }
        update = jit { (p: PINNParameters<Net>, s: OptimizerState, gradients: [PINNParameters<Net>]) in
            optimizer.step(p, gradient: Self.sum(gradients), state: s)
        }
        let count = problem.termNames.count
        termGradientNorms = jit { (p: PINNParameters<Net>, batch: PINNBatch) in
            let (_, pullback) = vjp({ (q: PINNParameters<Net>) in problem.lossTerms(q, batch, causal: causal) }, at: p)
            return Tensor.stack((0..<count).map { i in
                var e = [Double](repeating: 0, count: count); e[i] = 1
                let g = pullback(Tensor(e)).leaves
                let squares: [Tensor] = g.map { ($0 * $0).sum() }
                return sqrt(squares.reduce(Tensor(0.0)) { $0 + $1 })
            })
        }
        evaluate = jit { (p: PINNParameters<Net>, points: Tensor) in vmap(problem.field(p.network))(points) }
        residualSize = jit { (p: PINNParameters<Net>, points: Tensor) in
            let r = problem.residuals(p, at: points)
            return r.rank > 1 ? abs(r).sum(alongAxes: Array(1..<r.rank)) : abs(r)
        }
    }

    /// Total steps: Adam steps plus L-BFGS iterations.
    public var totalSteps: Int { options.adamSteps + options.lbfgsIterations }

    /// The state at step 0: the network, the problem's coefficients, a first batch.
    public func start(_ network: Net, key: PRNGKey) throws -> PINNState<Net> {
        let parameters = PINNParameters(network: network,
                                        coefficients: problem.coefficients.mapValues { Tensor($0) })
        let weights = Tensor([1.0] + problem.conditions.map(\.weight))
        let refined = Tensor.zeros([0, problem.domain.dimension])
        return PINNState(parameters: parameters, optimizer: optimizer.initialize(parameters), weights: weights,
                         batch: try drawBatch(key: key, step: 0, refined: refined), refined: refined, key: key, step: 0,
                         lbfgsIterations: 0, lbfgsStop: nil, history: [])
    }

    func drawBatch(key: PRNGKey, step: Int, refined: Tensor) throws -> PINNBatch {
        var batch = try problem.batch(collocation: options.collocation, sampler: options.sampler, key: key.foldIn(step),
                                      causalChunks: options.causal?.chunks ?? 0)
        if refined.shape[0] > 0 { batch = try withPoints(batch, adding: refined) }
        return batch
    }

    /// The batch with more collocation points (and its causal chunks redrawn for them).
    func withPoints(_ batch: PINNBatch, adding points: Tensor) throws -> PINNBatch {
        var b = batch
        b.collocation = Tensor.concatenate([batch.collocation, points])
        b.chunks = problem.timeSlabs(of: b.collocation, count: options.causal?.chunks ?? 0)
        return b
    }

    /// The solution at points `[n, dimension]`.
    public func solution(_ state: PINNState<Net>, at points: Tensor) -> Tensor { evaluate(state.parameters, points) }

    /// `‖u − u_ref‖₂ / ‖u_ref‖₂` on the evaluation grid, when the problem has a reference.
    public func relativeError(_ state: PINNState<Net>) -> Double? {
        guard let reference = evaluation.reference else { return nil }
        return Self.relativeError(solution(state, at: evaluation.points), reference)
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
    func blockedSums(_ p: PINNParameters<Net>, _ blocks: [PINNBatch], scale: Tensor) -> (sums: Tensor, gradients: [PINNParameters<Net>]) {
        let results = concurrentMap(blocks.count) { blockGradient(p, blocks[$0], scale) }
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
        return { p in
            let (sums, gradients) = self.blockedSums(p, blocks, scale: scale)
            return ((sums * scale).sum(), Self.sum(gradients))
        }
    }

    /// Trains from `state` to the end of the schedule (a resumed state continues where it stopped).
    /// `report` is called every `reportEvery` steps and at the end; returning `false` stops the run.
    public func train(_ state: PINNState<Net>, report: ((PINNReport) -> Bool)? = nil) throws -> (PINNState<Net>, TrainingStop) {
        var state = state
        InterruptFlag.install()
        defer { InterruptFlag.uninstall() }
        let interruptsBefore = InterruptFlag.count
        // The reference on the evaluation grid is computed before the clock starts: it is not
        // training (a Cole–Hopf quadrature takes about a second), and the reports measure against it.
        _ = evaluation
        let started = Date(), firstStep = state.step + state.lbfgsIterations
        let elapsedBefore = state.history.last?[1] ?? 0
        var stop = TrainingStop.completed

        func record(_ phase: String, terms: [Double], loss: Double? = nil, measuring: Bool = true) -> Bool {
            let error = measuring ? relativeError(state) : nil
            let seconds = elapsedBefore + Date().timeIntervalSince(started)
            let done = state.step + state.lbfgsIterations
            let loss = loss ?? zip(terms, state.weights.doubles).reduce(0) { $0 + $1.0 * $1.1 }
            state.history.append([Double(done), seconds, loss, error ?? .nan] + terms)
            let rate = Double(done - firstStep) / Swift.max(Date().timeIntervalSince(started), 1e-9)
            let r = PINNReport(phase: phase, step: done, totalSteps: totalSteps, loss: loss, terms: terms, error: error,
                               stepsPerSecond: rate, secondsRemaining: Double(totalSteps - done) / Swift.max(rate, 1e-9),
                               seconds: seconds)
            return report?(r) ?? true
        }

        var (blocks, counts) = split(state.batch)
        while state.step < options.adamSteps {
            if try adapt(&state) { (blocks, counts) = split(state.batch) }
            let terms: Tensor
            if options.causal != nil && state.batch.chunks.shape[0] > 0 {
                // Causal slab weights need every point: one block.
                let (p, s, t) = adamStep(state.parameters, state.optimizer, state.batch, state.weights)
                (state.parameters, state.optimizer, terms) = (p, s, t)
            } else {
                let (sums, gradients) = blockedSums(state.parameters, blocks, scale: state.weights / counts)
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
            let terms = problem.lossTerms(state.parameters, state.batch).doubles
            let keepGoing = record("lbfgs", terms: terms)
            if stoppedByReport || !keepGoing { stop = .stoppedByCallback }
            else if result.stopReason == .callback { stop = .interrupted }
            else { state.lbfgsStop = result.stopReason }
        }
        if let checkpoint = options.checkpoint { try save(state, to: checkpoint) }
        return (state, stop)
    }

    /// Before a step: redraws the batch, refines it, and updates adaptive weights when due. Returns
    /// whether the batch changed.
    func adapt(_ state: inout PINNState<Net>) throws -> Bool {
        var changed = false
        let step = state.step
        if options.resampleEvery > 0 && step > 0 && step % options.resampleEvery == 0 {
            state.batch = try drawBatch(key: state.key, step: step, refined: state.refined)
            changed = true
        }
        if let rar = options.refinement, step > 0, step % rar.every == 0 {
            let candidates = try problem.domain.interiorPoints(rar.candidates, sampler: .uniform,
                                                               key: state.key.foldIn(step).foldIn(7))
            let points = pointTensor(candidates, dimension: problem.domain.dimension)
            let size = residualSize(state.parameters, points).doubles
            let worst = size.indices.sorted { size[$0] > size[$1] }.prefix(rar.added)
            let added = pointTensor(worst.map { candidates[$0] }, dimension: problem.domain.dimension)
            state.refined = Tensor.concatenate([state.refined, added])
            state.batch = try withPoints(state.batch, adding: added)
            changed = true
        }
        if case let .gradientNorm(every, momentum) = options.weighting, step % every == 0 {
            let norms = termGradientNorms(state.parameters, state.batch).doubles
            let total = norms.reduce(0, +)
            let target = norms.map { $0 > 0 ? total / $0 : 1 }
            let current = state.weights.doubles
            state.weights = Tensor(zip(current, target).map { step == 0 ? $1 : momentum * $0 + (1 - momentum) * $1 })
        }
        return changed
    }

    /// Writes a checkpoint (one NPZ file, atomically): parameters, optimizer state, weights, batch,
    /// refined points, key, steps and history.
    public func save(_ state: PINNState<Net>, to url: URL) throws {
        var members = TreeFile.members(state.parameters, prefix: "parameters")
        members.merge(TreeFile.members(state.optimizer, prefix: "optimizer")) { a, _ in a }
        members.merge(TreeFile.members(state.batch, prefix: "batch")) { a, _ in a }
        members["weights"] = state.weights
        members["refined"] = state.refined
        members["key"] = state.key.data
        let lbfgsStop = state.lbfgsStop.map { LBFGS.StopReason.allCases.firstIndex(of: $0)! } ?? -1
        members["step"] = Tensor([Int64(state.step), Int64(state.lbfgsIterations), Int64(lbfgsStop)])
        let columns = 4 + problem.termNames.count
        members["history"] = Tensor(state.history.flatMap { $0 }, shape: [state.history.count, columns])
        try TreeFile.writeAtomically(NPZ.encode(members), to: url)
    }

    /// Reads a checkpoint written by ``save(_:to:)`` for a network shaped like `network`; a file of
    /// another problem or model is a thrown error naming what does not fit.
    public func resume(_ network: Net, from url: URL) throws -> PINNState<Net> {
        let members = try TreeFile.readMembers(url)
        let file = url.path
        let template = try start(network, key: PRNGKey(seed: 0))
        let p = try TreeFile.tree(like: template.parameters, from: members, prefix: "parameters", file: file)
        let s = try TreeFile.tree(like: template.optimizer, from: members, prefix: "optimizer", file: file)
        let b = try TreeFile.tree(like: template.batch, from: members, prefix: "batch", file: file, checkingShapes: false)
        func member(_ name: String, _ shape: [Int]? = nil) throws -> Tensor {
            guard let t = members[name], shape.map({ $0 == t.shape }) ?? true else {
                throw TreeFileError.missing(parameter: name, file: file)
            }
            return t
        }
        let steps = try member("step", [3]).scalars(as: Int64.self)
        let stopIndex = Int(steps[2])
        guard stopIndex >= -1 && stopIndex < LBFGS.StopReason.allCases.count else {
            throw TreeFileError.missing(parameter: "step", file: file)
        }
        let history = try member("history")
        let columns = 4 + problem.termNames.count
        guard history.rank == 2, history.shape[1] == columns else { throw TreeFileError.missing(parameter: "history", file: file) }
        let h = history.doubles
        return PINNState(parameters: p, optimizer: s, weights: try member("weights", [columns - 4]), batch: b,
                         refined: try member("refined"), key: PRNGKey(data: try member("key")), step: Int(steps[0]),
                         lbfgsIterations: Int(steps[1]), lbfgsStop: stopIndex < 0 ? nil : LBFGS.StopReason.allCases[stopIndex],
                         history: (0..<history.shape[0]).map { Array(h[($0 * columns)..<(($0 + 1) * columns)]) })
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
