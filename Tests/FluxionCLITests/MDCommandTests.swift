import FluxionInput
import FluxionMD
import Foundation
import Testing

/// `fluxion md` as a user runs it: starting files, a small run and its outputs, wrong files, and
/// interrupted runs that resume bit for bit.
@Suite("fluxion md", .serialized)
struct MDCommandTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fluxion-md-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// 108 atoms of LJ liquid under a Langevin thermostat (random numbers, so resuming must restore the key).
    static let small = """
        seed = 3
        output = "out"
        [system]
        cells = [3, 3, 3]
        temperature = 1.2
        [run]
        ensemble = "langevin"
        temperature = 1.0
        steps = 300
        [results]
        thermo_every = 20
        trajectory_every = 50
        checkpoint_every = 100
        rdf_every = 10
        """

    static func text(_ dir: URL, _ name: String) throws -> String {
        try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }

    /// examples/md holds what `fluxion md init` writes, and each reads back as its recommended configuration.
    @Test func shippedInputFilesAreTheStartingFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("examples/md")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".toml") }
        #expect(Set(files.map { String($0.dropLast(5)) }) == Set(MDRunConfiguration.names))
        for name in MDRunConfiguration.names {
            let text = try String(contentsOf: folder.appendingPathComponent(name + ".toml"), encoding: .utf8)
            #expect(text == MDRunConfiguration.template(name: name), "regenerate with fluxion md init \(name) -o examples/md/\(name).toml")
            #expect(try MDRunConfiguration.parse(text, file: name) == MDRunConfiguration.recommended(for: name))
        }
    }

    @Test func aSmallRunWritesEveryResult() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.small.write(to: dir.appendingPathComponent("lj.toml"), atomically: true, encoding: .utf8)
        let (status, out, err) = try DemoCommandTests.run(["md", "run", "lj.toml"], in: dir)
        #expect(status == 0, "\(err)")
        #expect(out.contains("108 atoms, lennard-jones, langevin, 300 steps") && out.contains("done at step 300"))
        #expect(err.contains("steps/s") && err.contains("left") && err.contains("T "))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out").path).sorted()
        #expect(files == ["checkpoint.npz", "energy.svg", "final.xyz", "rdf.csv", "rdf.svg", "summary.json", "temperature.svg",
                          "thermo.csv", "trajectory.xyz"])
        // The trajectory: step 0 and every 50 steps, as extended XYZ with the cell and ASE's columns.
        let frames = try ExtendedXYZ.read(try Self.text(dir, "out/trajectory.xyz"))
        #expect(frames.map { $0.value("step") } == (0...6).map { .int($0 * 50) })
        #expect(frames.allSatisfy { $0.atomCount == 108 && $0.lattice != nil && $0.column("forces") != nil && $0.column("momenta") != nil })
        let csv = try Self.text(dir, "out/thermo.csv").split(separator: "\n")
        #expect(csv.first == Substring(ThermoRecord.columns.joined(separator: ",")) && csv.count == 1 + 16)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("out/summary.json"))) as! [String: Any]
        #expect(summary["atoms"] as? Int == 108 && summary["steps"] as? Int == 300)
        // The thermostat holds T near 1 (second half; 108 atoms fluctuate by about ±0.14).
        let meanT = try #require(summary["mean_temperature_second_half"] as? Double)
        #expect(abs(meanT - 1.0) < 0.15, "⟨T⟩ = \(meanT)")
        // A liquid's first RDF peak near 1.1σ.
        let rdf = try #require(summary["rdf"] as? [String: Any])
        #expect(abs((rdf["peak_r"] as? Double ?? 0) - 1.1) < 0.1 && (rdf["peak_g"] as? Double ?? 0) > 2)
        #expect(try Self.text(dir, "out/energy.svg").hasPrefix("<svg"))
    }

    /// A run started from an extended XYZ file (here: another run's final frame, with its momenta).
    @Test func startsFromAnExtendedXYZFile() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.small.replacingOccurrences(of: "steps = 300", with: "steps = 40")
            .write(to: dir.appendingPathComponent("a.toml"), atomically: true, encoding: .utf8)
        #expect(try DemoCommandTests.run(["md", "run", "a.toml", "--quiet"], in: dir).status == 0)
        let next = """
            output = "next"
            [system]
            file = "out/final.xyz"
            [run]
            steps = 20
            [results]
            rdf_every = 0
            """
        try next.write(to: dir.appendingPathComponent("b.toml"), atomically: true, encoding: .utf8)
        let (status, out, err) = try DemoCommandTests.run(["md", "run", "b.toml", "--quiet"], in: dir)
        #expect(status == 0, "\(err)")
        #expect(out.contains("108 atoms"))
        let first = try #require(ExtendedXYZ.read(try Self.text(dir, "next/trajectory.xyz")).first)
        let start = try #require(ExtendedXYZ.read(try Self.text(dir, "out/final.xyz")).first)
        #expect(first.positions == start.positions)
    }

    /// Each wrong file is one line on standard error naming the key or line, exit status 2.
    @Test func wrongFilesAreOneLineErrors() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "2\nLattice=\"5 0 0 0 5 0 0 0 5\"\nAr 0 0 0\nAr 1 1\n".write(to: dir.appendingPathComponent("bad.xyz"), atomically: true, encoding: .utf8)
        let cases: [(String, String)] = [
            ("[run]\nensemble = \"nvt\"\n", "run.ensemble: \"nvt\" is not one of nve, langevin"),
            ("[run]\ntime_stpe = 0.01\n", "run.time_stpe: unknown key (did you mean \"time_step\"?)"),
            ("[run]\ntime_step = -0.01\n", "run.time_step: must be a number in (0.0, 10.0]"),
            ("[system]\nlattice = \"hcp\"\n", "system.lattice: \"hcp\" is not one of sc, bcc, fcc"),
            ("[system]\ncells = [2, 2]\n", "system.cells: must be an array of 3...3 integers"),
            ("[potential]\nkind = \"lj\"\n", "potential.kind: \"lj\" is not one of"),
            ("[potential]\ntruncation = \"smooth\"\nonset = 3.0\n", "potential.onset: must be below the cutoff"),
            ("[system]\nfile = \"bad.xyz\"\n", "bad.xyz: line 4: expected 4 fields per atom"),
            ("[system]\nfile = \"missing.xyz\"\n", "missing.xyz: cannot read the file"),
            ("[run\n", "line 2"),
        ]
        for (text, expected) in cases {
            try ("output = \"out\"\n" + text).write(to: dir.appendingPathComponent("bad.toml"), atomically: true, encoding: .utf8)
            let (status, _, err) = try DemoCommandTests.run(["md", "run", "bad.toml"], in: dir)
            #expect(status == 2, "\(text)")
            #expect(err.contains(expected), "\(err)")
            #expect(err.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1, "\(err)")
        }
        let unknown = try DemoCommandTests.run(["md", "init", "argon"], in: dir)
        #expect(unknown.status == 2 && unknown.err.contains("unknown simulation \"argon\""))
    }

    /// Ctrl-C mid-run writes a checkpoint; --resume finishes the run, and every output (trajectory,
    /// thermo log, RDF, final frame) is byte for byte the uninterrupted run's.
    @Test func interruptThenResumeIsBitForBit() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let long = Self.small.replacingOccurrences(of: "steps = 300", with: "steps = 3000")
        try long.replacingOccurrences(of: "output = \"out\"", with: "output = \"whole\"")
            .write(to: dir.appendingPathComponent("whole.toml"), atomically: true, encoding: .utf8)
        try long.write(to: dir.appendingPathComponent("lj.toml"), atomically: true, encoding: .utf8)
        #expect(try DemoCommandTests.run(["md", "run", "whole.toml", "--quiet"], in: dir).status == 0)

        let (code, message) = try DemoCommandTests.interrupted(["md", "run", "lj.toml"], in: dir,
                                                               once: dir.appendingPathComponent("out/checkpoint.npz"), settle: 0.15)
        #expect(code == 130, "\(message)")
        #expect(message.contains("checkpoint written to") && message.contains("--resume"))
        let (status, out, e) = try DemoCommandTests.run(["md", "run", "lj.toml", "--resume", "--quiet"], in: dir)
        #expect(status == 0, "\(e)")
        #expect(out.contains("resumed at step") && out.contains("done at step 3000"))
        for file in ["trajectory.xyz", "thermo.csv", "rdf.csv", "final.xyz"] {
            #expect(try Self.text(dir, "out/" + file) == Self.text(dir, "whole/" + file), "\(file) differs from the uninterrupted run's")
        }
    }
}
