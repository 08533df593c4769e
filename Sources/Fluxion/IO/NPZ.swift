import Foundation

/// NumPy's `.npz` archives: a ZIP file of `.npy` members, as written by `numpy.savez` (stored) and
/// `numpy.savez_compressed` (deflated). Member names are given without the `.npy` suffix.
///
/// ```swift
/// try NPZ.write(["x": x, "y": y], to: URL(fileURLWithPath: "data.npz"))
/// let arrays = try NPZ.read(from: URL(fileURLWithPath: "data.npz"))   // ["x": …, "y": …]
/// let x = try NPZArchive(contentsOf: URL(fileURLWithPath: "data.npz")).tensor(named: "x")
/// ```
public enum NPZ {
    /// The largest inflated member read unless the caller says otherwise: 4 GiB.
    public static let defaultMemberLimit = 1 << 32

    /// Reads every array of an archive.
    ///
    /// - Parameter memberLimit: the largest inflated member accepted, in bytes.
    public static func read(from url: URL, memberLimit: Int = defaultMemberLimit) throws(NPYError) -> [String: Tensor] {
        try NPZArchive(contentsOf: url, memberLimit: memberLimit).tensors()
    }

    /// Writes arrays to an archive, deflated when `compressed`; the file is replaced atomically.
    public static func write(_ arrays: [String: Tensor], to url: URL, compressed: Bool = false) throws(NPYError) {
        let bytes = try encode(arrays, compressed: compressed)
        do { try Data(bytes).write(to: url, options: .atomic) } catch {
            throw .io("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// The arrays of an archive's bytes.
    public static func decode(_ bytes: [UInt8], memberLimit: Int = defaultMemberLimit) throws(NPYError) -> [String: Tensor] {
        try NPZArchive(bytes: Data(bytes), memberLimit: memberLimit).tensors()
    }

    /// An archive's bytes; members are written in sorted name order.
    public static func encode(_ arrays: [String: Tensor], compressed: Bool = false) throws(NPYError) -> [UInt8] {
        try ZipArchive.build(arrays.keys.sorted().map { ("\($0).npy", NPY.encode(arrays[$0]!)) }, deflate: compressed)
    }
}

/// An `.npz` archive opened for reading: its directory is read and checked when it is opened, and a
/// member is read (and inflated) only when asked for, so reading one array of a large archive costs
/// that array only. A file is mapped, not copied; a member's elements are read (or inflated)
/// straight into the tensor's storage, and the file's pages are handed back as they are consumed:
/// reading an N-byte member takes about N bytes of memory.
public struct NPZArchive: Sendable {
    private let bytes: FileBytes
    private let members: [String: ZipArchive.Member]
    private let source: String?
    /// The largest inflated member accepted, in bytes.
    public let memberLimit: Int

    /// Opens the archive at `url`. Errors name the file.
    public init(contentsOf url: URL, memberLimit: Int = NPZ.defaultMemberLimit) throws(NPYError) {
        try self.init(bytes: FileBytes.read(url), memberLimit: memberLimit, source: url.path)
    }

    /// Opens an archive held in memory.
    public init(bytes: Data, memberLimit: Int = NPZ.defaultMemberLimit) throws(NPYError) {
        try self.init(bytes: .memory(bytes), memberLimit: memberLimit, source: nil)
    }

    private init(bytes: FileBytes, memberLimit: Int, source: String?) throws(NPYError) {
        self.bytes = bytes
        self.memberLimit = memberLimit
        self.source = source
        do throws(NPYError) {
            let list = try bytes.withBytes { b throws(NPYError) in try ZipArchive.members(b) }
            members = Dictionary(uniqueKeysWithValues: list.map { (Self.arrayName($0.name), $0) })
        } catch { throw source.map { error.inFile($0) } ?? error }
    }

    private static func arrayName(_ member: String) -> String {
        member.hasSuffix(".npy") ? String(member.dropLast(4)) : member
    }

    /// The names of the arrays, sorted.
    public var names: [String] { members.keys.sorted() }

    /// The array of that name (without `.npy`).
    public func tensor(named name: String) throws(NPYError) -> Tensor {
        guard let member = members[name] else {
            let error = NPYError.missingEntry("'\(name)' (it has \(names.map { "'\($0)'" }.joined(separator: ", ")))")
            throw source.map { error.inFile($0) } ?? error
        }
        do throws(NPYError) {
            return try bytes.withBytes { b throws(NPYError) -> Tensor in
                try ZipArchive.withReader(of: member, in: b, limit: memberLimit, release: bytes.release) { reader throws(NPYError) in
                    do throws(NPYError) {
                        return try NPY.decode(available: reader.size, read: reader.read)
                    } catch { throw error.inFile("member \(member.name)") }
                }
            }
        } catch { throw source.map { error.inFile($0) } ?? error }
    }

    /// Every array.
    public func tensors() throws(NPYError) -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for name in names { result[name] = try tensor(named: name) }
        return result
    }
}
