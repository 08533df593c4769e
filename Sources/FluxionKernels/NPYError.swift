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
    /// The bytes are not a valid ZIP archive (the container of an NPZ file).
    case archive(String)
    /// An error in a file or an archive member, named by the first value.
    indirect case inFile(String, NPYError)

    public var description: String {
        switch self {
        case .malformed(let m): "malformed NPY data: \(m)"
        case .unsupported(let m): "unsupported NPY data: \(m)"
        case .missingEntry(let m): "NPZ archive has no entry \(m)"
        case .io(let m): m
        case .archive(let m): "malformed NPZ archive: \(m)"
        case .inFile(let name, let error): "\(name): \(error)"
        }
    }

    /// The error with the file or member it occurred in.
    package func inFile(_ name: String) -> NPYError { .inFile(name, self) }
}
