import Fluxion
import FluxionNN
@testable import FluxionPINN
import Foundation
import Testing

@Suite("PINN training")
struct PINNTrainingTests {
    /// −u'' = π² sin πx on [0, 1], u(0) = u(1) = 0: u = sin πx.
    static func poisson1D() throws -> Problem {
        Problem(name: "poisson-1d", domain: try Interval(0, 1),
                residual: { u in u.xx + Double.pi * Double.pi * sin(Double.pi * u.coordinate(0)) },
                conditions: [.dirichlet("ends", points: 2) { _ in 0 }],
                reference: { p in sin(Double.pi * p) .reshaped(to: [p.shape[0]]) }, evaluationGrid: [101])
    }

    static func options(adam: Int, lbfgs: Int = 0) -> PINNOptions {
        var o = PINNOptions()
        o.collocation = 32
        o.adamSteps = adam
        o.lbfgsIterations = lbfgs
        o.learningRate = 1e-2
        o.reportEvery = 10
        return o
    }

    /// Adam then L-BFGS reach the known solution (relative L2 below 1e-3), and the error falls.
    @Test func poissonConvergesToTheKnownSolution() throws {
        let solver = try PINNSolver<MLP>(try Self.poisson1D(), options: Self.options(adam: 200, lbfgs: 300))
        let key = PRNGKey(seed: 0)
        var errors: [Double] = []
        var state = try solver.start(MLP(widths: [1, 16, 16, 1], key: key), key: key)
        (state, _) = try solver.train(state) { r in if let e = r.error, !e.isNaN { errors.append(e) }; return true }
        let error = try #require(solver.relativeError(state))
        #expect(error < 1e-3, "relative L2 error \(error)")
        #expect(errors.first! > 10 * error)
        #expect(errors == state.history.map { $0[3] }.filter { !$0.isNaN })
    }

    /// On the L-shape, the corner's singular coefficient is trained with the network: from 0 towards
    /// the 0.40 that long runs settle on, and the error falls below that of the network without it,
    /// on the same short budget.
    @Test func lShapeLearnsItsCornerCoefficient() throws {
        var options = Self.options(adam: 100, lbfgs: 300)
        options.collocation = 400
        options.learningRate = 5e-3
        let key = PRNGKey(seed: 8)
        let net = MLP(widths: [2, 16, 16, 1], key: key)
        let enriched = try Problems.poissonLShape(spacing: 1.0 / 64).withHardConstraints()
        let solver = try PINNSolver<MLP>(enriched, options: options)
        let (state, _) = try solver.train(try solver.start(net, key: key))
        let corner = state.parameters.coefficients["corner"]!.item
        #expect(corner > 0.02 && corner < 0.6, "corner coefficient \(corner)")

        var plain = enriched
        plain.hardConstraint = .zeroOnPolygon(plain.domain as! Polygon)
        plain.coefficients = [:]
        let without = try PINNSolver<MLP>(plain, options: options)
        let (other, _) = try without.train(try without.start(net, key: key))
        let (a, b) = (try #require(solver.relativeError(state)), try #require(without.relativeError(other)))
        #expect(a < b, "with the singular term \(a), without \(b)")
    }

    /// The inverse problem learns its coefficient: from 0.05 towards the true 0.1.
    @Test func inverseProblemMovesItsCoefficient() throws {
        var options = Self.options(adam: 150)
        options.collocation = 64
        options.learningRate = 5e-3
        let solver = try PINNSolver<MLP>(try Problems.heatInverse(observations: 64), options: options)
        let key = PRNGKey(seed: 1)
        var state = try solver.start(MLP(widths: [2, 12, 12, 1], key: key), key: key)
        (state, _) = try solver.train(state)
        let kappa = state.parameters.coefficients["kappa"]!.item
        #expect(kappa != 0.05 && !kappa.isNaN)
    }

    /// 20 steps in one run equal 10 steps, a checkpoint, a resume and 10 more, bit for bit, with
    /// resampling, refinement and adaptive weights on.
    @Test func resumeIsBitForBit() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pinn-resume-\(UUID()).npz")
        defer { try? FileManager.default.removeItem(at: url) }
        var options = Self.options(adam: 20)
        options.resampleEvery = 4
        options.refinement = ResidualRefinement(every: 5, candidates: 64, added: 3)
        options.weighting = .gradientNorm(every: 3, momentum: 0.5)
        options.reportEvery = 5
        let key = PRNGKey(seed: 2)
        let net = MLP(widths: [1, 8, 1], key: key)
        let whole = try PINNSolver<MLP>(try Self.poisson1D(), options: options)
        let (straight, _) = try whole.train(try whole.start(net, key: key))

        var half = options
        half.adamSteps = 10
        half.checkpoint = url
        let first = try PINNSolver<MLP>(try Self.poisson1D(), options: half)
        _ = try first.train(try first.start(net, key: key))
        let resumedSolver = try PINNSolver<MLP>(try Self.poisson1D(), options: options)
        let (resumed, _) = try resumedSolver.train(try resumedSolver.resume(net, from: url))
        #expect(resumed.step == 20)
        #expect(resumed.parameters.leaves.map(\.doubles) == straight.parameters.leaves.map(\.doubles))
        #expect(resumed.weights.doubles == straight.weights.doubles)
        #expect(resumed.refined.shape == [9, 1] && resumed.refined.doubles == straight.refined.doubles)
        #expect(straight.weights.doubles != [1, 1])
    }

