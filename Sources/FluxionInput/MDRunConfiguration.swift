/// What `fluxion md run` reads from its TOML input file (every key, its default and its range are in
/// ``template(name:)``, the file `fluxion md init` writes).
public struct MDRunConfiguration: Equatable, Sendable {
    public var seed = 0
    public var output = "md-output"

    // [system]
    public var lattice = "fcc"
    public var cells = [5, 5, 5]
    public var density = 0.8442
    /// An extended XYZ file to start from instead of a lattice (its last frame).
    public var file: String?
    public var mass = 1.0
    public var initialTemperature = 0.72
    /// Each lattice coordinate displaced uniformly in [−jitter, jitter] (drawn from the seed).
    public var jitter = 0.0

    // [potential]
    public var potential = "lennard-jones"
    public var sigma = 1.0
    public var epsilon = 1.0
    public var cutoff = 2.5
    public var truncation = "plain"
    public var onset = 2.0
    public var depth = 1.0
    public var alpha = 5.0
    public var r0 = 1.0
    public var exponent = 2.0
    public var skin = 0.3

    // [run]
    public var ensemble = "nve"
    public var timeStep = 0.005
    public var steps = 1000
    public var temperature = 0.72
    public var friction = 1.0
    public var timeScale = 0.5
    public var chain = 3
    public var forceTolerance = 1e-6
    public var pressure = 1.0
    public var compressibility = 0.1
    public var barostatTimeScale = 1.0
    public var anisotropic = false

    // [output]
    public var thermoEvery = 100
    public var trajectoryEvery = 100
    public var checkpointEvery = 1000
    public var rdfEvery = 10
    public var rdfRange = 3.0
    public var rdfBins = 100

    public init() {}

    public static let names = ["lj", "lj-nvt", "lj-npt", "wca", "morse", "soft-sphere", "minimize"]
    public static let lattices = ["sc", "bcc", "fcc"]
    public static let potentials = ["lennard-jones", "wca", "morse", "soft-sphere"]
    public static let truncations = ["plain", "shifted", "smooth"]
    public static let ensembles = ["nve", "langevin", "nose-hoover", "brownian", "npt", "minimize"]

    /// The starting configurations `fluxion md init NAME` writes.
    public static func recommended(for name: String) -> MDRunConfiguration {
        var c = MDRunConfiguration()
        c.output = "\(name)-output"
        switch name {
        case "lj-nvt":
            (c.ensemble, c.temperature, c.steps) = ("nose-hoover", 1.0, 2000)
        case "lj-npt":
            (c.ensemble, c.temperature, c.pressure, c.steps, c.truncation) = ("npt", 1.0, 1.0, 4000, "shifted")
        case "wca":
            (c.potential, c.truncation, c.density, c.initialTemperature, c.ensemble, c.temperature) = ("wca", "shifted", 0.7, 1.0, "langevin", 1.0)
        case "morse":
            (c.potential, c.lattice, c.density, c.depth, c.alpha, c.r0, c.cutoff, c.onset) = ("morse", "fcc", 1.0, 1.0, 5.0, 1.1, 2.0, 1.6)
            (c.initialTemperature, c.ensemble, c.temperature, c.timeStep) = (0.3, "langevin", 0.3, 0.002)
        case "soft-sphere":
            (c.potential, c.sigma, c.density, c.initialTemperature, c.ensemble, c.temperature) = ("soft-sphere", 1.0, 1.2, 0.01, "brownian", 0.01)
            (c.timeStep, c.cells) = (0.01, [4, 4, 4])
        case "minimize":
            (c.ensemble, c.steps, c.initialTemperature, c.trajectoryEvery, c.rdfEvery) = ("minimize", 5000, 0, 50, 0)
            (c.density, c.cells, c.jitter) = (1.0, [3, 3, 3], 0.08)
        default:
            break
        }
        return c
    }

