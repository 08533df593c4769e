import Foundation
import Testing
@testable import Fluxion
import FluxionTestSupport

@Suite("NPY and NPZ")
struct IOTests {
    @Test func roundTripsEveryDType() throws {
        let tensors: [Tensor] = [
            Tensor([1.5, -2, 3], shape: [3]), Tensor([Float(1), 2, 3, 4], shape: [2, 2]),
            Tensor([Int32(-1), 2], shape: [2, 1]), Tensor([Int64.max, .min], shape: [2]),
            Tensor([true, false, true], shape: [3]), complex(Tensor([1.0, 2]), Tensor([3.0, -4])),
            complex(Tensor([Float(1)]), Tensor([Float(2)])), Tensor(4.0), Tensor.zeros([0, 3]),
        ]
        for t in tensors {
            let back = try NPY.decode(NPY.encode(t))
            #expect(back.dtype == t.dtype && back.shape == t.shape)
            expectClose(back, t, rtol: 0, atol: 0)
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fluxion-io-\(UUID().uuidString).npz")
        defer { try? FileManager.default.removeItem(at: url) }
        for compressed in [false, true] {
            try NPZ.write(["a": tensors[0], "b": tensors[2]], to: url, compressed: compressed)
            let back = try NPZ.read(from: url)
            #expect(Set(back.keys) == ["a", "b"])
            expectClose(back["b"]!, tensors[2], rtol: 0, atol: 0)
        }
    }

    @Test func readsFilesWrittenByNumPy() throws {
        let f = try NPY.read(from: Reference.file("fortran_f8.npy"))
        expectEqual(f, (0..<12).map { Double($0) / 4 }, shape: [3, 4])
        let be = try NPY.read(from: Reference.file("bigendian_i4.npy"))
        #expect(be.dtype == .int32 && be.scalars(as: Int32.self) == [0, 1, 2, 3, 4, 5] && be.shape == [2, 3])
        let c = try NPY.read(from: Reference.file("bigendian_c16.npy"))
        expectClose(c, complex(Tensor([0.0, 1, 2, 3]), Tensor([3.0, 2, 1, 0])), rtol: 0, atol: 0)
        #expect(try NPY.read(from: Reference.file("bool.npy")).scalars(as: Bool.self) == [true, false, false, true])
        #expect(try NPY.read(from: Reference.file("uint8.npy")).scalars(as: Int32.self) == [250, 251, 252, 253, 254, 255])
        let s = try NPY.read(from: Reference.file("scalar_f4.npy"))
        #expect(s.shape == [] && s.dtype == .float32 && s.item == 2.5)
        let z = try NPZ.read(from: Reference.file("compressed.npz"))
        #expect(z["b"]!.scalars(as: Int64.self) == [0, 1, 2, 3, 4])
        expectClose(z["c"]!, complex(Tensor(1.5), Tensor(2.0)), rtol: 0, atol: 0)
        expectClose(z["a"]!, f, rtol: 0, atol: 0)
    }

    @Test func malformedDataIsAThrownError() throws {
        #expect(throws: NPYError.malformed("the data does not start with the NPY magic string \\x93NUMPY")) {
            try NPY.decode(Array("hello, world".utf8))
        }
        var bytes = NPY.encode(Tensor([1.0, 2.0, 3.0]))
        bytes.removeLast(8)
        #expect(throws: NPYError.malformed("shape [3] of <f8 needs 24 bytes of data, found 16")) { try NPY.decode(bytes) }
        var header = NPY.encode(Tensor([1.0]))
        let at = (0..<header.count - 3).first { Array(header[$0..<($0 + 3)]) == Array("<f8".utf8) }!
        header[at + 1] = UInt8(ascii: "U")
        #expect(throws: NPYError.unsupported("dtype '<U8'")) { try NPY.decode(header) }
        #expect(throws: NPYError.archive("not a ZIP archive (no end-of-central-directory record)")) {
            try NPZ.decode([UInt8](repeating: 7, count: 40))
        }
        #expect(throws: NPYError.self) { try NPY.read(from: URL(fileURLWithPath: "/nonexistent/x.npy")) }
    }
}
