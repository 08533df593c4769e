import ComplexModule
import Foundation

/// NumPy's `.npy` format: a magic string, a version, a header (a Python dict literal giving the
/// dtype, memory order and shape), then the raw elements.
///
/// ```swift
/// try NPY.write(x, to: URL(fileURLWithPath: "x.npy"))
/// let y = try NPY.read(from: URL(fileURLWithPath: "x.npy"))
/// ```
/// Reads little- and big-endian files, C and Fortran order, versions 1–3, and the dtypes of
/// ``DType`` plus smaller integers (`int8`, `int16`, `uint8`, `uint16` become int32; `uint32`
/// becomes int64).
public enum NPY {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Reads a tensor from an `.npy` file. Errors name the file and say what is wrong.
    public static func read(from url: URL) throws(NPYError) -> Tensor {
        let file = try FileBytes.read(url)
        do throws(NPYError) {
            return try file.withBytes { bytes throws(NPYError) in try decode(bytes, release: file.release) }
        } catch { throw error.inFile(url.path) }
    }

    /// Writes a tensor to an `.npy` file (version 1.0, little-endian, C order).
    public static func write(_ tensor: Tensor, to url: URL) throws(NPYError) {
        do { try Data(encode(tensor)).write(to: url, options: .atomic) } catch {
            throw .io("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// The bytes of an `.npy` file holding `tensor`.
    public static func encode(_ tensor: Tensor) -> [UInt8] {
        let a = tensor.concrete(for: "NPY.encode")
        let shape = a.shape.isEmpty ? "()" : a.shape.count == 1 ? "(\(a.shape[0]),)" : "(" + a.shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descriptor(a.dtype))', 'fortran_order': False, 'shape': \(shape), }"
        // Pad with spaces so that the data starts on a 64-byte boundary; the header ends in a newline.
        let total = magic.count + 2 + 2 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - total % 64) % 64) + "\n"
        let h = Array(header.utf8)
        var bytes = magic + [1, 0, UInt8(h.count & 0xFF), UInt8(h.count >> 8)] + h
        bytes += UnsafeRawBufferPointer(start: a.buffer.raw, count: a.count * a.dtype.byteSize)
        return bytes
    }

    /// A tensor from the bytes of an `.npy` file.
    public static func decode(_ bytes: [UInt8]) throws(NPYError) -> Tensor {
        try FileBytes.withBytes(of: bytes) { raw throws(NPYError) in try decode(raw) }
    }

    /// A tensor from NPY bytes in memory.
    /// `release`, when given, hands back each chunk of `bytes` once it is copied (a mapped file).
    static func decode(_ bytes: UnsafeRawBufferPointer, release: ((Range<Int>) -> Void)? = nil) throws(NPYError) -> Tensor {
        var position = 0
        return try decode(available: bytes.count) { destination, count throws(NPYError) in
            if count > 0 { copyReleasing(destination, from: bytes.baseAddress! + position, count: count, offset: position, release: release) }
            position += count
        }
    }

