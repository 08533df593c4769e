import Foundation
import Testing
import Fluxion
import FluxionNN
import FluxionTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The training loop: resume bit for bit in a new process, checkpoints that survive a kill, bad
/// checkpoints that say what is wrong, early stopping and Ctrl-C.
@Suite("Training")
struct TrainingTests {
    /// A regression whose loss samples its points from the step's key.
    static func loss(_ model: MLP, _ key: PRNGKey) -> Tensor {
        let x = Random.uniform(key, shape: [32, 2], low: -1, high: 1)
        let y = sin(3 * x[.all, 0..<1]) * cos(2 * x[.all, 1..<2])
        let r = model(x) - y
        return (r * r).mean()
    }

    static func trainer() -> Trainer<MLP> {
        Trainer(optimizer: Optimizer.adam(learningRate: .cosineDecay(initial: 1e-2, decaySteps: 200)).clippingByGlobalNorm(1),
                loss: loss)
    }

    static var model: MLP { MLP(widths: [2, 16, 16, 1], activation: .tanh, key: PRNGKey(seed: 11)) }

    static func file(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("fluxion-training-\(name)")
    }

    @Test func resumesBitForBitInANewProcess() async throws {
        let trainer = Self.trainer()
        let (full, stop) = try trainer.train(trainer.start(Self.model, key: PRNGKey(seed: 5)), until: 200)
        #expect(stop == .completed)
        trainer.checkpoint = Self.file("half.npz")
        _ = try trainer.train(trainer.start(Self.model, key: PRNGKey(seed: 5)), until: 100)
        // A new process loads the checkpoint, trains to 200 steps and saves the parameters.
        await #expect(processExitsWith: .success) {
            let trainer = TrainingTests.trainer()
            let state = try! trainer.resume(like: TrainingTests.model, from: TrainingTests.file("half.npz"))
            precondition(state.step == 100)
            let (done, _) = try! trainer.train(state, until: 200)
            try! TreeFile.save(done.parameters, to: TrainingTests.file("resumed.npz"))
        }
        let resumed = try TreeFile.load(like: Self.model, from: Self.file("resumed.npz"))
        for (a, b) in zip(full.parameters.leaves, resumed.leaves) { #expect(a.doubles == b.doubles) }
    }

