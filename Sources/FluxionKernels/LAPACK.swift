import CBLAS

/// The LAPACK and BLAS-3 routines the linear-algebra primitives use, for `Float` and `Double`.
/// All matrices are row-major and contiguous; routines overwrite their arguments.
package protocol LAPACKScalar: RealElement, ReducibleElement {
    static func potrf(_ n: Int, _ a: UnsafeMutablePointer<Self>) -> Int
    static func getrf(_ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Self>, _ ipiv: UnsafeMutablePointer<Int32>) -> Int
    static func syevd(_ n: Int, _ a: UnsafeMutablePointer<Self>, _ w: UnsafeMutablePointer<Self>) -> Int
    static func gesdd(_ job: UInt8, _ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Self>, _ s: UnsafeMutablePointer<Self>,
                      _ u: UnsafeMutablePointer<Self>, _ ldu: Int, _ vt: UnsafeMutablePointer<Self>, _ ldvt: Int) -> Int
    static func geqrf(_ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Self>, _ tau: UnsafeMutablePointer<Self>) -> Int
    static func orgqr(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafeMutablePointer<Self>, _ tau: UnsafeMutablePointer<Self>) -> Int
    /// Solves `op(A) X = B` in place of `B` (`m`×`n`), `A` triangular `m`×`m`.
    static func trsm(lower: Bool, transpose: Bool, unitDiagonal: Bool, _ m: Int, _ n: Int,
                     _ a: UnsafePointer<Self>, _ b: UnsafeMutablePointer<Self>)
}

private let rowMajor = Int32(LAPACK_ROW_MAJOR)
/// Cholesky factors in LAPACK's native layout: the lower triangle of a row-major matrix is the upper
/// triangle of the same memory read column-major, and `A = L Lᵀ` row-major is `A = Uᵀ U` with
/// `U = Lᵀ` column-major. LAPACKE's row-major interface would transpose the matrix in and out.
private let columnMajor = Int32(LAPACK_COL_MAJOR)
private func ch(_ c: UInt8) -> CChar { CChar(bitPattern: c) }
private func i32(_ n: Int) -> Int32 { Int32(n) }

extension Double: LAPACKScalar {
    package static func potrf(_ n: Int, _ a: UnsafeMutablePointer<Double>) -> Int {
        BLASThreads.scoped(work: n * n * n) { Int(LAPACKE_dpotrf(columnMajor, ch(UInt8(ascii: "U")), i32(n), a, i32(n))) }
    }
    package static func getrf(_ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Double>, _ ipiv: UnsafeMutablePointer<Int32>) -> Int {
        BLASThreads.scoped(work: m * n * n) { Int(LAPACKE_dgetrf(rowMajor, i32(m), i32(n), a, i32(n), ipiv)) }
    }
    package static func syevd(_ n: Int, _ a: UnsafeMutablePointer<Double>, _ w: UnsafeMutablePointer<Double>) -> Int {
        BLASThreads.scoped(work: n * n * n) { Int(LAPACKE_dsyevd(rowMajor, ch(UInt8(ascii: "V")), ch(UInt8(ascii: "L")), i32(n), a, i32(n), w)) }
    }
    package static func gesdd(_ job: UInt8, _ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Double>, _ s: UnsafeMutablePointer<Double>,
                      _ u: UnsafeMutablePointer<Double>, _ ldu: Int, _ vt: UnsafeMutablePointer<Double>, _ ldvt: Int) -> Int {
        BLASThreads.scoped(work: m * n * Swift.min(m, n)) { Int(LAPACKE_dgesdd(rowMajor, ch(job), i32(m), i32(n), a, i32(n), s, u, i32(ldu), vt, i32(ldvt))) }
    }
    package static func geqrf(_ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Double>, _ tau: UnsafeMutablePointer<Double>) -> Int {
        BLASThreads.scoped(work: m * n * n) { Int(LAPACKE_dgeqrf(rowMajor, i32(m), i32(n), a, i32(n), tau)) }
    }
    package static func orgqr(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafeMutablePointer<Double>, _ tau: UnsafeMutablePointer<Double>) -> Int {
        BLASThreads.scoped(work: m * n * k) { Int(LAPACKE_dorgqr(rowMajor, i32(m), i32(n), i32(k), a, i32(n), tau)) }
    }
    package static func trsm(lower: Bool, transpose: Bool, unitDiagonal: Bool, _ m: Int, _ n: Int,
                     _ a: UnsafePointer<Double>, _ b: UnsafeMutablePointer<Double>) {
        BLASThreads.columnBands(m: m, n: n, b) { b, columns in
            cblas_dtrsm(CblasRowMajor, CblasLeft, lower ? CblasLower : CblasUpper, transpose ? CblasTrans : CblasNoTrans,
                        unitDiagonal ? CblasUnit : CblasNonUnit, i32(m), i32(columns), 1, a, i32(m), b, i32(n))
        }
    }
}

