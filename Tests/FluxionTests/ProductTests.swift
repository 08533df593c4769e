import Testing
@testable import Fluxion
import FluxionTestSupport

@Suite("Matrix products and contractions")
struct ProductTests {
    /// A naive triple loop, the reference for every gemm path.
    static func naiveMatmul(_ a: [Double], _ b: [Double], _ m: Int, _ k: Int, _ n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { for l in 0..<k { c[i * n + j] += a[i * k + l] * b[l * n + j] } } }
        return c
    }

    @Test func batchedMatmulBroadcastsLikeNumPy() {
        expectClose(matmul(Reference["mm_a"], Reference["mm_b"]), Reference["mm_ab"], rtol: 1e-12)
    }

    /// Products large enough to be split over threads (bands of rows, or whole matrices of a batch)
    /// agree with the plain loop, for every transpose flag and for complex numbers.
    @Test func largeProductsSplitOverThreads() {
        var rng = TestRandom(seed: 12)
        let (m, k, n) = (301, 157, 97)                 // 4.6 million multiply-adds, odd sizes
        let a = rng.tensor([m, k]), b = rng.tensor([k, n])
        let expected = Tensor(Self.naiveMatmul(a.doubles, b.doubles, m, k, n), shape: [m, n])
        expectClose(matmul(a, b), expected, rtol: 1e-12)
        expectClose(dotGeneral(a.mT, b, contracting: ([0], [0])), expected, rtol: 1e-12)
        expectClose(dotGeneral(a, b.mT, contracting: ([1], [1])), expected, rtol: 1e-12)
        expectClose(dotGeneral(a.mT, b.mT, contracting: ([0], [1])), expected, rtol: 1e-12)
        let batchA = rng.tensor([3, 160, 100]), batchB = rng.tensor([3, 100, 90])
        let batched = matmul(batchA, batchB)
        for i in 0..<3 {
            let reference = Self.naiveMatmul(batchA[i].doubles, batchB[i].doubles, 160, 100, 90)
            expectClose(batched[i], Tensor(reference, shape: [160, 90]), rtol: 1e-12)
        }
        let ca = complex(a, 2 * a), cb = complex(b, -b)
        let cReal = matmul(a, b) * 3, cImag = matmul(a, b)    // (a + 2ia)(b − ib) = 3ab + i ab
        expectClose(real(matmul(ca, cb)), cReal, rtol: 1e-12)
        expectClose(imag(matmul(ca, cb)), cImag, rtol: 1e-12)
    }

    @Test func matmulAgainstNaiveLoops() {
        var rng = TestRandom(seed: 11)
        let a = rng.tensor([5, 7]), b = rng.tensor([7, 3])
        expectClose(matmul(a, b), Tensor(Self.naiveMatmul(a.doubles, b.doubles, 5, 7, 3), shape: [5, 3]), rtol: 1e-13)
        // Transposed operands take gemm's transpose flags instead of a copy; results must not change.
        let at = a.mT, bt = b.mT
        expectClose(dotGeneral(at, b, contracting: ([0], [0])), matmul(a, b), rtol: 1e-13)
        expectClose(dotGeneral(a, bt, contracting: ([1], [1])), matmul(a, b), rtol: 1e-13)
        // float32 and integers
        expectClose(matmul(a.cast(to: .float32), b.cast(to: .float32)).cast(to: .float64), matmul(a, b), rtol: 1e-5, atol: 1e-5)
        let ia = Tensor([Int32(1), 2, 3, 4], shape: [2, 2]), ib = Tensor([Int32(5), 6, 7, 8], shape: [2, 2])
        #expect(matmul(ia, ib).scalars(as: Int32.self) == [19, 22, 43, 50])
        // Complex gemm
        let ca = complex(a, a * 2), cb = complex(b, -b)
        let expected = matmul(a, b) * 3    // (a + 2ia)(b - ib) = ab(1 + 2i)(1 - i) = ab(3 + i)
        expectClose(real(matmul(ca, cb)), expected, rtol: 1e-12)
        expectClose(imag(matmul(ca, cb)), matmul(a, b), rtol: 1e-12)
    }

    @Test func vectorsDotOuter() {
        let v = Tensor([1.0, 2.0, 3.0]), m = Tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
        expectEqual(matmul(m, v), [4, 2])
        expectEqual(matmul(Tensor([1.0, 1.0]), m), [1, 1, 1])
        #expect(dot(v, v).item == 14)
        expectEqual(outer(Tensor([1.0, 2.0]), v), [1, 2, 3, 2, 4, 6], shape: [2, 3])
        #expect(matmul(Tensor.zeros([2, 0]), Tensor.zeros([0, 3])).doubles == [0, 0, 0, 0, 0, 0])
    }

    @Test func einsumAndTensordot() {
        let a = Reference["mm_a"], b = Reference["mm_b"]
        expectClose(einsum("bij,bjk->bik", a[0], b), Reference["einsum_bij_bjk"], rtol: 1e-12)
        expectClose(einsum("ij->ji", a[0, 0]), Reference["einsum_ij_ji"], rtol: 0)
        expectClose(tensordot(a, b, axes: [1, 3], [0, 1]), Reference["tensordot"], rtol: 1e-12)
        let v = Tensor([1.0, 2.0, 3.0])
        #expect(einsum("i,i->", v, v).item == 14)
        expectEqual(einsum("ij->j", Tensor([[1.0, 2.0], [3.0, 4.0]])), [4, 6])
        expectEqual(einsum("i,j", Tensor([1.0, 2.0]), Tensor([3.0])), [3, 6], shape: [2, 1])
    }
}