    /// A run stopped inside the L-BFGS phase continues it, with the iterations left, when trained again.
    @Test func anInterruptedLBFGSPhaseContinues() throws {
        let solver = try PINNSolver<MLP>(try Self.poisson1D(), options: Self.options(adam: 5, lbfgs: 40))
        let key = PRNGKey(seed: 5)
        let (stopped, how) = try solver.train(try solver.start(MLP(widths: [1, 8, 1], key: key), key: key)) { r in
            !(r.phase == "lbfgs" && r.step >= 25)
        }
        #expect(how == .stoppedByCallback && stopped.lbfgsStop == nil)
        #expect(stopped.lbfgsIterations >= 20 && stopped.lbfgsIterations < 40)
        let (finished, end) = try solver.train(stopped)
        #expect(end == .completed && finished.lbfgsStop != nil && finished.lbfgsIterations <= 40)
        #expect(finished.lbfgsIterations > stopped.lbfgsIterations || finished.lbfgsStop != .maxIterations)
    }

    /// The loss L-BFGS minimizes has the gradient of its value (central differences along a random
    /// direction), also with causal weighting on; the causal loss itself does not (its weights carry
    /// no gradient), which made L-BFGS's first line search fail on Kuramoto–Sivashinsky.
    @Test func lbfgsLossGradientIsConsistentUnderCausalWeighting() throws {
        var options = Self.options(adam: 1)
        options.causal = CausalWeighting(chunks: 4, epsilon: 10)
        options.collocation = 64
        let solver = try PINNSolver<MLP>(try Problems.heat(), options: options)
        let key = PRNGKey(seed: 6)
        let state = try solver.start(MLP(widths: [2, 8, 1], key: key), key: key)
        let (vector, unravel) = state.parameters.raveled()
        let direction = Random.normal(key.foldIn(9), shape: vector.shape)
        func slope(_ f: @escaping (PINNParameters<MLP>) -> Tensor) -> (analytic: Double, numeric: Double) {
            let g = grad { (v: Tensor) in f(unravel(v)) }(vector)
            let h = 1e-5
            let numeric = (f(unravel(vector + h * direction)).item - f(unravel(vector - h * direction)).item) / (2 * h)
            return ((g * direction).sum().item, numeric)
        }
        let lossAndGradient = solver.lossAndGradient(state)
        let h = 1e-5
        let numeric = (lossAndGradient(unravel(vector + h * direction)).0.item - lossAndGradient(unravel(vector - h * direction)).0.item) / (2 * h)
        let analytic = (lossAndGradient(state.parameters).1.raveled().vector * direction).sum().item
        #expect(abs(analytic - numeric) < 1e-6 * max(1, abs(numeric)), "\(analytic) vs \(numeric)")
        let causal = slope { p in (solver.problem.lossTerms(p, state.batch, causal: options.causal) * state.weights).sum() }
        #expect(abs(causal.analytic - causal.numeric) > 1e-4 * abs(causal.numeric), "\(causal): the check can fail")
    }

