import Foundation
import Testing
import Fluxion
import FluxionTestSupport

/// Damaged and hostile files give thrown errors that say what is wrong; they never crash, read
/// outside their bytes, or allocate what their bytes do not justify.
@Suite("Hostile input")
struct HostileInputTests {
    /// An NPY file whose header declares `shape` (a Python tuple's text) with `dataBytes` of data.
    static func npy(shape: String, descr: String = "<f8", dataBytes: Int = 16) -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        let h = Array(header.utf8)
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(h.count & 0xFF), UInt8(h.count >> 8)] + h
            + [UInt8](repeating: 0x3F, count: dataBytes)
    }

    static func message(_ body: () throws -> Void) -> String {
        do { try body(); return "no error" } catch { return "\(error)" }
    }

    @Test func impossibleShapesAreRejected() throws {
        for shape in ["(2305843009213693952,)", "(9223372036854775807,)", "(4294967296, 4294967296)", "(281474976710657,)"] {
            #expect(Self.message { _ = try NPY.decode(Self.npy(shape: shape)) }.contains("more than 2^48 elements"), "\(shape)")
        }
        // Found by the fuzzer: an empty shape whose other extents overflow, in Fortran order (read as its reverse).
        #expect(Self.message { _ = try NPY.decode(Self.npy(shape: "(0, 2, 6666666666666662, 6666666666666666262)")) }
            .contains("more than 2^48 elements"))
        #expect(try NPY.decode(Self.npy(shape: "(0, 3)")).shape == [0, 3])
        #expect(Self.message { _ = try NPY.decode(Self.npy(shape: "(99999999999999999999,)")) }
            .contains("shape entry '99999999999999999999' is not a non-negative integer"))
        #expect(Self.message { _ = try NPY.decode(Self.npy(shape: "(3,)")) }.contains("needs 24 bytes of data, found 16"))
        // A well-formed header with enough data still reads.
        #expect(try NPY.decode(Self.npy(shape: "(2,)")).shape == [2])
    }

    @Test func unsupportedDTypesSaySo() {
        #expect(Self.message { _ = try NPY.decode(Self.npy(shape: "(2,)", descr: "|O")) }
            .contains("object arrays (dtype '|O') are not supported"))
        var structured = Self.npy(shape: "(2,)")
        let text = "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,), }"
        let h = Array(text.utf8) + [UInt8](repeating: 0x20, count: 64 - (10 + text.utf8.count + 1) % 64) + [0x0A]
        structured = Array(structured[0..<8]) + [UInt8(h.count & 0xFF), UInt8(h.count >> 8)] + h + [UInt8](repeating: 0, count: 32)
        #expect(Self.message { _ = try NPY.decode(structured) }.contains("structured dtypes"))
    }

    @Test func filesAreNamedInErrors() throws {
        let dir = FileManager.default.temporaryDirectory
        #expect(Self.message { _ = try NPY.read(from: dir) }.contains("is a directory, not a file"))
        #expect(Self.message { _ = try NPY.read(from: dir.appendingPathComponent("missing-\(UUID()).npy")) }.contains("no such file"))
        let url = dir.appendingPathComponent("fluxion-bad-\(UUID().uuidString).npy")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(Self.npy(shape: "(5,)")).write(to: url)
        let m = Self.message { _ = try NPY.read(from: url) }
        #expect(m.hasPrefix(url.path + ": malformed NPY data: shape [5] of <f8 needs 40 bytes"))
        #expect(Self.message { _ = try NPZ.decode(Array("PK not really".utf8) + [UInt8](repeating: 0, count: 30)) }
            .contains("malformed NPZ archive: not a ZIP archive"))
    }

    /// The byte offset of the central directory's first entry and the archive.
    static func archive(compressed: Bool) throws -> [UInt8] {
        try NPZ.encode(["a": Tensor([1.0, 2, 3]), "b": Tensor.ones([40])], compressed: compressed)
    }

    static func centralDirectory(_ b: [UInt8]) -> Int {
        let eocd = b.count - 22
        return Int(b[eocd + 16]) | Int(b[eocd + 17]) << 8 | Int(b[eocd + 18]) << 16 | Int(b[eocd + 19]) << 24
    }

    @Test func declaredSizesDoNotControlMemory() throws {
        // A member that claims to inflate to 4 GiB: read with what its bytes produce, and rejected.
        var b = try Self.archive(compressed: true)
        let cd = Self.centralDirectory(b)
        b.replaceSubrange((cd + 24)..<(cd + 28), with: [0, 0, 0, 0xF0])
        #expect(Self.message { _ = try NPZ.decode(b) }.contains("member a.npy inflates to 152 bytes, not its recorded 4026531840"))
        // Or more than the caller's limit.
        let honest = try Self.archive(compressed: true)
        #expect(Self.message { _ = try NPZ.decode(honest, memberLimit: 100) }.contains("more than the limit of 100 bytes"))
    }

    @Test func overlappingAndRepeatedMembersAreRejected() throws {
        // The second directory entry pointed at the first member (a zip bomb's trick).
        var b = try Self.archive(compressed: false)
        let cd = Self.centralDirectory(b)
        let nameLength = Int(b[cd + 28]) | Int(b[cd + 29]) << 8
        let second = cd + 46 + nameLength
        b.replaceSubrange((second + 42)..<(second + 46), with: [0, 0, 0, 0])
        #expect(Self.message { _ = try NPZ.decode(b) }.contains("overlap"))
        var d = try Self.archive(compressed: false)
        d[second + 46] = UInt8(ascii: "a")       // "b.npy" renamed "a.npy" in the directory
        #expect(Self.message { _ = try NPZ.decode(d) }.contains("member a.npy appears twice"))
    }

    @Test func oneMemberIsReadWithoutTheOthers() throws {
        var b = try Self.archive(compressed: true)
        // Damage b's deflate stream; a still reads.
        let cd = Self.centralDirectory(b)
        let nameLength = Int(b[cd + 28]) | Int(b[cd + 29]) << 8
        let second = cd + 46 + nameLength
        let local = Int(b[second + 42]) | Int(b[second + 43]) << 8
        let start = local + 30 + Int(b[local + 26]) + Int(b[local + 28])
        b[start] ^= 0xFF
        b[start + 1] ^= 0xFF
        let archive = try NPZArchive(bytes: Data(b))
        #expect(archive.names == ["a", "b"])
        expectEqual(try archive.tensor(named: "a"), [1, 2, 3])
        #expect(Self.message { _ = try archive.tensor(named: "b") }.contains("b.npy"))
        #expect(Self.message { _ = try archive.tensor(named: "c") }.contains("no entry 'c' (it has 'a', 'b')"))
        // A truncated archive names its member.
        let truncated = try Self.archive(compressed: false)
        let cut = Array(truncated[0..<60]) + Array(truncated[Self.centralDirectory(truncated)...])
        #expect(Self.message { _ = try NPZ.decode(cut) }.contains("malformed NPZ archive"))
    }

    @Test func unicodeNamesCarryTheUTF8Flag() throws {
        let b = try NPZ.encode(["ünïcode": Tensor([1.0]), "plain": Tensor([2.0])])
        // Local headers in sorted order: "plain" (ASCII, no flag), then "ünïcode" (flag bit 11).
        #expect(b[6] & 0x08 == 0 && b[7] & 0x08 == 0)
        let signature: [UInt8] = [0x50, 0x4B, 3, 4]
        let second = (0..<(b.count - 4)).filter { (i: Int) -> Bool in Array(b[i..<(i + 4)]) == signature }[1]
        #expect(b[second + 7] & 0x08 != 0)
        let names = Set(try NPZ.decode(b).keys)
        #expect(names == ["ünïcode", "plain"])
    }

    @Test func lapackStatusCodes() throws {
        #expect(try Linalg.cholesky(Tensor.zeros([0, 0])).shape == [0, 0])
        #expect(try Linalg.cholesky(Tensor.zeros([2, 0, 0])).shape == [2, 0, 0])
        let nan = Tensor([[4.0, 0], [.nan, 3]])
        #expect(throws: LinalgError.containsNaN(operation: "cholesky", batchIndex: 0)) { try Linalg.cholesky(nan) }
        #expect(throws: LinalgError.containsNaN(operation: "solve", batchIndex: 1)) {
            try Linalg.solve(Tensor.stack([Tensor.eye(2), nan]), Tensor.ones([2, 2]))
        }
        // NaN above the diagonal is not read by cholesky.
        #expect(isnan(try Linalg.cholesky(Tensor([[4.0, .nan], [2, 3]]))).any().item == 0)
        #expect(throws: LinalgError.notPositiveDefinite(operation: "cholesky", order: 2, batchIndex: 1)) {
            try Linalg.cholesky(Tensor.stack([Tensor.eye(2), Tensor([[1.0, 2], [2, 1]])]))
        }
        #expect("\(LinalgError.containsNaN(operation: "cholesky", batchIndex: 0))" == "cholesky: matrix 0 contains NaN")
    }

    @Test func complexNumbersWithNonFiniteParts() throws {
        let z = complex(Tensor([Double.nan, .infinity, 1]), Tensor([2.0, 1, .infinity]))
        #expect(real(z).doubles.map { $0.isNaN ? "nan" : "\($0)" } == ["nan", "inf", "1.0"])
        #expect(imag(z).doubles == [2, 1, .infinity])
        #expect(isnan(z).scalars(as: Bool.self) == [true, false, false])
        #expect(isnan(complex(Tensor(Double.infinity), Tensor(0.0))).scalars(as: Bool.self) == [false])
        // Equality part by part: NaN equals nothing, infinities of different parts differ.
        let w = complex(Tensor([Double.nan, .infinity]), Tensor([0.0, 1]))
        #expect((w .== w).scalars(as: Bool.self) == [false, true])
        #expect((w .== complex(Tensor([1.0, .infinity]), Tensor([0.0, 2]))).scalars(as: Bool.self) == [false, false])
        #expect(z.cast(to: .float64).doubles.last == 1)
    }

    @Test func decodingATensorChecksItsShape() throws {
        let bad = [#"{"dtype":"float64","shape":[-1],"data":[]}"#,
                   #"{"dtype":"float64","shape":[4294967296,4294967296],"data":[]}"#,
                   #"{"dtype":"float64","shape":[-2,-3],"data":[1,2,3,4,5,6]}"#,
                   #"{"dtype":"complex128","shape":[1],"data":[[1]]}"#,
                   #"{"dtype":"float64","shape":[3],"data":[1,2]}"#]
        for json in bad {
            #expect(throws: DecodingError.self, "\(json)") { try JSONDecoder().decode(Tensor.self, from: Data(json.utf8)) }
        }
        let good = #"{"dtype":"complex64","shape":[2],"data":[[1,2],[3,-4]]}"#
        #expect(try JSONDecoder().decode(Tensor.self, from: Data(good.utf8)).dtype == .complex64)
    }
}
