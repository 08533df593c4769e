import Fluxion
import FluxionNN
import Foundation

/// One line of the thermo log.
public struct ThermoRecord: Sendable, Equatable {
    public var step: Int
    public var time: Double
    public var temperature: Double
    public var kineticEnergy: Double
    public var potentialEnergy: Double
    public var totalEnergy: Double
    /// What the integrator conserves (the total energy in NVE; the extended energy with a chain).
    public var conservedEnergy: Double
    public var pressure: Double
    public var volume: Double
    /// Mean-square displacement from the start (unwrapped positions).
    public var meanSquareDisplacement: Double

    /// The CSV header, in the order of ``values``.
    public static let columns = ["step", "time", "temperature", "kinetic_energy", "potential_energy", "total_energy",
                                 "conserved_energy", "pressure", "volume", "msd"]
    public var values: [Double] {
        [Double(step), time, temperature, kineticEnergy, potentialEnergy, totalEnergy, conservedEnergy, pressure, volume,
         meanSquareDisplacement]
    }

    init(_ v: [Double]) {
        (step, time, temperature, kineticEnergy, potentialEnergy) = (Int(v[0]), v[1], v[2], v[3], v[4])
        (totalEnergy, conservedEnergy, pressure, volume, meanSquareDisplacement) = (v[5], v[6], v[7], v[8], v[9])
    }
}

/// Progress of a run, passed to its report callback.
public struct SimulationReport: Sendable {
    public let record: ThermoRecord
    public let totalSteps: Int
    public let stepsPerSecond: Double
    public let secondsRemaining: Double

    /// The same numbers as FluxionNN's training report, for its ``ProgressBar``.
    public var training: TrainingReport {
        TrainingReport(step: record.step, totalSteps: totalSteps, loss: record.totalEnergy, stepsPerSecond: stepsPerSecond,
                       secondsRemaining: secondsRemaining)
    }
}

/// A simulation run: an integrator and a force field stepped to a number of steps, with a thermo log,
/// trajectory frames, a radial distribution function, atomic checkpoints, bit-for-bit resume and
/// Ctrl-C (the step finishes, a checkpoint is written, the run returns ``TrainingStop/interrupted``).
///
/// ```swift
/// let sim = Simulation(integrator: try VelocityVerlet(timeStep: 0.005), forces: .pairs(lj), steps: 1000)
/// var state = try sim.start(positions: x, velocities: v, masses: m, box: box, key: PRNGKey(seed: 0))
/// (state, _) = try sim.run(state) { report in print(report.record.temperature); return true }
/// ```
public final class Simulation {
    public let integrator: any Integrator
    public let forces: ForceField
    /// Total steps (a resumed run continues to the same total).
    public var steps: Int
    public var thermoEvery = 100
    /// Frames passed to the `frame` callback every this many steps (0: none).
    public var trajectoryEvery = 0
    /// RDF accumulated every this many steps (0: none), up to ``rdfRange`` in ``rdfBins`` bins.
    public var rdfEvery = 0
    public var rdfRange = 3.0
    public var rdfBins = 100
    public var checkpoint: URL?
    public var checkpointEvery = 1000
    /// Extra members each checkpoint stores (a caller's bookkeeping), asked for at every checkpoint.
    public var checkpointExtra: (() -> [String: Tensor])?
    /// Ends the run early, as completed, when true after a step (a minimizer's convergence test).
    public var converged: ((MDState) -> Bool)?

    /// The thermo log so far.
    public internal(set) var thermo: [ThermoRecord] = []
    /// The RDF so far (nil until the first sample).
    public internal(set) var rdf: RadialDistribution?
    var unwrapper: Unwrapper?
    var origin: [Double] = []

    public init(integrator: any Integrator, forces: ForceField, steps: Int) {
        self.integrator = integrator
        self.forces = forces
        self.steps = steps
    }

