// libFuzzer harness for the NPY reader: any bytes must give a tensor whose every element can be
// read, or a thrown NPYError; never a crash, a hang or a read outside the input.
import Fluxion

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPYReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let t = try? NPY.decode(bytes) {
        // Touch every element (and its dtype conversion) so that a wrong size is found.
        _ = t.cast(to: .complex128).scalars(as: Double.self).count
        _ = NPY.encode(t)
    }
    return 0
}
