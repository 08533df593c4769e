import CZlib

/// The subset of the ZIP format NPZ files use: stored or deflated entries, no ZIP64, no encryption.
package enum ZipArchive {
    package struct Entry {
        package let name: String
        package let data: [UInt8]
    }

    private static func u16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    private static func u32(_ b: [UInt8], _ i: Int) -> Int { u16(b, i) | u16(b, i + 2) << 16 }
    private static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    private static func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16 & 0xFFFF) }

    package static func crc(_ data: [UInt8]) -> Int {
        Int(data.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) })
    }

    /// Reads the central directory at the end of the archive, then each entry.
    package static func entries(_ b: [UInt8]) throws(NPYError) -> [Entry] {
        guard b.count >= 22 else { throw .malformed("too short to be a ZIP archive (\(b.count) bytes)") }
        var eocd = -1
        for i in stride(from: b.count - 22, through: Swift.max(0, b.count - 22 - 65_535), by: -1)
        where u32(b, i) == 0x0605_4B50 {
            eocd = i
            break
        }
        guard eocd >= 0 else { throw .malformed("no ZIP end-of-central-directory record: not an NPZ archive") }
        let count = u16(b, eocd + 10)
        var p = u32(b, eocd + 16)
        if count == 0xFFFF || p == 0xFFFF_FFFF { throw .unsupported("ZIP64 archives") }
        var result: [Entry] = []
        for _ in 0..<count {
            guard p + 46 <= b.count, u32(b, p) == 0x0201_4B50 else { throw .malformed("damaged ZIP central directory") }
            let method = u16(b, p + 10), crcValue = u32(b, p + 16)
            let compressedSize = u32(b, p + 20), size = u32(b, p + 24)
            let nameLength = u16(b, p + 28), extra = u16(b, p + 30), comment = u16(b, p + 32)
            let local = u32(b, p + 42)
            guard p + 46 + nameLength <= b.count else { throw .malformed("damaged ZIP central directory") }
            let name = String(decoding: b[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            p += 46 + nameLength + extra + comment
            guard local + 30 <= b.count, u32(b, local) == 0x0403_4B50 else { throw .malformed("damaged ZIP entry '\(name)'") }
            let start = local + 30 + u16(b, local + 26) + u16(b, local + 28)
            guard start + compressedSize <= b.count else { throw .malformed("ZIP entry '\(name)' is truncated") }
            let raw = Array(b[start..<(start + compressedSize)])
            let data: [UInt8]
            switch method {
            case 0: data = raw
            case 8: data = try inflate(raw, size: size, name: name)
            default: throw .unsupported("ZIP compression method \(method) in entry '\(name)'")
            }
            guard crc(data) == crcValue else { throw .malformed("ZIP entry '\(name)' fails its CRC check") }
            result.append(Entry(name: name, data: data))
        }
        return result
    }

    /// Writes entries, then the central directory.
    package static func build(_ files: [(String, [UInt8])], deflate: Bool) throws(NPYError) -> [UInt8] {
        var out: [UInt8] = [], central: [UInt8] = []
        for (name, data) in files {
            let stored = deflate ? try compress(data) : data
            let nameBytes = Array(name.utf8)
            let method = deflate ? 8 : 0
            let common = le16(20) + le16(0) + le16(method) + le16(0) + le16(0x21) + le32(crc(data))
                + le32(stored.count) + le32(data.count) + le16(nameBytes.count) + le16(0)
            let offset = out.count
            guard offset < 0xFFFF_FFFF, stored.count < 0xFFFF_FFFF else { throw .unsupported("archives over 4 GiB (ZIP64)") }
            out += le32(0x0403_4B50) + common + nameBytes + stored
            central += le32(0x0201_4B50) + le16(20) + common + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + nameBytes
        }
        let directoryOffset = out.count
        out += central
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(files.count) + le16(files.count)
            + le32(central.count) + le32(directoryOffset) + le16(0)
        return out
    }

    /// Raw DEFLATE decompression (ZIP stores deflate streams without zlib's header).
    private static func inflate(_ input: [UInt8], size: Int, name: String) throws(NPYError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .io("zlib failed to start")
        }
        defer { inflateEnd(&stream) }
        let (status, output) = run(&stream, input, capacity: size) { CZlib.inflate($0, Z_FINISH) }
        guard status == Z_STREAM_END, output.count == size else {
            throw .malformed("ZIP entry '\(name)' does not inflate to its recorded \(size) bytes")
        }
        return output
    }

    /// Raw DEFLATE compression.
    private static func compress(_ input: [UInt8]) throws(NPYError) -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw .io("zlib failed to start") }
        defer { deflateEnd(&stream) }
        let capacity = Int(deflateBound(&stream, uLong(input.count)))
        let (status, output) = run(&stream, input, capacity: capacity) { deflate($0, Z_FINISH) }
        guard status == Z_STREAM_END else { throw .io("zlib failed to compress") }
        return output
    }

    /// Points a zlib stream at `input` and an output buffer of `capacity` bytes, runs `step` once, and
    /// returns its status with the bytes it wrote.
    private static func run(_ stream: inout z_stream, _ input: [UInt8], capacity: Int,
                            _ step: (UnsafeMutablePointer<z_stream>) -> Int32) -> (Int32, [UInt8]) {
        var input = input
        var output = [UInt8](repeating: 0, count: capacity)
        let status = input.withUnsafeMutableBufferPointer { inp in
            output.withUnsafeMutableBufferPointer { outp in
                stream.next_in = inp.baseAddress
                stream.avail_in = uInt(inp.count)
                stream.next_out = outp.baseAddress
                stream.avail_out = uInt(outp.count)
                return step(&stream)
            }
        }
        return (status, Array(output[0..<Int(stream.total_out)]))
    }
}
