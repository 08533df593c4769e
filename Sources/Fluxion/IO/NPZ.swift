import Foundation

/// NumPy's `.npz` archives: a ZIP file of `.npy` entries, as written by `numpy.savez` (stored) and
/// `numpy.savez_compressed` (deflated). Entry names are given without the `.npy` suffix.
///
/// ```swift
/// try NPZ.write(["x": x, "y": y], to: URL(fileURLWithPath: "data.npz"))
/// let arrays = try NPZ.read(from: URL(fileURLWithPath: "data.npz"))   // ["x": …, "y": …]
/// ```
public enum NPZ {
    /// Reads every array of an archive.
    public static func read(from url: URL) throws(NPYError) -> [String: Tensor] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .io("cannot read \(url.path): \(error.localizedDescription)") }
        return try decode([UInt8](data))
    }

    /// Writes arrays to an archive, deflated when `compressed`.
    public static func write(_ arrays: [String: Tensor], to url: URL, compressed: Bool = false) throws(NPYError) {
        let bytes = try encode(arrays, compressed: compressed)
        do { try Data(bytes).write(to: url) } catch { throw .io("cannot write \(url.path): \(error.localizedDescription)") }
    }

    /// The arrays of an archive's bytes.
    public static func decode(_ bytes: [UInt8]) throws(NPYError) -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for entry in try ZipArchive.entries(bytes) {
            let name = entry.name.hasSuffix(".npy") ? String(entry.name.dropLast(4)) : entry.name
            do { result[name] = try NPY.decode(entry.data) } catch {
                throw .malformed("entry '\(entry.name)': \(error)")
            }
        }
        return result
    }

    /// An archive's bytes; entries are written in sorted name order.
    public static func encode(_ arrays: [String: Tensor], compressed: Bool = false) throws(NPYError) -> [UInt8] {
        try ZipArchive.build(arrays.keys.sorted().map { ("\($0).npy", NPY.encode(arrays[$0]!)) }, deflate: compressed)
    }
}
