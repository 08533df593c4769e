import Testing
@testable import Fluxion
import FluxionTestSupport

@Suite("Creation, read-back and printing")
struct CreationTests {
    @Test func creation() {
        expectEqual(Tensor.zeros([2, 2]), [0, 0, 0, 0], shape: [2, 2], dtype: .float64)
        expectEqual(Tensor.ones([3], dtype: .int32), [1, 1, 1], dtype: .int32)
        expectEqual(Tensor.full([2], 7.5, dtype: .float32), [7.5, 7.5], dtype: .float32)
        expectEqual(Tensor.arange(1, 2, step: 0.25), [1, 1.25, 1.5, 1.75])
        expectEqual(Tensor.arange(4), [0, 1, 2, 3], dtype: .int64)
        expectEqual(Tensor.linspace(0, 1, count: 5), [0, 0.25, 0.5, 0.75, 1])
        expectEqual(Tensor.linspace(0, 1, count: 4, endpoint: false), [0, 0.25, 0.5, 0.75])
        expectEqual(Tensor.eye(2, 3, k: 1), [0, 1, 0, 0, 0, 1], shape: [2, 3])
        let like = Tensor.zeros(like: Tensor([Int32(1), 2]))
        #expect(like.dtype == .int32 && like.shape == [2])
        #expect(Tensor(3.5).shape == [] && Tensor(3.5).item == 3.5)
        #expect(Tensor([[1, 2], [3, 4]] as [[Int64]]).shape == [2, 2])
    }

    @Test func readBack() {
        let t = Tensor([1.5, -2.0], shape: [2])
        #expect(t.scalars(as: Double.self) == [1.5, -2])
        #expect(t.scalars(as: Int32.self) == [1, -2])
        #expect(t[0].scalar(as: Float.self) == 1.5)
        #expect(t.count == 2 && t.rank == 1)
    }

    @Test func printsLikeNumPy() {
        #expect(Tensor([[1.0, 2.5], [3.0, -4.0]]).description == "Tensor([[ 1. ,  2.5],\n        [ 3. , -4. ]])")
        #expect(Tensor([1.0, 2.5]).description == "Tensor([1. , 2.5])")
        #expect(Tensor([Int32(1), 20]).description == "Tensor([ 1, 20], dtype=int32)")
        #expect(Tensor([true, false]).description == "Tensor([ True, False])")
        #expect(Tensor(2.0).description == "Tensor(2.)")
        #expect(Tensor([1e-5, 1.0]).description == "Tensor([1.e-05, 1.e+00])")
        let big = Tensor.arange(0, 2000).description
        #expect(big.contains("...") && big.hasPrefix("Tensor([   0.,    1.,    2., ...") && big.hasSuffix("1999.])"))
        let m = Tensor.arange(0, 4).reshaped(to: [2, 2]).description
        #expect(m == "Tensor([[0., 1.],\n        [2., 3.]])")
        #expect(complex(Tensor([1.0]), Tensor([-2.0])).description == "Tensor([1.-2.j], dtype=complex128)")
    }
}
