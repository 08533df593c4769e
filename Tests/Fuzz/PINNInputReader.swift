// libFuzzer harness for `fluxion pinn run`'s input files: any bytes must give a checked
// configuration or a thrown InputError (a TOML syntax error, an unknown key, a value out of range),
// never a crash or a hang.
import FluxionInput
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPINNInputReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let configuration = try? PINNRunConfiguration.parse(text, file: "fuzz.toml") {
        precondition(configuration.adamSteps >= 0 && configuration.collocation >= 1 && !configuration.hidden.isEmpty)
    }
    return 0
}
