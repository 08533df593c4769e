import Foundation
import Testing

/// Runs the built `fluxion` binary as a user would and checks what it prints.
@Suite("fluxion command line")
struct DemoCommandTests {
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("fluxion")
    }

    /// Runs `fluxion` with `arguments` (in `directory` when given) and returns its status and output.
    static func run(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// Starts `fluxion` with `arguments`, waits until `file` exists (a first checkpoint) and `settle`
    /// seconds more, sends Ctrl-C, and returns the exit status and standard error. A watchdog
    /// terminates the process should the interrupt be lost.
    static func interrupted(_ arguments: [String], in directory: URL, once file: URL, settle: Double = 0) throws
        -> (status: Int32, err: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: file.path) && Date() < deadline { usleep(20_000) }
        usleep(useconds_t(settle * 1_000_000))
        process.interrupt()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        defer { watchdog.cancel() }
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, message)
    }

    @Test func demoTourRuns() throws {
        let (status, out, _) = try Self.run(["demo"])
        #expect(status == 0)
        #expect(out.contains("rfft peaks at frequencies [5, 12], amplitudes Tensor([1. , 0.5])"))
        #expect(out.contains("cholesky of an indefinite matrix throws: cholesky: matrix 0 is not positive definite"))
        #expect(out.contains("grid unchanged: Tensor(True)"))
        #expect(out.contains("eigenvalues of A = Tensor([1.8800869 , 2.39834302, 4.72157008])"))
        // f = sin(x) exp(x/2): f' = e^{x/2}(cos x + sin x / 2) = 1.4346 at 0.5.
        #expect(out.contains("d^1f/dx^1 at x = 0.5: 1.4346"))
        #expect(out.contains("d^4f/dx^4 at x = 0.5: -1.9596"))
        // Taylor mode: f⁽ⁿ⁾ = Im((1/2 + i)ⁿ e^{(1/2 + i)x}); n = 12 at 0.5 is 4.5989.
        #expect(out.contains("the same by Taylor mode, one pass: d^4f/dx^4 = -1.9596, d^12f/dx^12 = 4.5989"))
        #expect(out.contains("forward Laplacian of x³ + y³ + z³ at (1, 2, 3): 36.0000"))
        #expect(out.contains("Tensor([[ 802., -400.],\n        [-400.,  200.]])"))
        #expect(out.contains("largest difference between the two: 0.0"))
        #expect(out.contains("per-example gradients, shape [4, 3]:"))
        #expect(out.contains("their sum equals the gradient of the summed loss: true"))
        #expect(out.contains("same values: true"))
        #expect(out.contains("traced 1 time(s)"))
    }

    @Test func badOptionIsOneLineOnStandardError() throws {
        let (status, _, err) = try Self.run(["demo", "--seed", "many"])
        #expect(status != 0)
        #expect(err.contains("many"))
    }
}
