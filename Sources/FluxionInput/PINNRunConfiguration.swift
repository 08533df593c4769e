import FluxionPINN

/// What `fluxion pinn run` reads from its TOML input file (every key, its default and its range are
/// in ``template(problem:)``, the file `fluxion pinn init` writes).
public struct PINNRunConfiguration: Equatable, Sendable {
    public var problem: String
    /// Problem parameters (viscosity, diffusivity, waves), by name.
    public var parameters: [String: Double] = [:]
    public var seed = 0
    public var output = "pinn-output"

    public var hidden = [20, 20, 20, 20, 20, 20]
    public var activation = "tanh"
    public var fourierFeatures = 0
    public var fourierScale = 1.0
    public var hardConstraints = true
    public var periodicEmbedding = false

    public var collocation = 4000
    public var conditionPoints = 256
    public var sampler = "sobol"
    public var resampleEvery = 0

    public var adamSteps = 3000
    public var learningRate = 1e-3
    public var decayRate = 0.9
    public var decaySteps = 1000
    public var lbfgsIterations = 6000
    public var weighting = "fixed"
    public var weightingEvery = 100
    public var causalChunks = 0
    public var causalEpsilon = 1.0
    public var timeWindows = 1
    public var windowInitialWeight = 100.0
    public var rarEvery = 0
    public var rarCandidates = 10_000
    public var rarAdded = 10
    public var blockSize = PINNOptions().blockSize

    public var reportEvery = 100
    public var checkpointEvery = 500
    public var grid: [Int] = []

    public init(problem: String) { self.problem = problem }

    /// The configuration `fluxion pinn init` writes for a problem, and the defaults of a file's
    /// omitted keys: settings measured to reach each problem's accuracy (see the README's table).
    public static func recommended(for problem: String) -> PINNRunConfiguration {
        var c = PINNRunConfiguration(problem: problem)
        c.output = "\(problem)-output"
        switch problem {
        case "burgers":
            (c.adamSteps, c.lbfgsIterations) = (2000, 14000)
            (c.rarEvery, c.rarCandidates, c.rarAdded) = (200, 20000, 50)
        case "heat":
            (c.hidden, c.collocation, c.adamSteps, c.lbfgsIterations) = ([20, 20, 20], 2000, 3000, 8000)
        case "heat-inverse":
            (c.hidden, c.collocation, c.adamSteps, c.lbfgsIterations) = ([20, 20, 20], 2000, 3000, 3000)
        case "helmholtz":
            (c.hidden, c.activation, c.collocation, c.adamSteps, c.lbfgsIterations) = ([40, 40, 40], "sin", 2500, 2000, 10000)
        case "poisson-l-shape":
            (c.hidden, c.collocation, c.adamSteps, c.lbfgsIterations) = ([32, 32, 32, 32], 2000, 2000, 15000)
        case "allen-cahn":
            (c.hidden, c.collocation, c.adamSteps, c.lbfgsIterations) = ([32, 32, 32, 32], 2000, 1000, 2000)
            (c.periodicEmbedding, c.timeWindows) = (true, 10)
        case "kuramoto-sivashinsky":
            (c.hidden, c.collocation, c.adamSteps, c.lbfgsIterations) = ([32, 32, 32, 32], 2000, 1000, 2000)
            (c.periodicEmbedding, c.timeWindows) = (true, 10)
        default:
            break
        }
        c.reportEvery = 500
        c.checkpointEvery = 1000
        return c
    }

    /// The parameters each problem takes, with their allowed ranges.
    public static let problemParameters: [String: [String: ClosedRange<Double>]] = [
        "burgers": ["viscosity": 1e-6...10], "heat": ["diffusivity": 1e-6...10], "heat-inverse": ["diffusivity": 1e-6...10],
        "helmholtz": ["waves": 0.5...16], "poisson-l-shape": [:], "allen-cahn": [:], "kuramoto-sivashinsky": [:],
    ]

    public static let activations = ["tanh", "sin", "silu", "gelu", "softplus", "sigmoid", "relu"]

