import ArgumentParser
import Fluxion
import FluxionInput
import FluxionNN
import FluxionPINN
import Foundation

/// `fluxion pinn`: physics-informed networks from an input file.
struct PINNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pinn", abstract: "Solve a PDE with a physics-informed neural network.",
        subcommands: [PINNRun.self, PINNInit.self])
}

/// `fluxion pinn init NAME`: a commented starting file.
struct PINNInit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Write a commented input file for a problem.")

    @Argument(help: "The problem: \(Problems.names.joined(separator: ", ")).")
    var problem: String

    @Option(name: .shortAndLong, help: "The file to write (default: PROBLEM.toml; - for standard output).")
    var output: String?

    func run() throws {
        try reportingErrors {
            guard Problems.names.contains(problem) else {
                throw InputError(file: "fluxion pinn init", "unknown problem \"\(problem)\"; one of \(Problems.names.joined(separator: ", "))")
            }
            try writeTemplate(PINNRunConfiguration.template(problem: problem), to: output ?? "\(problem).toml", command: "fluxion pinn run")
        }
    }
}

/// `fluxion pinn run FILE`: trains, reports progress, writes the results.
struct PINNRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Train a PINN from a TOML input file and write its results.",
        discussion: """
        Writes into the file's output directory: solution.npz (the solution, reference and error on a grid), \
        history.csv (loss terms and error every report_every steps), summary.json, solution.svg, error.svg, \
        loss.svg, and checkpoint.npz. Ctrl-C stops after the current step with a checkpoint written; \
        --resume continues from it.
        """)

    @Argument(help: "The input file (TOML); `fluxion pinn init burgers` writes one.")
    var file: String

    @Flag(help: "Continue from the output directory's checkpoint.")
    var resume = false

    @Flag(help: "No progress bar (reports go to standard output as lines).")
    var quiet = false

    func run() throws {
        try reportingErrors {
            let configuration = try PINNRunConfiguration.parse(try readInput(file), file: file)
            let stop = try PINNRunner(configuration: configuration, resume: resume, quiet: quiet).run()
            if stop == .interrupted { throw ExitCode(130) }
        }
    }
}
