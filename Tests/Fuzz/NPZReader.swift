// libFuzzer harness for the NPZ reader: any bytes must give arrays whose every element can be read,
// or a thrown NPYError; never a crash, a hang, a read outside the input or an allocation that the
// input's bytes cannot justify.
import Fluxion
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPZReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let archive = try? NPZArchive(bytes: Data(bytes: data, count: size), memberLimit: 1 << 26) else { return 0 }
    for name in archive.names {
        if let t = try? archive.tensor(named: name) {
            _ = t.cast(to: .complex128).scalars(as: Double.self).count
        }
    }
    return 0
}
