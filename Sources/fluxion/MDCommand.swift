import ArgumentParser
import FluxionInput
import FluxionNN
import Foundation

/// `fluxion md`: molecular dynamics from an input file.
struct MDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "md", abstract: "Run a molecular-dynamics simulation.", subcommands: [MDRun.self, MDInit.self])
}

/// `fluxion md init NAME`: a commented starting file.
struct MDInit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Write a commented input file for a simulation.")

    @Argument(help: "The starting point: \(MDRunConfiguration.names.joined(separator: ", ")).")
    var name: String

    @Option(name: .shortAndLong, help: "The file to write (default: NAME.toml; - for standard output).")
    var output: String?

    func run() throws {
        try reportingErrors {
            guard MDRunConfiguration.names.contains(name) else {
                throw InputError(file: "fluxion md init", "unknown simulation \"\(name)\"; one of \(MDRunConfiguration.names.joined(separator: ", "))")
            }
            try writeTemplate(MDRunConfiguration.template(name: name), to: output ?? "\(name).toml", command: "fluxion md run")
        }
    }
}

/// Writes an `init` template (to standard output for "-"), refusing to overwrite a file.
func writeTemplate(_ text: String, to path: String, command: String) throws {
    if path == "-" { print(text, terminator: ""); return }
    guard !FileManager.default.fileExists(atPath: path) else {
        throw InputError(file: path, "exists already; remove it or name another file with --output")
    }
    try TreeFile.writeAtomically(Array(text.utf8), to: URL(fileURLWithPath: path))
    print("wrote \(path); run it with: \(command) \(path)")
}

/// Reads an input file's text, with a one-line error naming it.
func readInput(_ file: String) throws -> String {
    do { return try String(contentsOfFile: file, encoding: .utf8) } catch {
        throw InputError(file: file, "cannot read the file (\((error as NSError).localizedDescription))")
    }
}

/// `fluxion md run FILE`: simulates, reports progress, writes the results.
struct MDRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a simulation from a TOML input file and write its results.",
        discussion: """
        Writes into the file's output directory: trajectory.xyz (extended XYZ frames), thermo.csv, rdf.csv, \
        final.xyz, summary.json, energy.svg, temperature.svg, rdf.svg and checkpoint.npz. Ctrl-C stops after \
        the current step with a checkpoint written; --resume continues from it, bit for bit.
        """)

    @Argument(help: "The input file (TOML); `fluxion md init lj` writes one.")
    var file: String

    @Flag(help: "Continue from the output directory's checkpoint.")
    var resume = false

    @Flag(help: "No progress bar (thermo lines go to standard output).")
    var quiet = false

    func run() throws {
        try reportingErrors {
            let configuration = try MDRunConfiguration.parse(try readInput(file), file: file)
            let stop = try MDRunner(configuration: configuration, inputFile: file, resume: resume, quiet: quiet).run()
            if stop == .interrupted { throw ExitCode(130) }
        }
    }
}
