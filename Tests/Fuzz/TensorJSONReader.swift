// libFuzzer harness for decoding a tensor from JSON (`Tensor: Codable`): any bytes must give a
// tensor whose every element can be read, or a thrown DecodingError.
import Fluxion
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTensorJSONReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if let t = try? JSONDecoder().decode(Tensor.self, from: Data(bytes: data, count: size)) {
        _ = t.cast(to: .complex128).scalars(as: Double.self).count
    }
    return 0
}