    /// Reads and checks a whole file: a syntax error, an unknown key or a value out of range is an
    /// ``InputError`` naming it.
    public static func parse(_ text: String, file: String) throws(InputError) -> MDRunConfiguration {
        let root = InputTable(try parseTOML(text, file: file), file: file)
        var c = MDRunConfiguration()
        c.seed = try root.int("seed", default: c.seed, in: 0...Int(Int32.max))
        c.output = try root.string("output", default: c.output, oneOf: [])
        guard !c.output.isEmpty, !c.output.contains("\0") else { throw InputError(file: file, "output: must be a directory name") }

        let system = try root.table("system")
        c.lattice = try system.string("lattice", default: c.lattice, oneOf: lattices)
        c.cells = try system.ints("cells", default: c.cells, count: 3...3, in: 1...200)
        c.density = try system.double("density", default: c.density, in: 0...100, open: true)
        if system.values["file"] != nil { c.file = try system.string("file", oneOf: []) } else { _ = system.value("file") }
        c.mass = try system.double("mass", default: c.mass, in: 0...1e12, open: true)
        c.initialTemperature = try system.double("temperature", default: c.initialTemperature, in: 0...1e6)
        c.jitter = try system.double("jitter", default: c.jitter, in: 0...10)
        try system.finish()
        if c.cells.reduce(1, *) * 4 > 4_000_000 { throw InputError(file: file, "system.cells: more than a million unit cells") }

        let potential = try root.table("potential")
        c.potential = try potential.string("kind", default: c.potential, oneOf: potentials)
        c.sigma = try potential.double("sigma", default: c.sigma, in: 0...1e6, open: true)
        c.epsilon = try potential.double("epsilon", default: c.epsilon, in: 0...1e6)
        c.cutoff = try potential.double("cutoff", default: c.cutoff, in: 0...1e6, open: true)
        c.truncation = try potential.string("truncation", default: c.potential == "wca" ? "shifted" : c.truncation, oneOf: truncations)
        c.onset = try potential.double("onset", default: c.onset, in: 0...1e6, open: true)
        c.depth = try potential.double("depth", default: c.depth, in: 0...1e6)
        c.alpha = try potential.double("alpha", default: c.alpha, in: 0...1e6, open: true)
        c.r0 = try potential.double("r0", default: c.r0, in: 0...1e6, open: true)
        c.exponent = try potential.double("exponent", default: c.exponent, in: 1...100)
        c.skin = try potential.double("skin", default: c.skin, in: 0...100)
        try potential.finish()
        if c.truncation == "smooth" && c.onset >= c.cutoff {
            throw InputError(file: file, "potential.onset: must be below the cutoff (\(c.cutoff)), got \(c.onset)")
        }

        let run = try root.table("run")
        c.ensemble = try run.string("ensemble", default: c.ensemble, oneOf: ensembles)
        c.timeStep = try run.double("time_step", default: c.timeStep, in: 0...10, open: true)
        c.steps = try run.int("steps", default: c.steps, in: 0...1_000_000_000)
        c.temperature = try run.double("temperature", default: c.temperature, in: 0...1e6)
        c.friction = try run.double("friction", default: c.friction, in: 0...1e6, open: true)
        c.timeScale = try run.double("time_scale", default: c.timeScale, in: 0...1e6, open: true)
        c.chain = try run.int("chain", default: c.chain, in: 1...10)
        c.forceTolerance = try run.double("force_tolerance", default: c.forceTolerance, in: 0...1e6, open: true)
        c.pressure = try run.double("pressure", default: c.pressure, in: -1e6...1e6)
        c.compressibility = try run.double("compressibility", default: c.compressibility, in: 0...1e6, open: true)
        c.barostatTimeScale = try run.double("barostat_time_scale", default: c.barostatTimeScale, in: 0...1e6, open: true)
        c.anisotropic = try run.bool("anisotropic", default: c.anisotropic)
        try run.finish()
        if (c.ensemble == "nose-hoover" || c.ensemble == "npt") && c.temperature <= 0 {
            throw InputError(file: file, "run.temperature: the \(c.ensemble) ensemble needs a positive temperature")
        }

        let output = try root.table("results")
        c.thermoEvery = try output.int("thermo_every", default: c.thermoEvery, in: 1...1_000_000_000)
        c.trajectoryEvery = try output.int("trajectory_every", default: c.trajectoryEvery, in: 0...1_000_000_000)
        c.checkpointEvery = try output.int("checkpoint_every", default: c.checkpointEvery, in: 1...1_000_000_000)
        c.rdfEvery = try output.int("rdf_every", default: c.rdfEvery, in: 0...1_000_000_000)
        c.rdfRange = try output.double("rdf_range", default: c.rdfRange, in: 0...1e6, open: true)
        c.rdfBins = try output.int("rdf_bins", default: c.rdfBins, in: 1...100_000)
        try output.finish()
        try root.finish()
        return c
    }

