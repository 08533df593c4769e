import Fluxion
import FluxionInput
import FluxionMD
import FluxionNN
import Foundation

/// The results of a `fluxion md run`: the trajectory is appended as the run goes (and cut back to
/// the checkpoint's length on resume); the other files are written atomically at the end.
final class MDOutput {
    let directory: URL
    let configuration: MDRunConfiguration
    let species: [String]
    private(set) var trajectoryBytes = 0
    var trajectory: URL { directory.appendingPathComponent("trajectory.xyz") }

    init(directory: URL, configuration: MDRunConfiguration, species: [String], resume: Bool) throws {
        self.directory = directory
        self.configuration = configuration
        self.species = species
    }

    func startTrajectory() throws {
        try Data().write(to: trajectory)
        trajectoryBytes = 0
    }

    /// Keeps the first `bytes` of the trajectory: the frames written up to the checkpoint.
    func truncateTrajectory(to bytes: Int) throws {
        if !FileManager.default.fileExists(atPath: trajectory.path) { try Data().write(to: trajectory) }
        let handle = try FileHandle(forWritingTo: trajectory)
        defer { try? handle.close() }
        try handle.truncate(atOffset: UInt64(bytes))
        trajectoryBytes = bytes
    }

    /// A state as an extended XYZ frame (ASE's layout: momenta, forces, energy, stress).
    func frame(_ s: MDState) -> XYZFrame {
        let m = s.masses.doubles, v = s.velocities.doubles
        let momenta = v.enumerated().map { $1 * m[$0 / 3] }
        let stress = FluxionMD.stress(s).doubles
        return XYZFrame(species: species, positions: s.positions.doubles, lattice: s.box.isFree ? nil : s.box.vectors,
                        pbc: s.box.periodic,
                        columns: [XYZColumn(name: "momenta", reals: momenta, width: 3), XYZColumn(name: "forces", reals: s.forces.doubles, width: 3)],
                        info: [("step", .int(s.step)), ("time", .double(Double(s.step) * configuration.timeStep)),
                               ("energy", .double(s.potentialEnergy.item)), ("stress", .doubles(stress))])
    }

    func appendFrame(_ s: MDState) throws {
        let bytes = Data(ExtendedXYZ.format(frame(s)).utf8)
        let handle = try FileHandle(forWritingTo: trajectory)
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(trajectoryBytes))
        try handle.write(contentsOf: bytes)
        trajectoryBytes += bytes.count
    }

    func write(_ text: String, _ name: String) throws {
        try TreeFile.writeAtomically(Array(text.utf8), to: directory.appendingPathComponent(name))
    }

    func finish(_ s: MDState, simulation: Simulation, seconds: Double, stop: TrainingStop) throws {
        let log = simulation.thermo
        var csv = ThermoRecord.columns.joined(separator: ",") + "\n"
        for r in log { csv += r.values.enumerated().map { $0 == 0 ? "\(Int($1))" : "\($1)" }.joined(separator: ",") + "\n" }
        try write(csv, "thermo.csv")
        try write(ExtendedXYZ.format(frame(s)), "final.xyz")
        let time = log.map(\.time)
        try write(SVG.lines(title: "Energy per atom", series: [
            ("total", time, log.map { $0.totalEnergy / Double(s.atomCount) }),
            ("potential", time, log.map { $0.potentialEnergy / Double(s.atomCount) }),
            ("kinetic", time, log.map { $0.kineticEnergy / Double(s.atomCount) }),
        ], xLabel: "time", yLabel: "energy / atom", logY: false), "energy.svg")
        try write(SVG.lines(title: "Temperature", series: [("T", time, log.map(\.temperature))], xLabel: "time", yLabel: "T",
                            logY: false), "temperature.svg")
        var rdfSummary = "null"
        if let rdf = simulation.rdf {
            let (r, g) = (rdf.radii, rdf.values)
            try write("r,g\n" + zip(r, g).map { "\($0),\($1)" }.joined(separator: "\n") + "\n", "rdf.csv")
            try write(SVG.lines(title: "Radial distribution function", series: [("g(r)", r, g)], xLabel: "r", yLabel: "g(r)",
                                logY: false), "rdf.svg")
            let peak = zip(r, g).max { $0.1 < $1.1 }!
            rdfSummary = "{\"frames\": \(rdf.frames), \"peak_r\": \(json(peak.0)), \"peak_g\": \(json(peak.1))}"
        }
        let first = log.first!, last = log.last!
        let conserved = log.map(\.conservedEnergy)
        let drift = (last.conservedEnergy - first.conservedEnergy) / Double(s.atomCount)
        let fluctuation = conserved.map { abs($0 - first.conservedEnergy) }.max()! / Double(s.atomCount)
        let meanT = log.dropFirst(log.count / 2).map(\.temperature).reduce(0, +) / Double(max(1, log.count - log.count / 2))
        let c = configuration
        let summary = """
        {
          "atoms": \(s.atomCount),
          "potential": "\(c.potential)",
          "ensemble": "\(c.ensemble)",
          "steps": \(s.step),
          "time_step": \(json(c.timeStep)),
          "stop": "\(stop.rawValue)",
          "seconds": \(json(seconds)),
          "volume": \(json(s.box.volume)),
          "final": {"temperature": \(json(last.temperature)), "potential_energy": \(json(last.potentialEnergy)), "total_energy": \(json(last.totalEnergy)), "pressure": \(json(last.pressure)), "msd": \(json(last.meanSquareDisplacement))},
          "mean_temperature_second_half": \(json(meanT)),
          "conserved_energy_drift_per_atom": \(json(drift)),
          "conserved_energy_max_deviation_per_atom": \(json(fluctuation)),
          "neighbor_list_builds": \(simulation.forces.neighborList?.buildCount ?? 0),
          "rdf": \(rdfSummary)
        }

        """
        try write(summary, "summary.json")
    }

    func json(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }
}