    /// The first state (forces evaluated), logged as step 0.
    public func start(positions: Tensor, velocities: Tensor, masses: Tensor, box: SimulationBox, key: PRNGKey) throws -> MDState {
        guard positions.rank == 2, positions.shape[1] == box.dimension, velocities.shape == positions.shape,
              masses.shape == [positions.shape[0]] || masses.shape == [positions.shape[0], 1] else {
            throw MDError("simulation: positions \(positions.shape), velocities \(velocities.shape) and masses \(masses.shape) do not fit a \(box.dimension)-D system")
        }
        guard masses.doubles.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw MDError("simulation: masses must be positive") }
        let state = try integrator.initialize(positions: positions, velocities: velocities, masses: masses, box: box, key: key,
                                              forces: forces.forces)
        let x = state.positions.doubles
        unwrapper = Unwrapper(x)
        origin = x
        thermo = [record(state)]
        rdf = nil
        return state
    }

    /// The thermo record of a state.
    public func record(_ s: MDState) -> ThermoRecord {
        let kinetic = s.kineticEnergy.item, potential = s.potentialEnergy.item
        var msd = 0.0
        if let u = unwrapper?.positions, u.count == origin.count, !u.isEmpty {
            for k in 0..<u.count { msd += (u[k] - origin[k]) * (u[k] - origin[k]) }
            msd /= Double(s.atomCount)
        }
        return ThermoRecord([Double(s.step), Double(s.step) * integrator.timeStep, temperature(s), kinetic, potential,
                             kinetic + potential, integrator.conservedEnergy(s), pressure(s), s.box.volume, msd])
    }

    /// Steps `state` until ``steps``. `frame` sees the state every ``trajectoryEvery`` steps; `report`
    /// every ``thermoEvery`` steps and after the last (returning false stops the run).
    public func run(_ state: MDState, frame: ((MDState) throws -> Void)? = nil,
                    report: ((SimulationReport) -> Bool)? = nil) throws -> (MDState, TrainingStop) {
        var s = state
        InterruptFlag.install()
        defer { InterruptFlag.uninstall() }
        let interruptsBefore = InterruptFlag.count
        let started = Date(), firstStep = s.step
        var stop = TrainingStop.completed
        let forces = self.forces.forces
        while s.step < steps {
            s = try integrator.step(s, forces: forces)
            let done = s.step == steps
            let thermoStep = s.step % thermoEvery == 0 || done
            if thermoStep || (trajectoryEvery > 0 && s.step % trajectoryEvery == 0) || (rdfEvery > 0 && s.step % rdfEvery == 0) {
                let x = s.positions.doubles
                unwrapper?.add(x, box: s.box)
                if rdfEvery > 0 && s.step % rdfEvery == 0 && !s.box.isFree {
                    if rdf == nil { rdf = try RadialDistribution(maximum: rdfRange, bins: rdfBins) }
                    try rdf?.add(x, box: s.box)
                }
            }
            if trajectoryEvery > 0 && s.step % trajectoryEvery == 0 { try frame?(s) }
            if thermoStep {
                let r = record(s)
                guard r.totalEnergy.isFinite else {
                    throw MDError("simulation: the energy is not finite at step \(s.step) (the time step may be too large, or atoms overlap)")
                }
                thermo.append(r)
                if let report {
                    let rate = Double(s.step - firstStep) / max(Date().timeIntervalSince(started), 1e-9)
                    let progress = SimulationReport(record: r, totalSteps: steps, stepsPerSecond: rate,
                                                    secondsRemaining: Double(steps - s.step) / max(rate, 1e-9))
                    if !report(progress) { stop = .stoppedByCallback }
                }
            }
            let finished = converged?(s) ?? false
            if finished && !thermoStep { thermo.append(record(s)) }
            if let checkpoint, s.step % checkpointEvery == 0 || done || finished {
                try save(s, to: checkpoint, extra: checkpointExtra?() ?? [:])
            }
            if stop != .completed || finished { break }
            if InterruptFlag.count > interruptsBefore { stop = .interrupted; break }
        }
        if stop != .completed, let checkpoint { try save(s, to: checkpoint, extra: checkpointExtra?() ?? [:]) }
        return (s, stop)
    }
}
