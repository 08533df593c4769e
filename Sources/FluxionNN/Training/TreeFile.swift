import Fluxion
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a tree could not be loaded from a file or saved to one.
public enum TreeFileError: Error, Equatable, CustomStringConvertible {
    /// The file has no member for this parameter.
    case missing(parameter: String, file: String)
    /// The member's shape or dtype is not the parameter's.
    case mismatch(parameter: String, expected: TensorType, found: TensorType, file: String)
    /// The file holds parameters the model does not have (a file of another model).
    case unexpected(parameters: [String], file: String)
    /// The file could not be read or written, or is not an NPZ archive.
    case unreadable(String)

    public var description: String {
        switch self {
        case let .missing(p, f): "\(f): no parameter '\(p)' (the file is of another model, or truncated)"
        case let .mismatch(p, e, found, f): "\(f): parameter '\(p)' is \(found), the model's is \(e)"
        case let .unexpected(ps, f):
            "\(f): parameters the model does not have: \(ps.prefix(5).joined(separator: ", "))\(ps.count > 5 ? ", …" : "")"
        case let .unreadable(m): m
        }
    }
}

/// Trees saved as NPZ archives, one member per tensor, named by its path in the tree
/// (`layers/0/weight`), so that NumPy reads them as `np.load(f)["layers/0/weight"]`.
///
/// ```swift
/// try TreeFile.save(model, to: url)
/// let restored = try TreeFile.load(like: model, from: url)   // shapes and dtypes checked
/// ```
public enum TreeFile {
    /// The tree's tensors by path, with `prefix/` in front of each path when a prefix is given.
    public static func members<T: TensorTree>(_ tree: T, prefix: String = "") -> [String: Tensor] {
        let (leaves, structure) = tree.flattened()
        var out: [String: Tensor] = [:]
        for (path, leaf) in zip(structure.leafPaths, leaves) { out[join(prefix, path)] = leaf }
        return out
    }

    /// Writes the tree to `url` atomically (see ``writeAtomically(_:to:)``).
    public static func save<T: TensorTree>(_ tree: T, to url: URL) throws {
        try writeAtomically(NPZ.encode(members(tree)), to: url)
    }

    /// A tree shaped like `template` from an archive's members, checking that every parameter is
    /// there with its shape and dtype (its dtype only when `checkingShapes` is false, for trees whose
    /// arrays grow, such as a set of points), and that there are no others under `prefix`.
    public static func tree<T: TensorTree>(like template: T, from members: [String: Tensor], prefix: String = "",
                                           file: String, checkingShapes: Bool = true) throws(TreeFileError) -> T {
        let (leaves, structure) = template.flattened()
        var loaded: [Tensor] = []
        var expectedNames = Set<String>()
        for (path, leaf) in zip(structure.leafPaths, leaves) {
            let name = join(prefix, path)
            expectedNames.insert(name)
            guard let t = members[name] else { throw .missing(parameter: name, file: file) }
            guard checkingShapes ? t.type == leaf.type : t.dtype == leaf.dtype else { throw .mismatch(parameter: name, expected: leaf.type, found: t.type, file: file) }
            loaded.append(t)
        }
        let others = members.keys.filter { (prefix.isEmpty || $0.hasPrefix(prefix + "/")) && !expectedNames.contains($0) }
        if !others.isEmpty { throw .unexpected(parameters: others.sorted(), file: file) }
        return T.unflatten(structure, leaves: loaded)
    }

    /// Loads a tree shaped like `template` from `url`.
    public static func load<T: TensorTree>(like template: T, from url: URL) throws -> T {
        try tree(like: template, from: readMembers(url), file: url.path)
    }

    /// Every member of an NPZ file, with errors that name the file.
    public static func readMembers(_ url: URL) throws(TreeFileError) -> [String: Tensor] {
        do { return try NPZ.read(from: url) } catch { throw .unreadable("\(error)") }
    }

    /// Writes bytes so that `url` always holds either its old content or all of the new: to a
    /// temporary file in the same folder, flushed to the disk (`fsync`), renamed over `url`
    /// (atomic on POSIX file systems), and the folder flushed so the rename survives a crash.
    public static func writeAtomically(_ bytes: [UInt8], to url: URL) throws {
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/.\(url.lastPathComponent).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw TreeFileError.unreadable("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var written = 0
        let ok = bytes.withUnsafeBytes { raw -> Bool in
            while written < raw.count {
                let n = write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 { if errno == EINTR { continue }; return false }
                written += n
            }
            return fsync(fd) == 0
        }
        close(fd)
        guard ok, rename(temporary, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw TreeFileError.unreadable("cannot write \(url.path): \(reason)")
        }
        let dir = open(folder, O_RDONLY)
        if dir >= 0 { fsync(dir); close(dir) }
    }

    static func join(_ prefix: String, _ path: String) -> String {
        prefix.isEmpty ? (path.isEmpty ? "value" : path) : (path.isEmpty ? prefix : prefix + "/" + path)
    }
}
