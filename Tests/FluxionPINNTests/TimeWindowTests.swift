import Fluxion
import FluxionNN
@testable import FluxionPINN
import Foundation
import Testing

@Suite("PINN time windows")
struct TimeWindowTests {
    /// The time coordinates of points `[n, 2]`.
    func times(_ points: Tensor) -> [Double] { points[.ellipsis, 1..<2].doubles }

    /// The heat problem with its initial value and walls exact (a hard constraint), trained in two
    /// windows of [0, 1].
    static func setup(adam: Int, lbfgs: Int = 0, checkpoint: URL? = nil, handOver: Int = 1000) throws -> PINNSolver<MLP> {
        var options = PINNTrainingTests.options(adam: adam, lbfgs: lbfgs)
        options.collocation = 200
        options.learningRate = 5e-3
        options.timeWindows = TimeWindows(count: 2, initialWeight: 10, handOverIterations: handOver)
        options.checkpoint = checkpoint
        let problem = try Problems.heat().withHardConstraints()
        problem.conditions.forEach { #expect($0.name != "initial") }
        return try PINNSolver<MLP>(problem, options: options)
    }

    /// Training moves through the windows: the second starts from the first's network and fits, as its
    /// initial term, the first window's solution at t = 1/2; the solution on the grid comes from each
    /// window's own network; the error is measured over the windows trained so far; both windows
    /// reach a small error.
    @Test func windowsFollowOneAnother() throws {
        let solver = try Self.setup(adam: 150, lbfgs: 150)
        #expect(solver.windowCount == 2 && solver.totalSteps == 600)
        #expect(solver.problem.termNames == ["residual", "initial"])
        let key = PRNGKey(seed: 21)
        let start = try solver.start(MLP(widths: [2, 16, 16, 1], key: key), key: key)
        #expect(times(start.batch.collocation).max()! <= 0.5)
        // In the first window the added initial term is exact (the hard constraint): zero to rounding.
        #expect(solver.problem.lossTerms(start.parameters, start.batch)[1].item < 1e-28)
        var windowsSeen: Set<Int> = [], firstWindowError = Double.nan
        let (state, stop) = try solver.train(start) { r in
            windowsSeen.insert(r.window)
            if r.window == 0, let e = r.error { firstWindowError = e }
            return true
        }
        #expect(stop == .completed && state.window == 1 && state.finished.count == 1 && windowsSeen == [0, 1])

        let initial = try #require(state.batch.conditions["initial"])
        #expect(times(initial.points).allSatisfy { $0 == 0.5 })
        let previous = solver.compiled(0).evaluate(state.finished[0], initial.points)
        #expect(initial.targets.doubles == previous.doubles)
        #expect(times(state.batch.collocation).min()! >= 0.5)

        let points = Tensor([0.3, 0.2, 0.7, 0.2, 0.3, 0.9, 0.6, 0.5], shape: [4, 2])
        let u = solver.solution(state, at: points).doubles
        let early = solver.compiled(0).evaluate(state.finished[0], points[0..<2]).doubles
        let late = solver.compiled(1).evaluate(state.parameters, points[2..<4]).doubles
        #expect(u == early + late)

        let error = try #require(solver.relativeError(state))
        #expect(firstWindowError < 2e-2 && error < 2e-2, "first window \(firstWindowError), both \(error)")
        let steps = state.history.map { $0[0] }
        #expect(steps == steps.sorted() && steps.last == 600)
    }

    /// Where the first window's hard constraint fixed the initial value, the second window's network
    /// is first fitted to the first window's field (extended over the second window's points): the
    /// field it starts from is close to that one, unlike the network handed over as it is.
    @Test func handOverFitsTheFirstWindowsField() throws {
        let key = PRNGKey(seed: 24)
        func misfit(handOver: Int) throws -> Double {
            let solver = try Self.setup(adam: 60, handOver: handOver)
            var state = try solver.start(MLP(widths: [2, 12, 12, 1], key: key), key: key)
            (state, _) = try solver.train(state) { r in r.step < 60 }   // stops at the end of window 0
            #expect(state.window == 0 && state.step == 60)
            try solver.advanceWindow(&state)
            #expect(state.window == 1 && state.step == 0)
            let points = state.batch.collocation
            let before = solver.compiled(0).evaluate(state.finished[0], points)
            let after = solver.compiled(1).evaluate(state.parameters, points)
            return ((after - before).norm() / before.norm()).item
        }
        let fitted = try misfit(handOver: 300), plain = try misfit(handOver: 0)
        #expect(fitted < 2e-2 && fitted < plain / 10, "fitted \(fitted), handed over as it is \(plain)")
    }

    /// A run stopped in the second window and resumed from its checkpoint (the first window's
    /// network read back from the file) ends bit for bit where an uninterrupted run does.
    @Test func resumeInALaterWindowIsBitForBit() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pinn-windows-\(UUID()).npz")
        defer { try? FileManager.default.removeItem(at: url) }
        let key = PRNGKey(seed: 22)
        let net = MLP(widths: [2, 8, 1], key: key)
        let whole = try Self.setup(adam: 20, lbfgs: 10)
        let (straight, _) = try whole.train(try whole.start(net, key: key))

        let first = try Self.setup(adam: 20, lbfgs: 10, checkpoint: url)
        let (stopped, how) = try first.train(try first.start(net, key: key)) { r in !(r.window == 1 && r.step >= 40) }
        #expect(how == .stoppedByCallback && stopped.window == 1 && stopped.step == 10)
        let again = try Self.setup(adam: 20, lbfgs: 10)
        let resumed = try again.resume(net, from: url)
        #expect(resumed.window == 1 && resumed.finished.count == 1 && resumed.step == 10)
        let (finished, _) = try again.train(resumed)
        #expect(finished.parameters.raveled().vector.doubles == straight.parameters.raveled().vector.doubles)
        #expect(finished.finished[0].raveled().vector.doubles == straight.finished[0].raveled().vector.doubles)
        #expect(finished.history.map { $0[0] } == straight.history.map { $0[0] })
    }

