#if canImport(Glibc)
import Glibc
#endif

/// A file mapped read-only into memory: reading it costs no copy, and pages already read can be
/// handed back (`release`), so that reading an N-byte array out of a file holds about N bytes of
/// memory rather than the file plus the array.
package final class MappedFile: @unchecked Sendable {
    /// The file's bytes (empty for an empty file).
    package let bytes: UnsafeRawBufferPointer
    private let base: UnsafeMutableRawPointer?

    package init(path: String) throws(NPYError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .io("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io("cannot read \(path): \(String(cString: strerror(errno)))") }
        if info.st_mode & S_IFMT == S_IFDIR { throw .io("\(path) is a directory, not a file") }
        let size = Int(info.st_size)
        guard size > 0 else {
            base = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw .io("cannot map \(path): \(String(cString: strerror(errno)))")
        }
        base = p
        bytes = UnsafeRawBufferPointer(start: p, count: size)
    }

    deinit { if let base { munmap(base, bytes.count) } }

    /// Drops the whole pages inside `range` from this process's memory (they are read again from
    /// the file if touched). Safe: the mapping is private and never written.
    package func release(_ range: Range<Int>) {
        guard let base else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page, end = range.upperBound / page * page
        if end > start { madvise(base + start, end - start, MADV_DONTNEED) }
    }
}

/// Copies `count` bytes from `source` to `destination` in 16 MiB chunks, calling `release` with the
/// source range of each chunk (offset by `offset`) once it is copied, so that a mapped file's pages
/// can be handed back as a large array is read out of it.
package func copyReleasing(_ destination: UnsafeMutableRawPointer, from source: UnsafeRawPointer, count: Int,
                           offset: Int, release: ((Range<Int>) -> Void)?) {
    var done = 0
    while done < count {
        let n = Swift.min(count - done, 1 << 24)
        (destination + done).copyMemory(from: source + done, byteCount: n)
        release?((offset + done)..<(offset + done + n))
        done += n
    }
}
