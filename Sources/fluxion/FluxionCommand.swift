import ArgumentParser
import Fluxion

/// The `fluxion` command-line program.
@main
struct FluxionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fluxion",
        abstract: "Fluxion: differentiable scientific computing.",
        subcommands: [Demo.self],
        defaultSubcommand: Demo.self
    )
}

/// Runs a body, turning a thrown error into one line on standard error and exit code 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do { try body() } catch let exit as ExitCode { throw exit } catch {
        FileHandleOutput.standardError("fluxion: \(error)")
        throw ExitCode(1)
    }
}
