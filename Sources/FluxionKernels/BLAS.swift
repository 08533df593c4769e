import CBLAS
import ComplexModule

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

    /// `out[b] = op(a[b]) · op(c[b])`, an array of shape `[batch, m, n]`.
    package static func batchedMatmul(_ a: Operand, _ b: Operand) -> ArrayValue {
        let (batch, m, k, n) = (a.batch, a.rows, a.cols, b.cols)
        let out = ArrayValue(uninitialized: [batch, m, n], dtype: a.array.dtype)
        if m == 0 || n == 0 || batch == 0 { return out }
        if k == 0 {
            out.buffer.raw.initializeMemory(as: UInt8.self, repeating: 0, count: out.buffer.byteCount)
            return out
        }
        let ta = a.transposed ? CblasTrans : CblasNoTrans
        let tb = b.transposed ? CblasTrans : CblasNoTrans
        let (lda, ldb) = (Int32(a.leadingDimension), Int32(b.leadingDimension))
        let (M, N, K) = (Int32(m), Int32(n), Int32(k))
        switch a.array.dtype {
        case .float64:
            let pa = a.array.pointer(as: Double.self), pb = b.array.pointer(as: Double.self)
            let po = out.pointer(as: Double.self)
            for i in 0..<batch {
                cblas_dgemm(CblasRowMajor, ta, tb, M, N, K, 1, pa + i * m * k, lda, pb + i * k * n, ldb,
                            0, po + i * m * n, N)
            }
        case .float32:
            let pa = a.array.pointer(as: Float.self), pb = b.array.pointer(as: Float.self)
            let po = out.pointer(as: Float.self)
            for i in 0..<batch {
                cblas_sgemm(CblasRowMajor, ta, tb, M, N, K, 1, pa + i * m * k, lda, pb + i * k * n, ldb,
                            0, po + i * m * n, N)
            }
        case .complex128:
            var one = Complex<Double>.one, zero = Complex<Double>.zero
            let pa = a.array.pointer(as: Complex<Double>.self), pb = b.array.pointer(as: Complex<Double>.self)
            let po = out.pointer(as: Complex<Double>.self)
            for i in 0..<batch {
                cblas_zgemm(CblasRowMajor, ta, tb, M, N, K, &one, pa + i * m * k, lda, pb + i * k * n, ldb,
                            &zero, po + i * m * n, N)
            }
        case .complex64:
            var one = Complex<Float>.one, zero = Complex<Float>.zero
            let pa = a.array.pointer(as: Complex<Float>.self), pb = b.array.pointer(as: Complex<Float>.self)
            let po = out.pointer(as: Complex<Float>.self)
            for i in 0..<batch {
                cblas_cgemm(CblasRowMajor, ta, tb, M, N, K, &one, pa + i * m * k, lda, pb + i * k * n, ldb,
                            &zero, po + i * m * n, N)
            }
        case .int32: integerProduct(a, b, out, Int32.self)
        case .int64: integerProduct(a, b, out, Int64.self)
        case .bool: shapeFailure("dot_general", "does not accept dtype bool")
        }
        return out
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
