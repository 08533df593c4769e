import ArgumentParser
import Fluxion

/// The `fluxion` command-line program.
@main
struct FluxionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fluxion",
        abstract: "Fluxion: differentiable scientific computing.",
        subcommands: [Demo.self, PINNCommand.self, MDCommand.self],
        defaultSubcommand: Demo.self
    )
}

/// Runs a body, turning a thrown error (a wrong input file, a data error) into one line on standard
/// error and exit status 2.
func reportingErrors(_ body: () throws -> Void) throws {
    do { try body() } catch let exit as ExitCode { throw exit } catch {
        let line = "\(error)".split(separator: "\n", omittingEmptySubsequences: true).joined(separator: " ")
        FileHandleOutput.standardError("fluxion: \(line)")
        throw ExitCode(2)
    }
}