    /// Reads and checks a whole file: a syntax error, an unknown key, a value out of range or a
    /// missing required key is an ``InputError`` naming it.
    public static func parse(_ text: String, file: String) throws(InputError) -> PINNRunConfiguration {
        let root = InputTable(try parseTOML(text, file: file), file: file)
        var c = recommended(for: try root.string("problem", oneOf: Problems.names))
        c.seed = try root.int("seed", default: c.seed, in: 0...Int(Int32.max))
        c.output = try root.string("output", default: c.output, oneOf: [])
        guard !c.output.isEmpty, !c.output.contains("\0") else { throw InputError(file: file, "output: must be a directory name") }

        let parameters = try root.table("parameters")
        for (name, range) in (problemParameters[c.problem] ?? [:]).sorted(by: { $0.key < $1.key }) {
            if parameters.values[name] != nil { c.parameters[name] = try parameters.double(name, in: range, open: true) }
            else { _ = parameters.value(name) }
        }
        try parameters.finish()

        let network = try root.table("network")
        c.hidden = try network.ints("hidden", default: c.hidden, count: 1...16, in: 1...1024)
        c.activation = try network.string("activation", default: c.activation, oneOf: activations)
        c.fourierFeatures = try network.int("fourier_features", default: c.fourierFeatures, in: 0...1024)
        c.fourierScale = try network.double("fourier_scale", default: c.fourierScale, in: 0...1e4, open: true)
        c.hardConstraints = try network.bool("hard_constraints", default: c.hardConstraints)
        c.periodicEmbedding = try network.bool("periodic_embedding", default: c.periodicEmbedding)
        try network.finish()

        let sampling = try root.table("sampling")
        c.collocation = try sampling.int("collocation", default: c.collocation, in: 1...1_000_000)
        c.conditionPoints = try sampling.int("condition_points", default: c.conditionPoints, in: 1...1_000_000)
        c.sampler = try sampling.string("sampler", default: c.sampler, oneOf: Sampler.allCases.map(\.rawValue))
        c.resampleEvery = try sampling.int("resample_every", default: c.resampleEvery, in: 0...100_000_000)
        try sampling.finish()

        let training = try root.table("training")
        c.adamSteps = try training.int("adam_steps", default: c.adamSteps, in: 0...100_000_000)
        c.learningRate = try training.double("learning_rate", default: c.learningRate, in: 0...10, open: true)
        c.decayRate = try training.double("decay_rate", default: c.decayRate, in: 0...1, open: true)
        c.decaySteps = try training.int("decay_steps", default: c.decaySteps, in: 1...100_000_000)
        c.lbfgsIterations = try training.int("lbfgs_iterations", default: c.lbfgsIterations, in: 0...100_000_000)
        c.weighting = try training.string("weighting", default: c.weighting, oneOf: ["fixed", "gradient-norm"])
        c.weightingEvery = try training.int("weighting_every", default: c.weightingEvery, in: 1...100_000_000)
        c.causalChunks = try training.int("causal_chunks", default: c.causalChunks, in: 0...1024)
        c.causalEpsilon = try training.double("causal_epsilon", default: c.causalEpsilon, in: 0...1e6)
        c.timeWindows = try training.int("time_windows", default: c.timeWindows, in: 1...1000)
        c.windowInitialWeight = try training.double("window_initial_weight", default: c.windowInitialWeight, in: 0...1e12, open: true)
        c.rarEvery = try training.int("rar_every", default: c.rarEvery, in: 0...100_000_000)
        c.rarCandidates = try training.int("rar_candidates", default: c.rarCandidates, in: 1...10_000_000)
        c.rarAdded = try training.int("rar_added", default: c.rarAdded, in: 1...1_000_000)
        c.blockSize = try training.int("block_size", default: c.blockSize, in: 0...10_000_000)
        try training.finish()

        let results = try root.table("results")
        c.reportEvery = try results.int("report_every", default: c.reportEvery, in: 1...100_000_000)
        c.checkpointEvery = try results.int("checkpoint_every", default: c.checkpointEvery, in: 1...100_000_000)
        c.grid = try results.ints("grid", default: [], count: 1...3, in: 2...4096)
        try results.finish()
        try root.finish()
        if c.adamSteps + c.lbfgsIterations == 0 {
            throw InputError(file: file, "training: adam_steps and lbfgs_iterations are both 0; nothing to train")
        }
        let evolving = ["burgers", "heat", "heat-inverse", "allen-cahn", "kuramoto-sivashinsky"].contains(c.problem)
        if c.causalChunks > 0 && !evolving {
            throw InputError(file: file, "training.causal_chunks: causal weighting needs a time-dependent problem, \(c.problem) is steady")
        }
        if c.timeWindows > 1 && !evolving {
            throw InputError(file: file, "training.time_windows: time windows need a time-dependent problem, \(c.problem) is steady")
        }
        return c
    }