    @Test func aKillWhileWritingLeavesAReadableCheckpoint() async throws {
        let trainer = Self.trainer()
        let url = Self.file("killed.npz")
        try trainer.save(trainer.start(Self.model, key: PRNGKey(seed: 1)), to: url)
        await #expect(processExitsWith: .signal(SIGKILL)) {
            let trainer = TrainingTests.trainer()
            let big = MLP(widths: [2, 256, 256, 1], key: PRNGKey(seed: 2))
            let bigTrainer = Trainer(optimizer: .adam(learningRate: 1e-3)) { (m: MLP, k: PRNGKey) in TrainingTests.loss(m, k) }
            _ = trainer
            Thread.detachNewThread {
                usleep(useconds_t(30_000 + Int.random(in: 0..<40_000)))
                kill(getpid(), SIGKILL)
            }
            var state = bigTrainer.start(big, key: PRNGKey(seed: 3))
            while true {
                state.step += 1
                try! bigTrainer.save(state, to: TrainingTests.file("killed.npz"))
            }
        }
        // Whatever moment the kill came, the file is a whole checkpoint, of one model or the other.
        let small = try? trainer.resume(like: Self.model, from: url)
        let big = try? Trainer(optimizer: .adam(learningRate: 1e-3)) { (m: MLP, k: PRNGKey) in Self.loss(m, k) }
            .resume(like: MLP(widths: [2, 256, 256, 1], key: PRNGKey(seed: 2)), from: url)
        #expect(small != nil || big != nil)
    }

    @Test func badCheckpointsSayWhatIsWrong() throws {
        let trainer = Self.trainer()
        let url = Self.file("bad.npz")
        try trainer.save(trainer.start(Self.model, key: PRNGKey(seed: 1)), to: url)
        // Another width: the first parameter that does not fit is named.
        let wider = MLP(widths: [2, 32, 16, 1], key: PRNGKey(seed: 1))
        #expect(throws: TreeFileError.mismatch(parameter: "parameters/layers/0/bias", expected: TensorType(shape: [32], dtype: .float64),
                                               found: TensorType(shape: [16], dtype: .float64), file: url.path)) {
            try trainer.resume(like: wider, from: url)
        }
        // Another model: a deeper network misses layers.
        let deeper = MLP(widths: [2, 16, 16, 16, 1], key: PRNGKey(seed: 1))
        #expect(throws: TreeFileError.self) { try trainer.resume(like: deeper, from: url) }
        // A shallower one finds parameters it does not have.
        let shallower = MLP(widths: [2, 16, 1], key: PRNGKey(seed: 1))
        #expect(throws: TreeFileError.self) { try trainer.resume(like: shallower, from: url) }
        // A truncated file.
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: url)
        let message = (try? trainer.resume(like: Self.model, from: url)).map { _ in "loaded" }
            ?? { do { _ = try trainer.resume(like: Self.model, from: url); return "" } catch { return "\(error)" } }()
        #expect(message.contains("malformed NPZ archive") && message.contains(url.path))
    }

    @Test func parametersAreNamedByTheirPaths() throws {
        let url = Self.file("named.npz")
        try TreeFile.save(Self.model, to: url)
        let members = try NPZ.read(from: url)
        #expect(Set(members.keys) == ["layers/0/bias", "layers/0/weight", "layers/1/bias", "layers/1/weight",
                                      "layers/2/bias", "layers/2/weight"])
        let back = try TreeFile.load(like: Self.model, from: url)
        #expect(back.layers[2].weight.doubles == Self.model.layers[2].weight.doubles && back.activation == .tanh)
    }

    @Test func earlyStopAndInterrupt() async throws {
        let trainer = Self.trainer()
        trainer.reportEvery = 10
        var reports: [Int] = []
        let (stopped, reason) = try trainer.train(trainer.start(Self.model, key: PRNGKey(seed: 2)), until: 100) { r in
            reports.append(r.step)
            return r.step < 30
        }
        #expect(reason == .stoppedByCallback && stopped.step == 30 && reports == [10, 20, 30])
        // Ctrl-C (in a child process: a signal reaches the whole process): the run finishes its
        // step, writes its checkpoint and returns.
        await #expect(processExitsWith: .success) {
            let trainer = TrainingTests.trainer()
            trainer.reportEvery = 10
            trainer.checkpoint = TrainingTests.file("interrupted.npz")
            let (state, why) = try! trainer.train(trainer.start(TrainingTests.model, key: PRNGKey(seed: 2)), until: 100_000) { r in
                if r.step == 40 {
                    kill(getpid(), SIGINT)   // delivered to a thread that does not block it, perhaps a moment later
                    usleep(100_000)
                }
                return true
            }
            precondition(why == .interrupted && state.step >= 40 && state.step < 100_000)
            exit(try! trainer.resume(like: TrainingTests.model, from: TrainingTests.file("interrupted.npz")).step == state.step ? 0 : 1)
        }
        let line = ProgressBar(width: 10).line(TrainingReport(step: 5, totalSteps: 10, loss: 0.5, stepsPerSecond: 2,
                                                              secondsRemaining: 2.5))
        #expect(line.hasPrefix("[#####·····]") && line.contains("2.0 it/s") && line.contains("0:00:02 left"))
    }

    @Test func aRegressionConvergesWithAdamThenLBFGS() throws {
        // A fixed sample (the key is ignored): Adam brings the loss down, L-BFGS to a minimum.
        let x = Random.uniform(PRNGKey(seed: 8), shape: [64, 2], low: -1, high: 1)
        let y = sin(2 * x[.all, 0..<1]) + x[.all, 1..<2] * x[.all, 1..<2]
        let fit = { (m: MLP, _: PRNGKey) -> Tensor in
            let r = m(x) - y
            return (r * r).mean()
        }
        let trainer = Trainer(optimizer: .adam(learningRate: 1e-2), loss: fit)
        let start = trainer.start(MLP(widths: [2, 16, 16, 1], key: PRNGKey(seed: 3)), key: PRNGKey(seed: 0))
        let initial = fit(start.parameters, start.key).item
        let (adam, _) = try trainer.train(start, until: 300)
        let afterAdam = fit(adam.parameters, adam.key).item
        let (refined, report) = trainer.refine(adam, with: LBFGS(gradientTolerance: 1e-7))
        #expect(afterAdam < 0.05 * initial)
        #expect(report.value < 0.1 * afterAdam && report.value < 1e-4, "\(initial) → \(afterAdam) → \(report.value)")
        #expect(fit(refined.parameters, refined.key).item == report.value)
    }
}
