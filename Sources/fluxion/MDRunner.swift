import ArgumentParser
import Fluxion
import FluxionInput
import FluxionMD
import FluxionNN
import Foundation

/// Runs one `fluxion md run` configuration: builds the system, potential and integrator, runs the
/// simulation with a progress bar, and writes the results.
struct MDRunner {
    let configuration: MDRunConfiguration
    let inputFile: String
    let resume: Bool
    let quiet: Bool

    var directory: URL { URL(fileURLWithPath: configuration.output) }

    /// The starting system: a lattice, or an extended XYZ file's last frame.
    struct System {
        var positions: Tensor, velocities: Tensor?, masses: Tensor, box: SimulationBox, species: [String]
    }

    func system() throws -> System {
        let c = configuration
        guard let path = c.file else {
            let lattice = Lattice(rawValue: c.lattice)!
            var (x, box) = try lattice.positions(cells: c.cells, density: c.density)
            let n = x.shape[0]
            if c.jitter > 0 {
                x = x + Random.uniform(PRNGKey(seed: c.seed).foldIn(3), shape: x.shape, low: -c.jitter, high: c.jitter)
            }
            return System(positions: x, velocities: nil, masses: Tensor.full([n], c.mass), box: box, species: Array(repeating: "Ar", count: n))
        }
        // Relative to the input file's folder.
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: inputFile).deletingLastPathComponent())
        let frame = try MDSystemFile.read(url)
        return System(positions: Tensor(frame.positions, shape: [frame.atomCount, 3]),
                      velocities: frame.velocities.map { Tensor($0, shape: [frame.atomCount, 3]) },
                      masses: Tensor(frame.masses ?? Array(repeating: c.mass, count: frame.atomCount)), box: frame.box,
                      species: frame.species)
    }

    func forceField() throws -> ForceField {
        let c = configuration
        let truncation: Truncation = c.truncation == "shifted" ? .shifted : c.truncation == "smooth" ? .smooth(onset: c.onset) : .plain
        switch c.potential {
        case "wca": return .pairs(try LennardJones.wca(sigma: c.sigma, epsilon: c.epsilon), skin: c.skin)
        case "morse": return .pairs(try Morse(depth: c.depth, alpha: c.alpha, r0: c.r0, cutoff: c.cutoff, truncation: truncation), skin: c.skin)
        case "soft-sphere": return .pairs(try SoftSphere(sigma: c.sigma, epsilon: c.epsilon, exponent: c.exponent), skin: c.skin)
        default:
            return .pairs(try LennardJones(sigma: c.sigma, epsilon: c.epsilon, cutoff: .distance(c.cutoff), truncation: truncation), skin: c.skin)
        }
    }

    func integrator() throws -> any Integrator {
        let c = configuration
        switch c.ensemble {
        case "langevin": return try Langevin(timeStep: c.timeStep, temperature: c.temperature, friction: c.friction)
        case "nose-hoover": return try NoseHooverChain(timeStep: c.timeStep, temperature: c.temperature, timeScale: c.timeScale, chainLength: c.chain)
        case "brownian": return try Brownian(timeStep: c.timeStep, temperature: c.temperature, friction: c.friction)
        case "npt":
            return try LangevinNPT(timeStep: c.timeStep, temperature: c.temperature, pressure: c.pressure, friction: c.friction,
                                   compressibility: c.compressibility, timeScale: c.barostatTimeScale, anisotropic: c.anisotropic)
        case "minimize": return try FIRE()
        default: return try VelocityVerlet(timeStep: c.timeStep)
        }
    }

    func run() throws -> TrainingStop {
        let c = configuration
        let system = try system()
        let simulation = Simulation(integrator: try integrator(), forces: try forceField(), steps: c.steps)
        simulation.thermoEvery = c.thermoEvery
        simulation.trajectoryEvery = c.trajectoryEvery
        simulation.rdfEvery = system.box.isFree ? 0 : c.rdfEvery
        simulation.rdfRange = c.rdfRange
        simulation.rdfBins = c.rdfBins
        simulation.checkpointEvery = c.checkpointEvery
        let checkpoint = directory.appendingPathComponent("checkpoint.npz")
        simulation.checkpoint = checkpoint
        if c.ensemble == "minimize" {
            let tolerance = c.forceTolerance
            simulation.converged = { abs($0.forces).max().item < tolerance }
        }
        let key = PRNGKey(seed: c.seed)
        let velocities = system.velocities
            ?? initialVelocities(masses: system.masses, temperature: c.ensemble == "minimize" ? 0 : c.initialTemperature,
                                 key: key.foldIn(1), dimension: 3)
        var state = try simulation.start(positions: system.positions, velocities: velocities, masses: system.masses,
                                         box: system.box, key: key.foldIn(2))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let output = try MDOutput(directory: directory, configuration: c, species: system.species, resume: resume)
        if resume {
            guard FileManager.default.fileExists(atPath: checkpoint.path) else {
                throw InputError(file: checkpoint.path, "no checkpoint to resume from (run without --resume first)")
            }
            let extra: [String: Tensor]
            (state, extra) = try simulation.resume(like: state, from: checkpoint)
            try output.truncateTrajectory(to: extra["trajectory_bytes"].map { Int($0.scalar(as: Int64.self)) } ?? 0)
        } else {
            try output.startTrajectory()
            try output.appendFrame(state)
        }
        simulation.checkpointExtra = { ["trajectory_bytes": Tensor(Int64(output.trajectoryBytes))] }
        print("fluxion md: \(system.positions.shape[0]) atoms, \(c.potential), \(c.ensemble), \(c.steps) steps of \(c.timeStep)"
              + (resume ? ", resumed at step \(state.step)" : ""))
        let started = Date()
        let stop: TrainingStop
        (state, stop) = try simulation.run(state, frame: { try output.appendFrame($0) }) { report in
            let r = report.record
            let left = Int(report.secondsRemaining.isFinite ? report.secondsRemaining : 0)
            let line = String(format: "step %d/%d  T %.4f  E %.6e  P %.4f  %.1f steps/s  %d:%02d:%02d left", r.step, report.totalSteps,
                              r.temperature, r.totalEnergy, r.pressure, report.stepsPerSecond, left / 3600, left / 60 % 60, left % 60)
            if quiet { FileHandleOutput.progressLine(line) } else { ProgressBar().draw(report.training, suffix: line) }
            return true
        }
        if !quiet && (stop != .completed || state.step < c.steps) { FileHandle.standardError.write(Data("\n".utf8)) }
        try output.finish(state, simulation: simulation, seconds: Date().timeIntervalSince(started), stop: stop)
        if stop == .interrupted {
            FileHandleOutput.standardError("fluxion md: stopped at step \(state.step); checkpoint written to \(checkpoint.path); continue with --resume")
        }
        let last = simulation.thermo.last!
        print(String(format: "fluxion md: %@ at step %d; T %.4f, E %.8e, P %.5f; results in %@",
                     stop == .completed ? "done" : "stopped", state.step, last.temperature, last.totalEnergy, last.pressure, directory.path))
        return stop
    }
}