    /// A tensor from NPY bytes read in order by `read(destination, count)`, `available` bytes in all
    /// (an archive member being inflated, say). The elements are read once, straight into the
    /// tensor's storage; every header field is checked against `available` before it is used.
    static func decode(available: Int, read: (UnsafeMutableRawPointer, Int) throws(NPYError) -> Void) throws(NPYError) -> Tensor {
        var consumed = 0
        func next(_ count: Int) throws(NPYError) -> [UInt8] {
            let p = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(count, 1), alignment: 1)
            defer { p.deallocate() }
            try read(p, count)
            consumed += count
            return Array(UnsafeRawBufferPointer(start: p, count: count))
        }
        guard available >= 10 else { throw .malformed("the data does not start with the NPY magic string \\x93NUMPY") }
        let prefix = try next(10)
        guard Array(prefix[0..<6]) == magic else {
            throw .malformed("the data does not start with the NPY magic string \\x93NUMPY")
        }
        let major = prefix[6]
        let headerLength: Int
        switch major {
        case 1: headerLength = Int(prefix[8]) | Int(prefix[9]) << 8
        case 2, 3:
            guard available >= 12 else { throw .malformed("truncated header") }
            let more = try next(2)
            headerLength = Int(prefix[8]) | Int(prefix[9]) << 8 | Int(more[0]) << 16 | Int(more[1]) << 24
        default: throw .unsupported("format version \(major).\(prefix[7])")
        }
        guard available - consumed >= headerLength else {
            throw .malformed("the header claims \(headerLength) bytes but the file has \(available - consumed)")
        }
        guard let header = String(bytes: try next(headerLength), encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw .malformed("the header is not text")
        }
        let (descr, fortran, shape) = try parseHeader(header)
        let (format, swap) = try parseDescriptor(descr)
        guard let count = elementCount(shape) else {
            throw .unsupported("shape \(shape) has more than 2^48 elements, the most a tensor may have")
        }
        // Below 2^48 elements of at most 16 bytes: no overflow.
        let expected = count * format.itemSize
        guard available - consumed >= expected else {
            throw .malformed("shape \(shape) of \(descr) needs \(expected) bytes of data, found \(available - consumed)")
        }
        // Fortran order stores the transpose's elements in C order.
        let storedShape = fortran ? Array(shape.reversed()) : shape
        let t = try format.makeTensor(storedShape, swap, read)
        return fortran ? t.transposed() : t
    }

    static func descriptor(_ dtype: DType) -> String {
        switch dtype {
        case .bool: "|b1"
        case .int32: "<i4"
        case .int64: "<i8"
        case .float32: "<f4"
        case .float64: "<f8"
        case .complex64: "<c8"
        case .complex128: "<c16"
        }
    }

    /// The `descr`, `fortran_order` and `shape` entries of a header dict.
    static func parseHeader(_ header: String) throws(NPYError) -> (String, Bool, [Int]) {
        guard header.drop(while: { $0 == " " }).first == "{" else { throw .malformed("the header is not a Python dict") }
        func value(of key: String) -> Substring? {
            guard let k = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\"") else { return nil }
            guard let colon = header[k.upperBound...].firstIndex(of: ":") else { return nil }
            return header[header.index(after: colon)...].drop { $0 == " " }
        }
        guard let d = value(of: "descr") else { throw .malformed("the header has no 'descr' entry") }
        if d.first == "[" { throw .unsupported("structured dtypes (records of named fields) are not supported") }
        guard let q = d.first, q == "'" || q == "\"", let end = d.dropFirst().firstIndex(of: q) else {
            throw .malformed("the header's 'descr' is not a string")
        }
        let descr = String(d[d.index(after: d.startIndex)..<end])
        guard let f = value(of: "fortran_order") else { throw .malformed("the header has no 'fortran_order'") }
        let fortran: Bool
        if f.hasPrefix("True") { fortran = true } else if f.hasPrefix("False") { fortran = false }
        else { throw .malformed("'fortran_order' is neither True nor False") }
        guard let s = value(of: "shape"), s.first == "(", let close = s.firstIndex(of: ")") else {
            throw .malformed("the header has no 'shape' tuple")
        }
        var shape: [Int] = []
        for part in s[s.index(after: s.startIndex)..<close].split(separator: ",") {
            let text = part.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            guard let n = Int(text), n >= 0 else { throw .malformed("shape entry '\(text)' is not a non-negative integer") }
            shape.append(n)
        }
        return (descr, fortran, shape)
    }

    /// How to read a descriptor's elements into a tensor: `makeTensor(shape, swap, read)` reads the
    /// elements once, into the tensor's storage, reversing each element's bytes when `swap`.
    struct Format {
        let itemSize: Int
        let makeTensor: ([Int], Bool, (UnsafeMutableRawPointer, Int) throws(NPYError) -> Void) throws(NPYError) -> Tensor
    }

    static func parseDescriptor(_ descr: String) throws(NPYError) -> (Format, swap: Bool) {
        let code = descr.drop { "<>|=".contains($0) }
        if code == "O" { throw .unsupported("object arrays (dtype '\(descr)') are not supported") }
        guard descr.count >= 3, let order = descr.first, "<>|=".contains(order) else {
            throw .unsupported("dtype '\(descr)'")
        }
        let swap = order == ">"
        func typed<T: TensorElement>(_: T.Type, _ size: Int, parts: Int = 1) -> Format {
            Format(itemSize: size) { shape, swap, read throws(NPYError) in
                let a = ArrayValue(uninitialized: shape, dtype: T.dtype)
                try read(a.buffer.raw, a.count * size)
                if swap && size > 1 {
                    // Complex numbers are two reals, each byte-swapped on its own.
                    let unit = size / parts, bytes = a.buffer.raw.assumingMemoryBound(to: UInt8.self)
                    for i in stride(from: 0, to: a.count * size, by: unit) {
                        var element = UnsafeMutableBufferPointer(start: bytes + i, count: unit)
                        element.reverse()
                    }
                }
                return Tensor(array: a)
            }
        }
        func widened<S: FixedWidthInteger, T: TensorElement & FixedWidthInteger>(_: S.Type, to _: T.Type) -> Format {
            Format(itemSize: MemoryLayout<S>.size) { shape, swap, read throws(NPYError) in
                let a = ArrayValue(uninitialized: shape, dtype: T.dtype)
                let n = a.count, size = MemoryLayout<S>.size
                let raw = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(n * size, 1), alignment: 16)
                defer { raw.deallocate() }
                try read(raw, n * size)
                let p = a.pointer(as: T.self)
                for i in 0..<n {
                    let v = raw.loadUnaligned(fromByteOffset: i * size, as: S.self)
                    p[i] = T(swap ? v.byteSwapped : v)
                }
                return Tensor(array: a)
            }
        }
        switch code {
        case "b1": return (typed(Bool.self, 1), false)
        case "i4": return (typed(Int32.self, 4), swap)
        case "i8": return (typed(Int64.self, 8), swap)
        case "f4": return (typed(Float.self, 4), swap)
        case "f8": return (typed(Double.self, 8), swap)
        case "c8": return (typed(Complex<Float>.self, 8, parts: 2), swap)
        case "c16": return (typed(Complex<Double>.self, 16, parts: 2), swap)
        case "i1": return (widened(Int8.self, to: Int32.self), false)
        case "u1": return (widened(UInt8.self, to: Int32.self), false)
        case "i2": return (widened(Int16.self, to: Int32.self), swap)
        case "u2": return (widened(UInt16.self, to: Int32.self), swap)
        case "u4": return (widened(UInt32.self, to: Int64.self), swap)
        default: throw .unsupported("dtype '\(descr)'")
        }
    }
}