extension Float: LAPACKScalar {
    package static func potrf(_ n: Int, _ a: UnsafeMutablePointer<Float>) -> Int {
        BLASThreads.scoped(work: n * n * n) { Int(LAPACKE_spotrf(columnMajor, ch(UInt8(ascii: "U")), i32(n), a, i32(n))) }
    }
    package static func getrf(_ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Float>, _ ipiv: UnsafeMutablePointer<Int32>) -> Int {
        BLASThreads.scoped(work: m * n * n) { Int(LAPACKE_sgetrf(rowMajor, i32(m), i32(n), a, i32(n), ipiv)) }
    }
    package static func syevd(_ n: Int, _ a: UnsafeMutablePointer<Float>, _ w: UnsafeMutablePointer<Float>) -> Int {
        BLASThreads.scoped(work: n * n * n) { Int(LAPACKE_ssyevd(rowMajor, ch(UInt8(ascii: "V")), ch(UInt8(ascii: "L")), i32(n), a, i32(n), w)) }
    }
    package static func gesdd(_ job: UInt8, _ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Float>, _ s: UnsafeMutablePointer<Float>,
                      _ u: UnsafeMutablePointer<Float>, _ ldu: Int, _ vt: UnsafeMutablePointer<Float>, _ ldvt: Int) -> Int {
        BLASThreads.scoped(work: m * n * Swift.min(m, n)) { Int(LAPACKE_sgesdd(rowMajor, ch(job), i32(m), i32(n), a, i32(n), s, u, i32(ldu), vt, i32(ldvt))) }
    }
    package static func geqrf(_ m: Int, _ n: Int, _ a: UnsafeMutablePointer<Float>, _ tau: UnsafeMutablePointer<Float>) -> Int {
        BLASThreads.scoped(work: m * n * n) { Int(LAPACKE_sgeqrf(rowMajor, i32(m), i32(n), a, i32(n), tau)) }
    }
    package static func orgqr(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafeMutablePointer<Float>, _ tau: UnsafeMutablePointer<Float>) -> Int {
        BLASThreads.scoped(work: m * n * k) { Int(LAPACKE_sorgqr(rowMajor, i32(m), i32(n), i32(k), a, i32(n), tau)) }
    }
    package static func trsm(lower: Bool, transpose: Bool, unitDiagonal: Bool, _ m: Int, _ n: Int,
                     _ a: UnsafePointer<Float>, _ b: UnsafeMutablePointer<Float>) {
        BLASThreads.columnBands(m: m, n: n, b) { b, columns in
            cblas_strsm(CblasRowMajor, CblasLeft, lower ? CblasLower : CblasUpper, transpose ? CblasTrans : CblasNoTrans,
                        unitDiagonal ? CblasUnit : CblasNonUnit, i32(m), i32(columns), 1, a, i32(m), b, i32(n))
        }
    }
}

/// Helpers shared by the linear-algebra primitives.
@usableFromInline package enum LinalgKernels {
    /// The status a factorization reports for a matrix holding NaN where it is read. (LAPACKE's own
    /// NaN check would report it as an illegal argument, a negative status.)
    package static let nanStatus = Int32.min

    /// Whether `count` elements from `p` hold a NaN.
    @inlinable
    package static func containsNaN<T: BinaryFloatingPoint>(_ p: UnsafePointer<T>, _ count: Int) -> Bool {
        for i in 0..<count where p[i].isNaN { return true }
        return false
    }

    /// Checks that the last two axes are a matrix (square when asked) and a float32/float64 dtype.
    package static func checkMatrix(_ t: TensorType, _ operation: String, square: Bool) {
        guard t.rank >= 2, !square || t.shape[t.rank - 1] == t.shape[t.rank - 2] else {
            shapeFailure(operation, "expects \(square ? "square " : "")matrices in the last two axes, got shape \(t.shape)")
        }
        guard t.dtype.isFloatingPoint else {
            shapeFailure(operation, "supports float32 and float64 matrices, not \(t.dtype)")
        }
    }

    /// A fresh copy of an array (LAPACK overwrites its input).
    package static func copy(_ x: ArrayValue) -> ArrayValue {
        let out = ArrayValue(uninitialized: x.shape, dtype: x.dtype)
        out.buffer.raw.copyMemory(from: x.buffer.raw, byteCount: x.buffer.byteCount)
        return out
    }
}
