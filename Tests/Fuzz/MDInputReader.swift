// libFuzzer harness for `fluxion md run`'s input files: any bytes must give a checked configuration
// or a thrown InputError (a TOML syntax error, an unknown key, a value out of range), never a crash
// or a hang.
import FluxionInput
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMDInputReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let c = try? MDRunConfiguration.parse(text, file: "fuzz.toml") {
        precondition(c.timeStep > 0 && c.steps >= 0 && c.density > 0 && c.cells.count == 3 && c.thermoEvery >= 1)
    }
    return 0
}