    /// A commented starting file for a problem (`fluxion pinn init NAME`).
    public static func template(problem: String) -> String {
        let c = recommended(for: problem)
        let parameters = (problemParameters[problem] ?? [:]).keys.sorted()
        let parameterLines = parameters.isEmpty ? "# (this problem takes none)\n" : parameters.map { name -> String in
            let value = ["viscosity": "0.0031830988618379067   # 0.01/π", "diffusivity": "0.1", "waves": "2"][name] ?? "1"
            return "\(name) = \(value)\n"
        }.joined()
        return """
        # fluxion pinn: a physics-informed network for the \(problem) problem.
        # Run it with `fluxion pinn run \(problem).toml`; continue an interrupted run with `--resume`.
        # Problems: \(Problems.names.joined(separator: ", ")).
        problem = "\(problem)"
        seed = \(c.seed)                         # every random draw (network, points) comes from it
        output = "\(c.output)"     # results: solution.npz, history.csv, summary.json, *.svg, checkpoint.npz

        [parameters]
        \(parameterLines)
        [network]
        hidden = \(c.hidden)   # widths of the hidden layers (1 to 16 layers)
        activation = "\(c.activation)"         # \(activations.joined(separator: ", "))
        fourier_features = \(c.fourierFeatures)        # random Fourier features in front (0: none)
        fourier_scale = \(c.fourierScale)         # their frequency scale
        hard_constraints = \(c.hardConstraints)     # satisfy initial and wall conditions exactly where the problem allows
        periodic_embedding = \(c.periodicEmbedding)  # cos and sin of the periodic coordinates in front: periodic conditions hold exactly (no loss term)

        [sampling]
        collocation = \(c.collocation)        # residual points
        condition_points = \(c.conditionPoints)    # points per boundary or initial condition
        sampler = "\(c.sampler)"          # \(Sampler.allCases.map(\.rawValue).joined(separator: ", "))
        resample_every = \(c.resampleEvery)       # draw new points every n Adam steps (0: never)

        [training]
        adam_steps = \(c.adamSteps)
        learning_rate = \(c.learningRate)     # Adam's, decayed by decay_rate every decay_steps
        decay_rate = \(c.decayRate)
        decay_steps = \(c.decaySteps)
        lbfgs_iterations = \(c.lbfgsIterations)   # L-BFGS after Adam, on the last points (0: none)
        weighting = "\(c.weighting)"        # fixed or gradient-norm (loss balancing)
        weighting_every = \(c.weightingEvery)
        causal_chunks = \(c.causalChunks)         # causal weighting over time slabs (0: off)
        causal_epsilon = \(c.causalEpsilon)
        time_windows = \(c.timeWindows)          # train the time interval in this many windows, one after another (1: at once)
        window_initial_weight = \(c.windowInitialWeight)  # weight of a window's start values, taken from the window before
        rar_every = \(c.rarEvery)             # residual-based refinement every n steps (0: off)
        rar_candidates = \(c.rarCandidates)
        rar_added = \(c.rarAdded)
        block_size = \(c.blockSize)          # points per block of a step; the blocks run one per core (0: one block)

        [results]
        report_every = \(c.reportEvery)        # steps between progress lines, history rows and error measurements
        checkpoint_every = \(c.checkpointEvery)
        # grid = [256, 100]         # points per coordinate of the written solution (the problem's default)

        """
    }
}