/// The bytes of a file or of memory, with errors that say what is wrong in a user's words. A file is
/// mapped, not read, and the pages already consumed can be handed back.
enum FileBytes: Sendable {
    case mapped(MappedFile)
    case memory(Data)

    static func read(_ url: URL) throws(NPYError) -> FileBytes {
        guard FileManager.default.fileExists(atPath: url.path) else { throw .io("\(url.path): no such file") }
        return .mapped(try MappedFile(path: url.path))
    }

    /// Hands back the pages of a byte range of a mapped file (nothing for bytes in memory).
    var release: ((Range<Int>) -> Void)? {
        if case .mapped(let file) = self { return { file.release($0) } }
        return nil
    }

    /// `body` over the bytes, keeping its typed error.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(NPYError) -> R) throws(NPYError) -> R {
        switch self {
        case .mapped(let file): return try body(file.bytes)
        case .memory(let data): return try Self.withBytes(of: data, body)
        }
    }

    /// `body` over the bytes of an array or a `Data`, keeping its typed error (their
    /// `withUnsafeBytes` rethrows untyped errors).
    static func withBytes<R>(of bytes: some ContiguousBytes,
                             _ body: (UnsafeRawBufferPointer) throws(NPYError) -> R) throws(NPYError) -> R {
        let result: Result<R, NPYError> = bytes.withUnsafeBytes { raw in
            do throws(NPYError) { return .success(try body(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
