import Dispatch
import CBLAS
import ComplexModule

/// OpenBLAS's thread count around LAPACK routines, which parallelize inside through BLAS.
package enum BLASThreads {
    /// Runs a LAPACK routine of about `work` multiply-adds with all of OpenBLAS's threads when it is
    /// large enough to gain from them, and returns OpenBLAS to one thread afterwards (see
    /// ``BLASKernels``: products are split over Fluxion's own workers instead).
    package static func scoped<T>(work: Int, _ body: () -> T) -> T {
        guard work >= 1 << 24, Parallel.threads > 1 else { return body() }
        openblas_set_num_threads(Int32(Parallel.threads))
        defer { openblas_set_num_threads(1) }
        return body()
    }
}

/// Batched matrix products through CBLAS `gemm`.
package enum BLASKernels {
    /// How one operand's matrices are laid out in memory: `[batch, rows, cols]` contiguous, read either
    /// as they are or transposed. Passing a transposed read to gemm avoids a copy.
    package struct Operand {
        package let array: ArrayValue
        package let batch: Int
        package let rows: Int     // the extent gemm sees after `transposed` is applied
        package let cols: Int
        package let transposed: Bool
        package var leadingDimension: Int { transposed ? rows : cols }

        package init(array: ArrayValue, batch: Int, rows: Int, cols: Int, transposed: Bool) {
            self.array = array
            self.batch = batch
            self.rows = rows
            self.cols = cols
            self.transposed = transposed
        }
    }

    /// One thread budget: OpenBLAS runs single-threaded, and Fluxion splits a large product over
    /// its own workers (which sleep when idle). OpenBLAS's own threads spin for a while after each
    /// multi-threaded call; on a machine with few cores they then take the cores the next operations
    /// need, and small products gain nothing from them.
    private static let singleThreadedBLAS: Void = { openblas_set_num_threads(1) }()

    /// Below this many multiply-adds a product runs on the calling thread.
    static let parallelWork = 1 << 22

    /// The pieces a product of `batch` matrices `m×k · k×n` is split into: whole matrices when
    /// there are enough, else bands of rows (of at least 32) of one matrix.
    static func pieces(batch: Int, m: Int, n: Int, k: Int) -> (byBatch: Bool, count: Int) {
        let work = batch * m * n * k
        guard Parallel.threads > 1, work >= parallelWork else { return (true, 1) }
        if batch >= Parallel.threads { return (true, Parallel.threads) }
        return (false, Swift.max(1, Swift.min(Parallel.threads, m / 32)))
    }

    /// `out[b] = op(a[b]) · op(c[b])`, an array of shape `[batch, m, n]`.
    package static func batchedMatmul(_ a: Operand, _ b: Operand) -> ArrayValue {
        _ = singleThreadedBLAS
        let (batch, m, k, n) = (a.batch, a.rows, a.cols, b.cols)
        let out = ArrayValue(uninitialized: [batch, m, n], dtype: a.array.dtype)
        if m == 0 || n == 0 || batch == 0 { return out }
        if k == 0 {
            out.buffer.raw.initializeMemory(as: UInt8.self, repeating: 0, count: out.buffer.byteCount)
            return out
        }
        switch a.array.dtype {
        case .float64: floatingProduct(a, b, out, Double.self) { ta, tb, rows, pa, lda, pb, ldb, po in
            cblas_dgemm(CblasRowMajor, ta, tb, rows, Int32(n), Int32(k), 1, pa, lda, pb, ldb, 0, po, Int32(n))
        }
        case .float32: floatingProduct(a, b, out, Float.self) { ta, tb, rows, pa, lda, pb, ldb, po in
            cblas_sgemm(CblasRowMajor, ta, tb, rows, Int32(n), Int32(k), 1, pa, lda, pb, ldb, 0, po, Int32(n))
        }
        case .complex128: floatingProduct(a, b, out, Complex<Double>.self) { ta, tb, rows, pa, lda, pb, ldb, po in
            var one = Complex<Double>.one, zero = Complex<Double>.zero
            cblas_zgemm(CblasRowMajor, ta, tb, rows, Int32(n), Int32(k), &one, pa, lda, pb, ldb, &zero, po, Int32(n))
        }
        case .complex64: floatingProduct(a, b, out, Complex<Float>.self) { ta, tb, rows, pa, lda, pb, ldb, po in
            var one = Complex<Float>.one, zero = Complex<Float>.zero
            cblas_cgemm(CblasRowMajor, ta, tb, rows, Int32(n), Int32(k), &one, pa, lda, pb, ldb, &zero, po, Int32(n))
        }
        case .int32: integerProduct(a, b, out, Int32.self)
        case .int64: integerProduct(a, b, out, Int64.self)
        case .bool: shapeFailure("dot_general", "does not accept dtype bool")
        }
        return out
    }

    /// One gemm call: transposes, the rows of op(a) it computes, then a, lda, b, ldb and the output.
    typealias Gemm<T> = (CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, Int32, UnsafePointer<T>, Int32, UnsafePointer<T>, Int32,
                         UnsafeMutablePointer<T>) -> Void

    /// The batched product by `gemm`, split over Fluxion's workers when large (whole matrices, or
    /// bands of rows: rows `r0..<r1` of op(a) start at row r0 of a, or at column r0 when a is read
    /// transposed).
    private static func floatingProduct<T>(_ a: Operand, _ b: Operand, _ out: ArrayValue, _: T.Type, _ gemm: Gemm<T>) {
        let (batch, m, k, n) = (a.batch, a.rows, a.cols, b.cols)
        let ta = a.transposed ? CblasTrans : CblasNoTrans
        let tb = b.transposed ? CblasTrans : CblasNoTrans
        let (lda, ldb) = (Int32(a.leadingDimension), Int32(b.leadingDimension))
        let pa = UncheckedSendable(UnsafePointer(a.array.pointer(as: T.self)))
        let pb = UncheckedSendable(UnsafePointer(b.array.pointer(as: T.self)))
        let po = UncheckedSendable(out.pointer(as: T.self))
        let split = pieces(batch: batch, m: m, n: n, k: k)
        withoutActuallyEscaping(gemm) { gemm in
            let call = UncheckedSendable(gemm)
            let rowStep = a.transposed ? 1 : Int(lda)
            func run(_ piece: Int) {
                if split.byBatch {
                    for i in (piece * batch / split.count)..<((piece + 1) * batch / split.count) {
                        call.value(ta, tb, Int32(m), pa.value + i * m * k, lda, pb.value + i * k * n, ldb, po.value + i * m * n)
                    }
                } else {
                    let (r0, r1) = (piece * m / split.count, (piece + 1) * m / split.count)
                    call.value(ta, tb, Int32(r1 - r0), pa.value + r0 * rowStep, lda, pb.value, ldb, po.value + r0 * n)
                }
            }
            if split.count == 1 {
                run(0)
            } else {
                let runner = UncheckedSendable(run)
                DispatchQueue.concurrentPerform(iterations: split.count) { runner.value($0) }
            }
        }
    }

    /// Integer products have no BLAS routine: a plain triple loop (wrapping, as NumPy).
    private static func integerProduct<T: FixedWidthInteger>(_ a: Operand, _ b: Operand, _ out: ArrayValue,
                                                              _: T.Type) {
        let (m, k, n) = (a.rows, a.cols, b.cols)
        let pa = a.array.pointer(as: T.self), pb = b.array.pointer(as: T.self), po = out.pointer(as: T.self)
        for bi in 0..<a.batch {
            for i in 0..<m {
                for j in 0..<n {
                    var acc: T = 0
                    for l in 0..<k {
                        let x = a.transposed ? pa[bi * m * k + l * m + i] : pa[bi * m * k + i * k + l]
                        let y = b.transposed ? pb[bi * k * n + j * k + l] : pb[bi * k * n + l * n + j]
                        acc = acc &+ x &* y
                    }
                    po[bi * m * n + i * n + j] = acc
                }
            }
        }
    }
}