    /// A steady problem, or one without an initial condition, cannot be trained in windows: a thrown
    /// error naming the problem.
    @Test func windowsNeedAnEvolutionProblemWithAStart() throws {
        var options = PINNOptions()
        options.timeWindows = TimeWindows(count: 3)
        #expect(throws: TimeWindowError.needsTime(problem: "poisson-1d")) {
            try PINNSolver<MLP>(try PINNTrainingTests.poisson1D(), options: options)
        }
        var noStart = try Problems.heat()
        noStart.conditions.removeAll { $0.name == "initial" }
        #expect(throws: TimeWindowError.needsInitialCondition(problem: "heat")) {
            try PINNSolver<MLP>(noStart, options: options)
        }
    }

    /// The periodic embedding makes a field network periodic in the problem's periodic coordinates,
    /// with its derivatives.
    @Test func periodicEmbeddingIsExactlyPeriodic() throws {
        let problem = try Problems.allenCahn()
        #expect(problem.periodicCoordinates == [2.0, nil])
        #expect(problem.withoutPeriodicTerms().termNames == ["residual", "initial"])
        let net = FieldNetwork(inputs: 2, hidden: [8, 8], periods: problem.periodicCoordinates, key: PRNGKey(seed: 23))
        #expect(net.periodic != nil && net.mlp.layers[0].weight.shape[0] == 3)
        let f = { (z: Tensor) in net(z).reshaped(to: []) }
        let dx = { (z: Tensor) in grad(f)(z)[0] }
        for (x, t) in [(-1.0, 0.3), (-0.25, 0.8)] {
            let (a, b) = (Tensor([x, t]), Tensor([x + 2, t]))
            #expect(abs(f(a).item - f(b).item) < 1e-12)
            #expect(abs(dx(a).item - dx(b).item) < 1e-12)
        }
        #expect(FieldNetwork(inputs: 2, hidden: [4], periods: [nil, nil], key: PRNGKey(seed: 1)).periodic == nil)
    }
}
