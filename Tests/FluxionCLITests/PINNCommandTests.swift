import FluxionInput
import FluxionPINN
import Foundation
import Testing

/// `fluxion pinn` as a user runs it: a starting file, a small run and its outputs, wrong files,
/// resume, and Ctrl-C.
@Suite("fluxion pinn", .serialized)
struct PINNCommandTests {
    /// A temporary folder, removed afterwards.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fluxion-pinn-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A small heat-equation run.
    static let small = """
        problem = "heat"
        output = "out"
        [network]
        hidden = [8, 8]
        [sampling]
        collocation = 64
        condition_points = 16
        [training]
        adam_steps = 30
        lbfgs_iterations = 10
        [results]
        report_every = 10
        checkpoint_every = 10
        grid = [11, 6]
        """

    /// The shipped input files (examples/pinn) are what `fluxion pinn init` writes, and they read back
    /// as the recommended configurations.
    @Test func shippedInputFilesAreTheStartingFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("examples/pinn")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".toml") }
        #expect(Set(files.map { String($0.dropLast(5)) }) == Set(Problems.names))
        for name in Problems.names {
            let text = try String(contentsOf: folder.appendingPathComponent(name + ".toml"), encoding: .utf8)
            #expect(text == PINNRunConfiguration.template(problem: name),
                    "examples/pinn/\(name).toml: regenerate with fluxion pinn init \(name) -o examples/pinn/\(name).toml")
            let c = try PINNRunConfiguration.parse(text, file: name)
            #expect(c == PINNRunConfiguration.recommended(for: name).with(parameters: c.parameters))
        }
    }

    @Test func initWritesAFileThatRuns() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (status, out, _) = try DemoCommandTests.run(["pinn", "init", "burgers"], in: dir)
        #expect(status == 0 && out.contains("burgers.toml"))
        let text = try String(contentsOf: dir.appendingPathComponent("burgers.toml"), encoding: .utf8)
        #expect(text.contains("problem = \"burgers\"") && text.contains("viscosity = 0.0031830988618379067"))
        // A second init does not overwrite it.
        let again = try DemoCommandTests.run(["pinn", "init", "burgers"], in: dir)
        #expect(again.status == 2 && again.err.contains("exists already"))
    }

    @Test func aSmallRunWritesEveryResult() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.small.write(to: dir.appendingPathComponent("heat.toml"), atomically: true, encoding: .utf8)
        let (status, out, err) = try DemoCommandTests.run(["pinn", "run", "heat.toml"], in: dir)
        #expect(status == 0, "\(err)")
        #expect(out.contains("done after 30 Adam steps and 10 L-BFGS iterations; relative L2 error"))
        #expect(err.contains("it/s") && err.contains("left"))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out").path).sorted()
        #expect(files == ["checkpoint.npz", "error.svg", "history.csv", "loss.svg", "solution.npz", "solution.svg", "summary.json"])
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("out/summary.json"))) as! [String: Any]
        #expect(summary["adam_steps"] as? Int == 30 && (summary["relative_l2_error"] as? Double ?? .nan) < 1.5)
        let csv = try String(contentsOf: dir.appendingPathComponent("out/history.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("step,seconds,loss,error,residual\n") && csv.split(separator: "\n").count >= 4)
        let svg = try String(contentsOf: dir.appendingPathComponent("out/solution.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("<rect"))
    }

    /// Each wrong file is one line on standard error naming the key, exit status 2, and no output folder.
    @Test func wrongFilesAreOneLineErrors() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(String, String)] = [
            ("problem = \"burgers\"\n[training\n", "line 2"),
            ("problem = \"burgers\"\noutput = \"out\"\n[training]\nadam_stpes = 10\n", "training.adam_stpes: unknown key (did you mean \"adam_steps\"?)"),
            ("problem = \"burgers\"\noutput = \"out\"\n[training]\nadam_steps = -3\n", "training.adam_steps: must be an integer in 0...100000000, got -3"),
            ("problem = \"burgers\"\noutput = \"out\"\n[network]\nactivation = \"tahn\"\n", "network.activation: \"tahn\" is not one of tanh"),
            ("output = \"out\"\n", "problem: missing; one of burgers"),
            ("problem = \"burger\"\noutput = \"out\"\n", "(did you mean \"burgers\"?)"),
            ("problem = \"heat\"\noutput = \"out\"\n[training]\nlearning_rate = \"fast\"\n", "training.learning_rate: must be a number"),
            ("problem = \"heat\"\noutput = \"out\"\n[parameters]\nviscosity = 0.1\n", "parameters.viscosity: unknown key"),
            ("problem = \"heat\"\noutput = \"out\"\n[results]\ngrid = [10]\n", "results.grid: 2 counts expected"),
            ("problem = \"helmholtz\"\noutput = \"out\"\n[training]\ntime_windows = 4\n", "training.time_windows: time windows need a time-dependent problem"),
            ("problem = \"heat\"\noutput = \"out\"\n[training]\ntime_windows = 0\n", "training.time_windows: must be an integer in 1...1000, got 0"),
        ]
        for (text, expected) in cases {
            try text.write(to: dir.appendingPathComponent("bad.toml"), atomically: true, encoding: .utf8)
            let (status, _, err) = try DemoCommandTests.run(["pinn", "run", "bad.toml"], in: dir)
            #expect(status == 2, "\(text)")
            #expect(err.contains(expected), "\(err)")
            #expect(err.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1, "\(err)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path), "\(text)")
        }
        let missing = try DemoCommandTests.run(["pinn", "run", "nowhere.toml"], in: dir)
        #expect(missing.status == 2 && missing.err.contains("nowhere.toml: cannot read the file"))
    }

    /// Ctrl-C stops at a step with a checkpoint; --resume finishes the run from it.
    @Test func interruptThenResume() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let long = Self.small.replacingOccurrences(of: "adam_steps = 30", with: "adam_steps = 100000")
            .replacingOccurrences(of: "lbfgs_iterations = 10", with: "lbfgs_iterations = 0")
        try long.write(to: dir.appendingPathComponent("heat.toml"), atomically: true, encoding: .utf8)
        // Interrupted after the first checkpoint.
        let (code, message) = try DemoCommandTests.interrupted(["pinn", "run", "heat.toml"], in: dir,
                                                               once: dir.appendingPathComponent("out/checkpoint.npz"))
        #expect(code == 130)
        #expect(message.contains("checkpoint written to") && message.contains("--resume"))
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("out/summary.json"))) as! [String: Any]
        let stoppedAt = try #require(summary["adam_steps"] as? Int)
        #expect(summary["stopped"] as? String == "interrupted" && stoppedAt < 100_000)

        let short = long.replacingOccurrences(of: "adam_steps = 100000", with: "adam_steps = \(stoppedAt + 20)")
        try short.write(to: dir.appendingPathComponent("heat.toml"), atomically: true, encoding: .utf8)
        let (status, out, e) = try DemoCommandTests.run(["pinn", "run", "heat.toml", "--resume"], in: dir)
        #expect(status == 0, "\(e)")
        #expect(out.contains("resumed at step \(stoppedAt)") && out.contains("done after \(stoppedAt + 20) Adam steps"))
    }
}

extension PINNRunConfiguration {
    func with(parameters: [String: Double]) -> PINNRunConfiguration {
        var c = self
        c.parameters = parameters
        return c
    }
}
