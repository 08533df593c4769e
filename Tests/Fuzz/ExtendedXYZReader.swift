// libFuzzer harness for extended XYZ files (`fluxion md`'s starting configurations and FluxionMD's
// reader): any bytes must give frames that are consistent — as many positions as species, columns of
// the declared widths, a valid cell — or a thrown error naming the line, never a crash or a hang.
import FluxionInput
import FluxionMD
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExtendedXYZReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let frames = try? ExtendedXYZ.read(text, file: "fuzz.xyz") {
        for frame in frames {
            precondition(frame.positions.count == 3 * frame.atomCount && frame.pbc.count == 3)
            for column in frame.columns {
                precondition((column.kind == .string ? column.strings.count : column.numbers.count) == column.width * frame.atomCount)
            }
            // Writing and reading back gives the same frame.
            if frame.positions.allSatisfy({ abs($0) < 1e7 }), let again = try? ExtendedXYZ.read(ExtendedXYZ.format(frame)) {
                precondition(again.count == 1 && again[0].species == frame.species)
            }
        }
    }
    if let system = try? MDSystemFile.parse(text, file: "fuzz.xyz") {
        precondition(system.positions.count == 3 * system.atomCount && system.box.volume > 0)
        precondition(system.velocities.map { $0.count == 3 * system.atomCount } ?? true)
    }
    return 0
}
