import CBLAS
import CVectorMath
import ComplexModule

/// OpenBLAS's thread count around LAPACK routines, which parallelize inside through BLAS.
package enum BLASThreads {
    /// The multiply-adds from which a LAPACK routine runs on OpenBLAS's threads. OpenBLAS's threads
    /// keep spinning (`sched_yield`) after each call and take the cores from the operations that
    /// follow: below about 512³ a factorization is faster on one thread in a program.
    static let scopedWork = 1 << 28

    /// A solve with `n` right-hand sides (the columns of a row-major `m×n` `b`) split into bands of
    /// columns on Fluxion's workers: `body(firstColumn, columns)` solves one band in place.
    package static func columnBands<T>(m: Int, n: Int, _ b: UnsafeMutablePointer<T>,
                                       _ body: (UnsafeMutablePointer<T>, Int) -> Void) {
        guard m * m * n >= 1 << 21 else { return body(b, n) }
        let pointer = UncheckedSendable(b)
        Parallel.forChunks(n, minimumChunk: 32) { columns in body(pointer.value + columns.lowerBound, columns.count) }
    }

    /// Runs a LAPACK routine of about `work` multiply-adds with all of OpenBLAS's threads when it is
    /// large enough to gain from them, and returns OpenBLAS to one thread afterwards (see
    /// ``BLASKernels``: products are split over Fluxion's own workers instead).
    package static func scoped<T>(work: Int, _ body: () -> T) -> T {
        guard work >= scopedWork, Parallel.threads > 1 else { return body() }
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

    /// How a product of `batch` matrices `m×k · k×n` is split over Fluxion's workers.
    enum Split: Equatable {
        /// Whole matrices (`count` groups of them), or one group.
        case batches(count: Int)
        /// Bands of rows of one matrix.
        case rows(count: Int)
        /// Halves of the contraction, summed: for a long contraction into a small result (the weight
        /// gradient of a dense layer, `[fan_in, fan_out]` from a sum over a batch of thousands), where
        /// bands of rows would be too thin for gemm's kernels. Always two halves, so the result does
        /// not depend on the number of cores.
        case contraction
    }

    /// The split of a product of `batch` matrices `m×k · k×n`: whole matrices when there are
    /// enough, halves of a contraction that is long against the result, else bands of rows (of at
    /// least 32) of one matrix.
    static func split(batch: Int, m: Int, n: Int, k: Int) -> Split {
        let work = batch * m * n * k
        if batch == 1 && k >= 1024 && k >= 8 * Swift.max(m, n) && work >= parallelWork { return .contraction }
        guard work >= parallelWork, Parallel.threads > 1 else { return .batches(count: 1) }
        if batch >= Parallel.threads { return .batches(count: Parallel.threads) }
        return .rows(count: Swift.max(1, Swift.min(Parallel.threads, m / 32)))
    }

    /// Called with a range of the output's elements (whole rows, in row-major order of
    /// `[batch, m, n]`) once they are final, possibly from several threads for disjoint ranges.
    package typealias Epilogue = (Range<Int>) -> Void

    /// `out[b] = op(a[b]) · op(c[b])`, an array of shape `[batch, m, n]`, written into `output` when
    /// given (of that many elements and `a`'s dtype; it is returned). With an `epilogue`, every row is
    /// passed to it once, as soon as it is final: the small-product kernel reports groups of rows
    /// while they are in cache, other paths whole bands or the whole result.
    package static func batchedMatmul(_ a: Operand, _ b: Operand, into output: ArrayValue? = nil,
                                      epilogue: Epilogue? = nil) -> ArrayValue {
        _ = singleThreadedBLAS
        let (batch, m, k, n) = (a.batch, a.rows, a.cols, b.cols)
        let out = output ?? ArrayValue(uninitialized: [batch, m, n], dtype: a.array.dtype)
        precondition(out.count == batch * m * n && out.dtype == a.array.dtype, "dot_general: output of the wrong size")
        if m == 0 || n == 0 || batch == 0 { return out }
        if k == 0 {
            out.buffer.raw.initializeMemory(as: UInt8.self, repeating: 0, count: out.buffer.byteCount)
            epilogue?(0..<(batch * m * n))
            return out
        }
        // A product on one thread followed by a long epilogue: the epilogue runs afterwards over the
        // whole result, split over the threads, rather than on the product's thread group by group.
        if let whole = epilogue, Parallel.threads > 1, batch * m * n >= 1 << 15, split(batch: batch, m: m, n: n, k: k) == .batches(count: 1) {
            _ = batchedMatmul(a, b, into: out)
            whole(0..<(batch * m * n))
            return out
        }
        switch a.array.dtype {
        case .float64: floatingProduct(a, b, out, Double.self, epilogue) { ta, tb, rows, k, pa, lda, pb, ldb, po, done in
            if SmallProduct.compute(ta, tb, Int(rows), n, Int(k), pa, Int(lda), pb, Int(ldb), po, rowsDone: done) { return }
            cblas_dgemm(CblasRowMajor, ta, tb, rows, Int32(n), k, 1, pa, lda, pb, ldb, 0, po, Int32(n))
            done?(0, Int(rows))
        }
        case .float32: floatingProduct(a, b, out, Float.self, epilogue) { ta, tb, rows, k, pa, lda, pb, ldb, po, done in
            cblas_sgemm(CblasRowMajor, ta, tb, rows, Int32(n), k, 1, pa, lda, pb, ldb, 0, po, Int32(n))
            done?(0, Int(rows))
        }
        case .complex128: floatingProduct(a, b, out, Complex<Double>.self, epilogue) { ta, tb, rows, k, pa, lda, pb, ldb, po, done in
            var one = Complex<Double>.one, zero = Complex<Double>.zero
            cblas_zgemm(CblasRowMajor, ta, tb, rows, Int32(n), k, &one, pa, lda, pb, ldb, &zero, po, Int32(n))
            done?(0, Int(rows))
        }
        case .complex64: floatingProduct(a, b, out, Complex<Float>.self, epilogue) { ta, tb, rows, k, pa, lda, pb, ldb, po, done in
            var one = Complex<Float>.one, zero = Complex<Float>.zero
            cblas_cgemm(CblasRowMajor, ta, tb, rows, Int32(n), k, &one, pa, lda, pb, ldb, &zero, po, Int32(n))
            done?(0, Int(rows))
        }
        case .int32: integerProduct(a, b, out, Int32.self); epilogue?(0..<(batch * m * n))
        case .int64: integerProduct(a, b, out, Int64.self); epilogue?(0..<(batch * m * n))
        case .bool: shapeFailure("dot_general", "does not accept dtype bool")
        }
        return out
    }

    /// One gemm call: transposes, the rows of op(a) it computes, the length of the contraction,
    /// then a, lda, b, ldb and the output.
    /// The last argument, when given, is called with `(first, count)` for the rows of this call's
    /// output as they become final.
    typealias Gemm<T> = (CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, Int32, Int32, UnsafePointer<T>, Int32, UnsafePointer<T>, Int32,
                         UnsafeMutablePointer<T>, ((Int, Int) -> Void)?) -> Void

    /// The batched product by `gemm`, split over Fluxion's workers when large: whole matrices; bands
    /// of rows (rows `r0..<r1` of op(a) start at row r0 of a, or at column r0 when a is read
    /// transposed); or the two halves of the contraction, the second into a scratch matrix that is
    /// then added (index `half` of the contraction starts at column `half` of op(a), row `half` of op(b)).
    private static func floatingProduct<T: AdditiveArithmetic>(_ a: Operand, _ b: Operand, _ out: ArrayValue, _: T.Type,
                                                               _ epilogue: Epilogue?, _ gemm: Gemm<T>) {
        let (batch, m, k, n) = (a.batch, a.rows, a.cols, b.cols)
        let ta = a.transposed ? CblasTrans : CblasNoTrans
        let tb = b.transposed ? CblasTrans : CblasNoTrans
        let (lda, ldb) = (Int32(a.leadingDimension), Int32(b.leadingDimension))
        let pa = UncheckedSendable(UnsafePointer(a.array.pointer(as: T.self)))
        let pb = UncheckedSendable(UnsafePointer(b.array.pointer(as: T.self)))
        let po = UncheckedSendable(out.pointer(as: T.self))
        let split = split(batch: batch, m: m, n: n, k: k)
        let count: Int
        switch split {
        case .batches(let c), .rows(let c): count = c
        case .contraction: count = 2
        }
        let scratch = UncheckedSendable(split == .contraction ? UnsafeMutablePointer<T>.allocate(capacity: m * n) : nil)
        defer { scratch.value?.deallocate() }
        let finish = UncheckedSendable(epilogue)
        /// The rows of a call that starts at output row `offset` reported as output elements.
        func reporting(from offset: Int) -> ((Int, Int) -> Void)? {
            finish.value.map { e in { first, count in e(((offset + first) * n)..<((offset + first + count) * n)) } }
        }
        withoutActuallyEscaping(gemm) { gemm in
            let call = UncheckedSendable(gemm)
            let rowStep = a.transposed ? 1 : Int(lda)
            func run(_ piece: Int) {
                switch split {
                case .rows:
                    let (r0, r1) = (piece * m / count, (piece + 1) * m / count)
                    call.value(ta, tb, Int32(r1 - r0), Int32(k), pa.value + r0 * rowStep, lda, pb.value, ldb, po.value + r0 * n,
                               reporting(from: r0))
                case .batches:
                    for i in (piece * batch / count)..<((piece + 1) * batch / count) {
                        call.value(ta, tb, Int32(m), Int32(k), pa.value + i * m * k, lda, pb.value + i * k * n, ldb, po.value + i * m * n,
                                   reporting(from: i * m))
                    }
                case .contraction:
                    let half = k / 2, start = piece == 0 ? 0 : half
                    call.value(ta, tb, Int32(m), Int32(piece == 0 ? half : k - half), pa.value + (a.transposed ? start * m : start), lda,
                               pb.value + (b.transposed ? start : start * n), ldb, piece == 0 ? po.value : scratch.value!, nil)
                }
            }
            Parallel.perform(count, run)
        }
        if let second = scratch.value {
            for i in 0..<(m * n) { po.value[i] += second[i] }
            epilogue?(0..<(m * n))
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

/// Float64 products with a small right-hand matrix or a small result (at most 2¹⁴ elements): a
/// dense layer over a batch, forward (`[4096, 64] × [64, 64]`, a PINN's `[8192, 20] × [20, 20]`) and
/// its weight gradient (`xᵀ·ȳ` over the batch), by the register-tiled kernel of `small_product.c`.
/// BLAS packs the operands and zeroes the result before accumulating, which for these shapes costs a
/// third of the time or more; the kernel reads the operands' rows as they are. Each result element is
/// accumulated over the contraction in order with fused multiply-adds, on any vector width and any
/// split of the rows, so results do not depend on the machine's core count.
enum SmallProduct {
    static let maximumSmallElements = 1 << 14
    static let minimumColumns = 4

    /// Computes `po = op(pa) · op(pb)` (`rows×k · k×n`) and returns true, or returns false without
    /// writing when the shape is not one the kernel takes or the CPU has no AVX2/FMA.
    /// With `rowsDone`, it is called with `(first, count)` for groups of rows of the output as the
    /// kernel finishes them (about 16 KiB of output each, still in cache).
    static func compute(_ ta: CBLAS_TRANSPOSE, _ tb: CBLAS_TRANSPOSE, _ rows: Int, _ n: Int, _ k: Int,
                        _ pa: UnsafePointer<Double>, _ lda: Int, _ pb: UnsafePointer<Double>, _ ldb: Int,
                        _ po: UnsafeMutablePointer<Double>, rowsDone: ((Int, Int) -> Void)? = nil) -> Bool {
        // Fewer than 4 columns (a matrix times a vector) would leave most vector lanes empty: BLAS's
        // matrix-vector loops, which run along the contraction, are faster.
        guard n >= minimumColumns else { return false }
        if ta == CblasTrans {
            // A weight gradient: a long contraction into a small result.
            guard tb == CblasNoTrans, rows * n <= maximumSmallElements else { return false }
            return product(1, rows, n, k, pa, lda, pb, ldb, po, rowsDone)
        }
        guard k * n <= maximumSmallElements else { return false }
        if tb == CblasNoTrans { return product(0, rows, n, k, pa, lda, pb, ldb, po, rowsDone) }
        // B read transposed (a layer's backward product, ȳ·Wᵀ): it is small, so lay op(B) out once.
        let transposed = UnsafeMutablePointer<Double>.allocate(capacity: k * n)
        defer { transposed.deallocate() }
        for j in 0..<n {
            for l in 0..<k { transposed[l * n + j] = pb[j * ldb + l] }
        }
        return product(0, rows, n, k, pa, lda, transposed, n, po, rowsDone)
    }

    /// The kernel, reporting finished rows to `rowsDone` (through a C callback) when given.
    private static func product(_ transposeA: Int32, _ rows: Int, _ n: Int, _ k: Int, _ pa: UnsafePointer<Double>, _ lda: Int,
                                _ pb: UnsafePointer<Double>, _ ldb: Int, _ po: UnsafeMutablePointer<Double>,
                                _ rowsDone: ((Int, Int) -> Void)?) -> Bool {
        guard let rowsDone else { return fluxion_small_dgemm(transposeA, rows, n, k, pa, lda, pb, ldb, po, n) != 0 }
        final class Box { let body: (Int, Int) -> Void; init(_ body: @escaping (Int, Int) -> Void) { self.body = body } }
        let box = Box(rowsDone)
        return withExtendedLifetime(box) {
            fluxion_small_dgemm_notify(transposeA, rows, n, k, pa, lda, pb, ldb, po, n, { context, first, count in
                Unmanaged<Box>.fromOpaque(context!).takeUnretainedValue().body(first, count)
            }, Unmanaged.passUnretained(box).toOpaque(), Swift.max(4, 8192 / Swift.max(n, 1))) != 0
        }
    }
}
