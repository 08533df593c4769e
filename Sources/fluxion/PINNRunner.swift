import ArgumentParser
import Fluxion
import FluxionInput
import FluxionNN
import FluxionPINN
import Foundation

/// Runs one `fluxion pinn run` configuration: builds the problem, network and schedule, trains with
/// a progress bar, and writes the results.
struct PINNRunner {
    let configuration: PINNRunConfiguration
    let resume: Bool
    let quiet: Bool

    var directory: URL { URL(fileURLWithPath: configuration.output) }

    /// The problem as the file configures it, and the periods of a periodic embedding (whose
    /// conditions it then holds exactly, so their terms are left out).
    func problem() throws -> (problem: Problem, periods: [Double?]?) {
        let c = configuration
        guard var p = try Problems.named(c.problem, parameters: c.parameters) else {
            throw InputError(file: c.problem, "unknown problem")
        }
        if c.hardConstraints { p = try p.withHardConstraints() }
        let periods = c.periodicEmbedding ? p.periodicCoordinates : nil
        if c.periodicEmbedding { p = p.withoutPeriodicTerms() }
        p.conditions = p.conditions.map { condition in
            var condition = condition
            if case .observations = condition.kind {} else { condition.points = c.conditionPoints }
            return condition
        }
        if !c.grid.isEmpty {
            guard c.grid.count == p.domain.dimension else {
                throw InputError(file: c.output, "results.grid: \(p.domain.dimension) counts expected for \(c.problem), got \(c.grid)")
            }
            p.evaluationGrid = c.grid
        }
        return (p, periods)
    }

    func options() -> PINNOptions {
        let c = configuration
        var o = PINNOptions()
        o.collocation = c.collocation
        o.sampler = Sampler(rawValue: c.sampler) ?? .sobol
        o.resampleEvery = c.resampleEvery
        o.adamSteps = c.adamSteps
        o.learningRate = .exponentialDecay(initial: c.learningRate, transitionSteps: c.decaySteps, rate: c.decayRate)
        o.lbfgsIterations = c.lbfgsIterations
        o.weighting = c.weighting == "gradient-norm" ? .gradientNorm(every: c.weightingEvery, momentum: 0.9) : .fixed
        o.causal = c.causalChunks > 0 ? CausalWeighting(chunks: c.causalChunks, epsilon: c.causalEpsilon) : nil
        o.timeWindows = c.timeWindows > 1 ? TimeWindows(count: c.timeWindows, initialWeight: c.windowInitialWeight) : nil
        o.refinement = c.rarEvery > 0 ? ResidualRefinement(every: c.rarEvery, candidates: c.rarCandidates, added: c.rarAdded) : nil
        o.blockSize = c.blockSize
        o.reportEvery = c.reportEvery
        o.checkpointEvery = c.checkpointEvery
        o.checkpoint = directory.appendingPathComponent("checkpoint.npz")
        return o
    }

    func run() throws -> TrainingStop {
        let c = configuration
        let (problem, periods) = try problem()
        let options = options()
        let key = PRNGKey(seed: c.seed)
        let network = FieldNetwork(inputs: problem.domain.dimension, hidden: c.hidden, activation: Activation(rawValue: c.activation) ?? .tanh,
                                   fourierFeatures: c.fourierFeatures, fourierScale: c.fourierScale,
                                   periods: periods, key: key.foldIn(1))
        let solver = try PINNSolver<FieldNetwork>(problem, options: options)
        let checkpoint = options.checkpoint!
        var state: PINNState<FieldNetwork>
        if resume {
            guard FileManager.default.fileExists(atPath: checkpoint.path) else {
                throw InputError(file: checkpoint.path, "no checkpoint to resume from (run without --resume first)")
            }
            state = try solver.resume(network, from: checkpoint)
        } else {
            state = try solver.start(network, key: key.foldIn(2))
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let names = solver.problem.termNames
        print("fluxion pinn: \(c.problem), \(problem.domain.dimension)-D, network \(c.hidden) \(c.activation), "
              + "\(c.collocation) collocation points, \(c.adamSteps) Adam steps + \(c.lbfgsIterations) L-BFGS iterations"
              + (c.timeWindows > 1 ? " in each of \(c.timeWindows) time windows" : "")
              + (resume ? ", resumed at step \(state.step + state.lbfgsIterations)" : ""))
        let started = Date()
        let stop: TrainingStop
        (state, stop) = try solver.train(state) { r in
            let terms = zip(names, r.terms).filter { !$0.1.isNaN }.map { String(format: "%@ %.2e", $0.0, $0.1) }.joined(separator: "  ")
            let error = r.error.map { String(format: "  error %.3e", $0) } ?? ""
            let left = Int(r.secondsRemaining.isFinite ? r.secondsRemaining : 0)
            let phase = c.timeWindows > 1 ? "window \(r.window + 1)/\(c.timeWindows) \(r.phase)" : r.phase
            let line = String(format: "%@ %6d/%d  %.1f it/s  %d:%02d:%02d left  loss %.3e  %@%@", phase, r.step, r.totalSteps,
                              r.stepsPerSecond, left / 3600, left / 60 % 60, left % 60, r.loss, terms, error)
            if quiet { FileHandleOutput.progressLine(line) } else { ProgressBar().draw(r.training, suffix: line) }
            return true
        }
        if !quiet && stop != .completed { FileHandle.standardError.write(Data("\n".utf8)) }
        let error = solver.relativeError(state)
        try PINNOutput(problem: problem, solver: solver, state: state, directory: directory, configuration: c,
                       seconds: Date().timeIntervalSince(started), stop: stop).write()
        if stop == .interrupted {
            FileHandleOutput.standardError("fluxion pinn: stopped at step \(state.step + state.lbfgsIterations); checkpoint written to "
                                           + "\(checkpoint.path); continue with --resume")
        }
        var summary = "fluxion pinn: \(stop == .completed ? "done" : "stopped") after \(state.step) Adam steps and \(state.lbfgsIterations) L-BFGS iterations"
            + (c.timeWindows > 1 ? " of time window \(state.window + 1)/\(c.timeWindows)" : "")
        if let error { summary += String(format: "; relative L2 error %.3e", error) }
        for (name, value) in state.parameters.coefficients.sorted(by: { $0.key < $1.key }) {
            summary += String(format: "; %@ = %.6g", name, value.item)
        }
        print(summary + "; results in \(directory.path)")
        return stop
    }
}