    /// Causal weights: a slab's weight is exp(−ε × the losses of the slabs before it).
    @Test func causalWeightingDiscountsLaterSlabs() throws {
        let problem = try Problems.heat()
        let batch = try problem.batch(collocation: 64, sampler: .sobol, key: PRNGKey(seed: 3), causalChunks: 4)
        #expect(batch.chunks.shape == [4, 64] && batch.chunks.sum().item == 64)
        let p = PINNParameters(network: MLP(widths: [2, 8, 1], key: PRNGKey(seed: 4)), coefficients: [:])
        let plain = problem.lossTerms(p, batch)[0].item
        let causal = problem.lossTerms(p, batch, causal: CausalWeighting(chunks: 4, epsilon: 1e6))[0].item
        let flat = problem.lossTerms(p, batch, causal: CausalWeighting(chunks: 4, epsilon: 0))[0].item
        #expect(causal < flat && flat > 0 && plain > 0)
    }

    /// A step split into blocks: the blocks' loss sums and gradients add up to the whole batch's
    /// (mean-square terms times their weights), and the run does not depend on whether the blocks
    /// ran concurrently or one after another (bit for bit).
    @Test func blockedStepsEqualTheWholeBatch() throws {
        var options = Self.options(adam: 3)
        options.collocation = 100
        options.blockSize = 30
        let problem = try Problems.burgers()
        let solver = try PINNSolver<MLP>(problem, options: options)
        let key = PRNGKey(seed: 11)
        let state = try solver.start(MLP(widths: [2, 12, 12, 1], key: key), key: key)
        #expect(solver.blockCount(state.batch) == 4)
        let blocks = state.batch.blocks(4)
        #expect(blocks.map { $0.collocation.shape[0] } == [25, 25, 25, 25])
        #expect(blocks.map { $0.conditions["walls"]!.points.shape[0] }.reduce(0, +) == state.batch.conditions["walls"]!.points.shape[0])
        let whole = problem.lossSums(state.parameters, state.batch).doubles
        let summed = blocks.map { problem.lossSums(state.parameters, $0).doubles }.reduce([0.0, 0, 0]) { zip($0, $1).map(+) }
        for (a, b) in zip(whole, summed) { #expect(abs(a - b) <= 1e-12 * abs(a)) }

        let weights = state.weights.doubles, counts = problem.termCounts(state.batch)
        let (value, gradient) = solver.lossAndGradient(state)(state.parameters)
        let expected = grad { (p: PINNParameters<MLP>) in (problem.lossTerms(p, state.batch) * state.weights).sum() }(state.parameters)
        let meanSquares = problem.lossTerms(state.parameters, state.batch).doubles
        #expect(abs(value.item - zip(meanSquares, weights).map(*).reduce(0, +)) <= 1e-12 * value.item)
        for (a, b) in zip(gradient.raveled().vector.doubles, expected.raveled().vector.doubles) {
            #expect(abs(a - b) <= 1e-11 * max(1, abs(b)))
        }
        #expect(counts == [100, Double(state.batch.conditions["walls"]!.points.shape[0]), Double(state.batch.conditions["initial"]!.points.shape[0])])

        let (concurrent, _) = try solver.train(state)
        let (serial, _) = try Parallel.$isSharedOut.withValue(true) { try solver.train(state) }
        #expect(concurrent.parameters.raveled().vector.doubles == serial.parameters.raveled().vector.doubles)
        #expect(concurrent.parameters.raveled().vector.doubles != state.parameters.raveled().vector.doubles)
    }
}
