import CZlib

/// The subset of the ZIP format NPZ files use: stored or deflated members, no ZIP64, no encryption.
///
/// Reading never trusts a declared size: every field is checked against the bytes that are there
/// before it is used, members may not overlap or repeat, and a member is inflated only when asked
/// for, into a buffer bounded by what its compressed bytes can produce and by a caller's limit.
package enum ZipArchive {
    /// A member, located by the central directory and checked against its local header.
    package struct Member: Sendable {
        package let name: String
        let method: Int
        let crc: UInt32
        /// Where the member's (compressed) data starts, and its compressed and inflated sizes.
        let dataStart: Int
        let compressedSize: Int
        package let size: Int
    }

    private static func u16(_ b: UnsafeRawBufferPointer, _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    private static func u32(_ b: UnsafeRawBufferPointer, _ i: Int) -> Int { u16(b, i) | u16(b, i + 2) << 16 }
    private static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    private static func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16 & 0xFFFF) }

    /// The CRC-32 of some bytes.
    package static func crc(_ data: UnsafeRawBufferPointer) -> UInt32 {
        var c: uLong = 0
        var p = data.baseAddress?.assumingMemoryBound(to: Bytef.self)
        var rest = data.count
        while rest > 0, let q = p {
            let n = Swift.min(rest, Int(UInt32.max >> 1))
            c = crc32(c, q, uInt(n))
            p = q + n
            rest -= n
        }
        return UInt32(truncatingIfNeeded: c)
    }

    /// The members listed by the central directory, checked: every offset and size inside the
    /// archive, each member's data before the directory, no two members overlapping, no name twice.
    package static func members(_ b: UnsafeRawBufferPointer) throws(NPYError) -> [Member] {
        guard b.count >= 22 else { throw .archive("not a ZIP archive (\(b.count) bytes is too short)") }
        // The end-of-central-directory record: the last signature whose comment ends the file.
        var eocd = -1
        for i in stride(from: b.count - 22, through: Swift.max(0, b.count - 22 - 65_535), by: -1)
        where u32(b, i) == 0x0605_4B50 && i + 22 + u16(b, i + 20) == b.count {
            eocd = i
            break
        }
        guard eocd >= 0 else { throw .archive("not a ZIP archive (no end-of-central-directory record)") }
        let count = u16(b, eocd + 10), directorySize = u32(b, eocd + 12), directoryStart = u32(b, eocd + 16)
        if count == 0xFFFF || directoryStart == 0xFFFF_FFFF || directorySize == 0xFFFF_FFFF {
            throw .unsupported("ZIP64 archives (over 65,535 members or 4 GiB)")
        }
        guard u16(b, eocd + 4) == 0, u16(b, eocd + 6) == 0, u16(b, eocd + 8) == count else {
            throw .unsupported("ZIP archives split over several disks")
        }
        let directoryEnd = directoryStart + directorySize
        guard directoryEnd <= eocd else { throw .archive("the central directory lies outside the archive") }
        var members: [Member] = [], extents: [(start: Int, end: Int, name: String)] = []
        var names = Set<String>()
        var p = directoryStart
        for _ in 0..<count {
            guard p + 46 <= directoryEnd, u32(b, p) == 0x0201_4B50 else {
                throw .archive("the central directory is damaged")
            }
            let flags = u16(b, p + 8), method = u16(b, p + 10), crc = UInt32(u32(b, p + 16))
            let compressedSize = u32(b, p + 20), size = u32(b, p + 24)
            let nameLength = u16(b, p + 28), extra = u16(b, p + 30), comment = u16(b, p + 32)
            let local = u32(b, p + 42)
            guard p + 46 + nameLength + extra + comment <= directoryEnd else {
                throw .archive("the central directory is damaged")
            }
            let nameBytes = UnsafeRawBufferPointer(rebasing: b[(p + 46)..<(p + 46 + nameLength)])
            let name = String(decoding: nameBytes, as: UTF8.self)
            p += 46 + nameLength + extra + comment
            guard names.insert(name).inserted else { throw .archive("member \(name) appears twice") }
            if flags & 1 != 0 { throw NPYError.unsupported("encrypted ZIP members").inFile(name) }
            guard method == 0 || method == 8 else {
                throw NPYError.unsupported("ZIP compression method \(method) (only stored and deflated)").inFile(name)
            }
            if compressedSize == 0xFFFF_FFFF || size == 0xFFFF_FFFF || local == 0xFFFF_FFFF {
                throw NPYError.unsupported("ZIP64 members (over 4 GiB)").inFile(name)
            }
            guard local + 30 <= directoryStart, u32(b, local) == 0x0403_4B50 else {
                throw .archive("member \(name) has no local header where the directory points")
            }
            let dataStart = local + 30 + u16(b, local + 26) + u16(b, local + 28)
            guard dataStart + compressedSize <= directoryStart else { throw .archive("member \(name) is truncated") }
            guard method == 8 || compressedSize == size else {
                throw .archive("stored member \(name) records \(compressedSize) bytes stored but \(size) bytes long")
            }
            members.append(Member(name: name, method: method, crc: crc, dataStart: dataStart,
                                  compressedSize: compressedSize, size: size))
            extents.append((local, dataStart + compressedSize, name))
        }
        extents.sort { $0.start < $1.start }
        for (a, b) in zip(extents, extents.dropFirst()) where b.start < a.end {
            throw .archive("members \(a.name) and \(b.name) overlap")
        }
        return members
    }

    /// Calls `body` with a reader of a member's bytes, then checks that the member was read to its
    /// recorded end and passes its CRC.
    ///
    /// - Parameter limit: the largest inflated size accepted, in bytes.
    /// - Parameter release: hands back the archive's pages in a byte range once they are consumed
    ///   (for a mapped file; nil for bytes in memory).
    package static func withReader<R>(of member: Member, in b: UnsafeRawBufferPointer, limit: Int,
                                      release: ((Range<Int>) -> Void)? = nil,
                                      _ body: (MemberReader) throws(NPYError) -> R) throws(NPYError) -> R {
        guard member.size <= limit else {
            throw NPYError.unsupported("\(member.size) bytes, more than the limit of \(limit) bytes").inFile(member.name)
        }
        let raw = UnsafeRawBufferPointer(rebasing: b[member.dataStart..<(member.dataStart + member.compressedSize)])
        let reader = try MemberReader(member, raw, release: release)
        let result = try body(reader)
        try reader.finish()
        return result
    }

    /// Reads a member's inflated bytes in order, straight into the caller's memory: a stored
    /// member's are copied from the archive, a deflated member's inflated chunk by chunk, so that no
    /// buffer of the member's size is made besides the caller's own.
    package final class MemberReader {
        private let member: Member
        private let input: UnsafeRawBufferPointer
        private let release: ((Range<Int>) -> Void)?
        private var stream = z_stream()
        private var inflating = false
        private var crc: uLong = 0
        /// The bytes handed out so far.
        package private(set) var position = 0
        /// The member's recorded (inflated) size.
        package var size: Int { member.size }

        fileprivate init(_ member: Member, _ input: UnsafeRawBufferPointer, release: ((Range<Int>) -> Void)?) throws(NPYError) {
            self.member = member
            self.input = input
            self.release = release
            if member.method == 8 {
                guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                    throw .io("zlib failed to start")
                }
                inflating = true
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(input.count)
            }
        }

        deinit { if inflating { inflateEnd(&stream) } }

        /// Fills `count` bytes at `destination` with the member's next bytes; throws when the member
        /// is shorter than its recorded size or its deflate stream is damaged.
        package func read(into destination: UnsafeMutableRawPointer, count: Int) throws(NPYError) {
            guard count >= 0, count <= member.size - position else {
                throw .archive("member \(member.name) is truncated (\(member.size) bytes recorded)")
            }
            if inflating {
                var done = 0
                while done < count {
                    let chunk = Swift.min(count - done, 1 << 24)
                    stream.next_out = (destination + done).assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(chunk)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    let produced = chunk - Int(stream.avail_out)
                    done += produced
                    if status == Z_STREAM_END && done < count {
                        throw .archive("member \(member.name) inflates to \(position + done) bytes, not its recorded \(member.size)")
                    }
                    if status != Z_OK && status != Z_STREAM_END || produced == 0 && done < count {
                        throw .archive("member \(member.name) is truncated or not a valid deflate stream")
                    }
                    // The compressed bytes consumed so far are not needed again.
                    release?(member.dataStart..<(member.dataStart + input.count - Int(stream.avail_in)))
                }
            } else if count > 0 {
                copyReleasing(destination, from: input.baseAddress! + position, count: count,
                              offset: member.dataStart + position, release: release)
            }
            if count > 0 { crc = crc32(crc, destination.assumingMemoryBound(to: Bytef.self), uInt(count)) }
            position += count
        }

        /// Reads whatever is left (bytes after an NPY's data), then checks the end and the CRC.
        fileprivate func finish() throws(NPYError) {
            if position < member.size {
                let scratch = UnsafeMutableRawPointer.allocate(byteCount: 1 << 16, alignment: 16)
                defer { scratch.deallocate() }
                while position < member.size { try read(into: scratch, count: Swift.min(1 << 16, member.size - position)) }
            }
            if inflating {
                // The stream must end exactly at the recorded size.
                var extra: UInt8 = 0
                let status = withUnsafeMutablePointer(to: &extra) { p -> Int32 in
                    stream.next_out = p
                    stream.avail_out = 1
                    return CZlib.inflate(&stream, Z_FINISH)
                }
                guard status == Z_STREAM_END, stream.avail_out == 1 else {
                    throw .archive("member \(member.name) inflates to more than its recorded \(member.size) bytes")
                }
            }
            guard UInt32(truncatingIfNeeded: crc) == member.crc else {
                throw .archive("member \(member.name) fails its CRC check")
            }
        }
    }

    /// An archive of `files` (name, bytes), deflated when asked, then its central directory.
    /// Non-ASCII names carry the ZIP UTF-8 flag, so that every reader decodes them as written.
    package static func build(_ files: [(String, [UInt8])], deflate: Bool) throws(NPYError) -> [UInt8] {
        var out: [UInt8] = [], central: [UInt8] = []
        for (name, data) in files {
            let stored = deflate ? try compress(data) : data
            let nameBytes = Array(name.utf8)
            let flags = nameBytes.allSatisfy { $0 < 0x80 } ? 0 : 0x0800
            let method = deflate ? 8 : 0
            let checksum = data.withUnsafeBytes { Int(crc($0)) }
            let common = le16(20) + le16(flags) + le16(method) + le16(0) + le16(0x21) + le32(checksum)
                + le32(stored.count) + le32(data.count) + le16(nameBytes.count) + le16(0)
            let offset = out.count
            guard offset < 0xFFFF_FFFF, stored.count < 0xFFFF_FFFF, data.count < 0xFFFF_FFFF else {
                throw .unsupported("archives over 4 GiB (ZIP64)")
            }
            out += le32(0x0403_4B50) + common + nameBytes + stored
            central += le32(0x0201_4B50) + le16(20) + common + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + nameBytes
        }
        guard files.count < 0xFFFF else { throw .unsupported("archives of 65,535 members or more (ZIP64)") }
        let directoryOffset = out.count
        out += central
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(files.count) + le16(files.count)
            + le32(central.count) + le32(directoryOffset) + le16(0)
        return out
    }

    /// Raw DEFLATE compression.
    private static func compress(_ input: [UInt8]) throws(NPYError) -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw .io("zlib failed to start") }
        defer { deflateEnd(&stream) }
        let capacity = Int(deflateBound(&stream, uLong(input.count)))
        var status: Int32 = Z_OK
        let output = input.withUnsafeBytes { inp in
            [UInt8](unsafeUninitializedCapacity: capacity) { out, written in
                stream.next_in = UnsafeMutablePointer(mutating: inp.baseAddress?.assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(inp.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(capacity)
                status = deflate(&stream, Z_FINISH)
                written = Int(stream.total_out)
            }
        }
        guard status == Z_STREAM_END else { throw .io("zlib failed to compress") }
        return output
    }
}
