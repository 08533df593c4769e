import CVectorMath
import Testing
@testable import Fluxion
@testable import FluxionKernels
import FluxionTestSupport

@Suite("Matrix products and contractions")
struct ProductTests {
    /// A naive triple loop, the reference for every gemm path.
    static func naiveMatmul(_ a: [Double], _ b: [Double], _ m: Int, _ k: Int, _ n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { for l in 0..<k { c[i * n + j] += a[i * k + l] * b[l * n + j] } } }
        return c
    }

    /// `C = op(A)·B` as the small-product kernel documents it: each element accumulated from 0 over
    /// the contraction in order, one fused multiply-add per term. `A[i, l]` is `a[i * lda + l]`, or
    /// `a[l * lda + i]` when `transposedA`.
    static func inOrderFusedProduct(_ a: [Double], lda: Int, transposedA: Bool = false, _ b: [Double], ldb: Int,
                                    _ m: Int, _ k: Int, _ n: Int, terms: Range<Int>? = nil) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for l in terms ?? 0..<k { sum.addProduct(transposedA ? a[l * lda + i] : a[i * lda + l], b[l * ldb + j]) }
                c[i * n + j] = sum
            }
        }
        return c
    }

    /// The register-tiled kernel for a small right-hand matrix or a small result equals the in-order
    /// fused sum bit for bit, on each vector width the CPU has (so results do not depend on the
    /// machine), for A as stored and transposed, every remainder of rows (m mod 4) and of columns
    /// (n mod 8 and mod 4), contractions longer than its blocks of 128 terms, and padded rows.
    @Test func smallProductKernelIsTheInOrderFusedSum() {
        var rng = TestRandom(seed: 21)
        var widthsRun = Set<Int32>()
        for (m, k, n) in [(1, 1, 1), (7, 3, 5), (13, 20, 20), (33, 64, 64), (9, 17, 31), (6, 128, 128), (5, 2, 100),
                          (11, 40, 1), (3, 9, 12), (10, 5, 33), (2, 0, 3), (20, 1000, 20), (7, 300, 9)] {
            for transposedA in [false, true] {
                let lda = (transposedA ? m : k) + 3, ldb = n + 2
                let a = (0..<((transposedA ? Swift.max(k, 1) : m) * lda)).map { _ in rng.uniform() * 2 - 1 }
                let b = (0..<(Swift.max(k, 1) * ldb)).map { _ in rng.uniform() * 2 - 1 }
                let expected = Self.inOrderFusedProduct(a, lda: lda, transposedA: transposedA, b, ldb: ldb, m, k, n)
                for bits: Int32 in [512, 256] {
                    var c = [Double](repeating: .nan, count: m * n)
                    guard fluxion_small_dgemm_width(bits, transposedA ? 1 : 0, m, n, k, a, lda, b, ldb, &c, n) != 0 else { continue }
                    widthsRun.insert(bits)
                    #expect(c == expected, "\(bits)-bit kernel, m=\(m) k=\(k) n=\(n), A transposed: \(transposedA)")
                }
            }
        }
        #expect(!widthsRun.isEmpty, "the CPU has neither AVX-512 nor AVX2 with FMA")
    }

    /// Dense-layer products go through that kernel, eagerly and jitted: forward (`x·W`, and `ȳ·Wᵀ`
    /// reading W transposed) split over threads by rows, and the weight gradient (`xᵀ·ȳ`). Every path
    /// gives the in-order fused sum exactly; a weight gradient long enough to be split in two halves
    /// of the contraction gives the sum of the two in-order halves.
    @Test func denseLayerProductsDoNotDependOnTheSplit() {
        var rng = TestRandom(seed: 22)
        for (m, k, n) in [(4096, 64, 64), (8190, 20, 20), (37, 30, 7)] {
            let a = rng.tensor([m, k]), b = rng.tensor([k, n])
            let expected = Tensor(Self.inOrderFusedProduct(a.doubles, lda: k, b.doubles, ldb: n, m, k, n), shape: [m, n])
            let bt = b.mT                        // `[n, k]`: read transposed by the products below
            #expect(matmul(a, b).doubles == expected.doubles)
            #expect(dotGeneral(a, bt, contracting: ([1], [1])).doubles == expected.doubles)
            #expect(jit { (x: Tensor, w: Tensor) in matmul(x, w.mT) }(a, bt).doubles == expected.doubles)
            // The weight gradient xᵀ·ȳ with x = a `[m, k]`, ȳ = c `[m, n]`.
            let c = rng.tensor([m, n])
            let split = BLASKernels.split(batch: 1, m: k, n: n, k: m) == .contraction
            let halves = split ? [0..<(m / 2), (m / 2)..<m] : [0..<m]
            let sums = halves.map { Self.inOrderFusedProduct(a.doubles, lda: k, transposedA: true, c.doubles, ldb: n, k, m, n, terms: $0) }
            let gradient = sums.dropFirst().reduce(sums[0]) { zip($0, $1).map { $0 + $1 } }
            #expect(dotGeneral(a, c, contracting: ([0], [0])).doubles == gradient, "m=\(m) k=\(k) n=\(n), split: \(split)")
            #expect(jit { (x: Tensor, y: Tensor) in matmul(x.mT, y) }(a, c).doubles == gradient)
        }
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
