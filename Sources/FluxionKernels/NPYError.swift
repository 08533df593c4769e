/// Why an NPY or NPZ file could not be read or written.
public enum NPYError: Error, Equatable, CustomStringConvertible {
    /// The bytes are not a valid NPY file; the message says what is wrong.
    case malformed(String)
    /// A valid file holding something Fluxion cannot represent (an unsupported dtype, say).
    case unsupported(String)
    /// The archive has no entry of that name.
    case missingEntry(String)
    /// Reading or writing the file failed.
    case io(String)

    public var description: String {
        switch self {
        case .malformed(let m): "malformed NPY data: \(m)"
        case .unsupported(let m): "unsupported NPY data: \(m)"
        case .missingEntry(let m): "NPZ archive has no entry \(m)"
        case .io(let m): m
        }
    }
}