    /// A commented starting file (`fluxion md init NAME`).
    public static func template(name: String) -> String {
        let c = recommended(for: name)
        return """
        # fluxion md: molecular dynamics (\(name)). Lennard-Jones units: σ, ε, m and k_B are 1.
        # Run it with `fluxion md run \(name).toml`; continue an interrupted run with `--resume`.
        seed = \(c.seed)                  # initial velocities and thermostat noise come from it
        output = "\(c.output)"   # trajectory.xyz, thermo.csv, rdf.csv, final.xyz, summary.json, *.svg, checkpoint.npz

        [system]
        lattice = "\(c.lattice)"           # \(lattices.joined(separator: ", ")): cells × basis atoms in a periodic box
        cells = \(c.cells)        # unit cells along x, y, z
        density = \(c.density)        # atoms per unit volume
        # file = "start.xyz"        # or start from an extended XYZ file's last frame (its cell and, if any, velocities)
        mass = \(c.mass)
        temperature = \(c.initialTemperature)       # initial Maxwell–Boltzmann velocities (zero total momentum)
        jitter = \(c.jitter)              # lattice coordinates displaced uniformly in [−jitter, jitter]

        [potential]
        kind = "\(c.potential)"   # \(potentials.joined(separator: ", "))
        sigma = \(c.sigma)                # lennard-jones, wca, soft-sphere: σ
        epsilon = \(c.epsilon)              # ε (well depth; soft-sphere: stiffness)
        cutoff = \(c.cutoff)               # lennard-jones, morse: where the potential ends (wca: 2^(1/6)σ, soft-sphere: σ)
        truncation = "\(c.truncation)"       # \(truncations.joined(separator: ", ")) (smooth: switched off from onset to cutoff)
        onset = \(c.onset)
        depth = \(c.depth)                # morse: D₀ e^{−2α(r−r₀)} − 2D₀ e^{−α(r−r₀)}
        alpha = \(c.alpha)
        r0 = \(c.r0)
        exponent = \(c.exponent)             # soft-sphere: (ε/α)(1 − r/σ)^α
        skin = \(c.skin)                 # neighbor-list margin; the list is rebuilt when an atom moves skin/2

        [run]
        ensemble = "\(c.ensemble)"          # \(ensembles.joined(separator: ", "))
        time_step = \(c.timeStep)
        steps = \(c.steps)                # minimize: the most steps
        temperature = \(c.temperature)        # langevin, nose-hoover, brownian: the target
        friction = \(c.friction)             # langevin, brownian: γ
        time_scale = \(c.timeScale)           # nose-hoover: τ
        chain = \(c.chain)                  # nose-hoover: thermostats in the chain
        force_tolerance = \(c.forceTolerance)    # minimize: stop when no force component is larger
        pressure = \(c.pressure)             # npt: the target (Langevin thermostat + stochastic cell rescaling)
        compressibility = \(c.compressibility)      # npt: β_T, a guess of the system's (only β_T / barostat_time_scale matters)
        barostat_time_scale = \(c.barostatTimeScale)
        anisotropic = \(c.anisotropic)        # npt: x, y, z rescaled independently

        [results]
        thermo_every = \(c.thermoEvery)         # steps between thermo.csv rows (and progress updates)
        trajectory_every = \(c.trajectoryEvery)     # steps between trajectory.xyz frames (0: none)
        checkpoint_every = \(c.checkpointEvery)
        rdf_every = \(c.rdfEvery)             # steps between RDF samples (0: none)
        rdf_range = \(c.rdfRange)
        rdf_bins = \(c.rdfBins)

        """
    }
}
