/// Linear algebra on float32 and float64 matrices held in the last two axes of a tensor; leading
/// axes are a batch.
///
/// Failures that depend on the data are thrown as ``LinalgError`` when the input is concrete; under
/// a transform (where values are not known) the factor is NaN instead, never silent garbage.
///
/// ```swift
/// let a = Tensor([[4.0, 2.0], [2.0, 3.0]])
/// let l = try Linalg.cholesky(a)            // lower triangular, l · lᵀ = a
/// let x = try Linalg.solve(a, Tensor([1.0, 2.0]))
/// let (w, v) = Linalg.eigh(a)
/// ```
public enum Linalg {
    /// The lower Cholesky factor `L` with `A = L Lᵀ`; reads the lower triangle of `A`.
    /// - Throws: ``LinalgError/notPositiveDefinite(operation:order:batchIndex:)``.
    public static func cholesky(_ a: Tensor) throws(LinalgError) -> Tensor {
        let out = bind(Cholesky(), [a.cast(to: a.dtype.inexact)])
        try checkStatus(out[1], "cholesky", routine: "potrf") { .notPositiveDefinite(operation: "cholesky", order: $1, batchIndex: $0) }
        return out[0]
    }

    /// Solves `op(A) X = B` with `A` triangular (only its `lower` or upper triangle is read).
    ///
    /// - Parameters:
    ///   - a: `[..., n, n]`.
    ///   - b: `[..., n, k]` when `leftSide` (solving `op(A) X = B`), `[..., k, n]` otherwise
    ///     (solving `X op(A) = B`), or `[n]` for one vector.
    ///   - transposeA: `op(A) = Aᵀ` instead of `A`.
    ///   - unitDiagonal: treat the diagonal of `A` as ones without reading it.
    public static func triangularSolve(_ a: Tensor, _ b: Tensor, lower: Bool, transposeA: Bool = false,
                                       unitDiagonal: Bool = false, leftSide: Bool = true) -> Tensor {
        if b.rank == 1 {
            return triangularSolve(a, b.reshaped(to: [-1, 1]), lower: lower, transposeA: transposeA,
                                   unitDiagonal: unitDiagonal, leftSide: true).squeezed(axes: [-1])
        }
        let (x, y) = promotedInexact(a, b)
        let (aa, bb) = broadcastBatch(x, y, "triangular_solve")
        if !leftSide {
            // X op(A) = B  <=>  op(A)ᵀ Xᵀ = Bᵀ.
            return bind1(TriangularSolve(lower: lower, transposeA: !transposeA, unitDiagonal: unitDiagonal), aa, bb.mT).mT
        }
        return bind1(TriangularSolve(lower: lower, transposeA: transposeA, unitDiagonal: unitDiagonal), aa, bb)
    }

    /// Solves `A X = B` by LU decomposition with partial pivoting.
    ///
    /// `b` is `[..., n]` when it has one axis (a vector), otherwise `[..., n, k]`; batch axes broadcast.
    /// - Throws: ``LinalgError/singular(operation:batchIndex:)`` when a pivot is exactly zero.
    public static func solve(_ a: Tensor, _ b: Tensor) throws(LinalgError) -> Tensor {
        let (x, y) = promotedInexact(a, b)
        LinalgKernels.checkMatrix(x.type, "solve", square: true)
        if y.rank == 1 { return try solve(x, y.reshaped(to: [-1, 1])).squeezed(axes: [-1]) }
        let (lu, perm) = try luFactor(x, "solve")
        let (luB, rhs) = broadcastBatch(lu, y, "solve")
        let permB = perm.broadcast(to: Array(luB.shape.dropLast()))
        // P B, with P the one-hot permutation matrix: a product, so it batches and differentiates.
        let pb = matmul(permutationMatrix(permB, dtype: rhs.dtype), rhs)
        let z = bind1(TriangularSolve(lower: true, transposeA: false, unitDiagonal: true), luB, pb)
        return bind1(TriangularSolve(lower: false, transposeA: false, unitDiagonal: false), luB, z)
    }

    /// Solves `A X = B` given the lower Cholesky factor `L` of `A` (as SciPy's `cho_solve`).
    public static func choSolve(_ l: Tensor, _ b: Tensor) -> Tensor {
        let y = triangularSolve(l, b, lower: true)
        return triangularSolve(l, y, lower: true, transposeA: true)
    }

    /// The inverse matrix.
    /// - Throws: ``LinalgError/singular(operation:batchIndex:)``.
    public static func inv(_ a: Tensor) throws(LinalgError) -> Tensor {
        let n = a.shape.last ?? 0
        return try solve(a, Tensor.eye(n, dtype: a.dtype.inexact).broadcast(to: a.shape))
    }

    /// The determinant, from the LU decomposition (0 for a singular matrix).
    public static func det(_ a: Tensor) -> Tensor {
        let (sign, logAbs) = slogdet(a)
        return sign * exp(logAbs)
    }

    /// The sign of the determinant (-1, 0 or 1) and the logarithm of its absolute value
    /// (`-inf` for a singular matrix): the determinant without overflow.
    public static func slogdet(_ a: Tensor) -> (sign: Tensor, logAbsDet: Tensor) {
        let x = a.cast(to: a.dtype.inexact)
        LinalgKernels.checkMatrix(x.type, "slogdet", square: true)
        let out = bind(LUDecomposition(), [x])
        let diag = out[0].diagonal()
        let sign = sign(diag).prod(alongAxes: [-1]) * permutationSign(out[1]).cast(to: x.dtype)
        return (sign, log(abs(diag)).sum(alongAxes: [-1]))
    }

    /// Eigenvalues (ascending) and orthonormal eigenvectors (columns) of symmetric matrices.
    /// The input is symmetrized as `(A + Aᵀ)/2` first.
    public static func eigh(_ a: Tensor) -> (values: Tensor, vectors: Tensor) {
        let x = a.cast(to: a.dtype.inexact)
        LinalgKernels.checkMatrix(x.type, "eigh", square: true)
        let out = bind(Eigh(), [(x + x.mT) * 0.5])
        return (out[0], out[1])
    }

    /// The singular value decomposition `A = U diag(s) Vᵀ`, singular values descending.
    /// - Parameter fullMatrices: square `U` and `Vᵀ` instead of the reduced `m`×`k` and `k`×`n`.
    public static func svd(_ a: Tensor, fullMatrices: Bool = false) -> (u: Tensor, s: Tensor, vt: Tensor) {
        let out = bind(SingularValueDecomposition(fullMatrices: fullMatrices), [a.cast(to: a.dtype.inexact)])
        return (out[0], out[1], out[2])
    }

    /// The singular values, descending.
    public static func singularValues(_ a: Tensor) -> Tensor { svd(a).s }

    /// The QR decomposition `A = Q R`: reduced (`Q` is `m`×`k`) or complete (`Q` is `m`×`m`).
    public static func qr(_ a: Tensor, complete: Bool = false) -> (q: Tensor, r: Tensor) {
        let out = bind(QRDecomposition(complete: complete), [a.cast(to: a.dtype.inexact)])
        return (out[0], out[1])
    }

    /// The least-squares solution of `A X ≈ B` of minimum norm (as NumPy's `lstsq`), from the SVD:
    /// singular values below `rcond · max(s)` are treated as zero (default `rcond`: machine epsilon
    /// times `max(m, n)`), so rank-deficient systems have a well-defined answer.
    public static func lstsq(_ a: Tensor, _ b: Tensor, rcond: Double? = nil) -> Tensor {
        let (x, y) = promotedInexact(a, b)
        if y.rank == 1 { return lstsq(x, y.reshaped(to: [-1, 1]), rcond: rcond).squeezed(axes: [-1]) }
        return matmul(pinv(x, rcond: rcond), y)
    }

    /// The Moore–Penrose pseudo-inverse, from the SVD (see ``lstsq(_:_:rcond:)`` for `rcond`).
    public static func pinv(_ a: Tensor, rcond: Double? = nil) -> Tensor {
        let (u, s, vt) = svd(a)
        let (m, n) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let eps = a.dtype.realPart == .float32 ? Double(Float.ulpOfOne) : Double.ulpOfOne
        let cutoff = (rcond ?? eps * Double(Swift.max(m, n))) * s.max(alongAxes: [-1], keepingDims: true)
        let keep = s .> cutoff
        let sInv = `where`(keep, 1 / `where`(keep, s, 1), 0)
        return matmul(vt.mT * sInv.expandingShape(at: -2), u.mT)
    }

    // MARK: helpers

    /// LU factors and permutation, throwing when a pivot is zero.
    private static func luFactor(_ a: Tensor, _ operation: String) throws(LinalgError) -> (Tensor, Tensor) {
        let out = bind(LUDecomposition(), [a])
        try checkStatus(out[2], operation, routine: "getrf") { b, _ in .singular(operation: operation, batchIndex: b) }
        return (out[0], out[1])
    }

    /// `P[..., i, j] = 1` where `perm[..., i] == j`.
    static func permutationMatrix(_ perm: Tensor, dtype: DType) -> Tensor {
        let n = perm.shape.last!
        return (perm.expandingShape(at: -1) .== Tensor.arange(n, dtype: .int32)).cast(to: dtype)
    }

    /// The sign of each permutation in `[..., n]`, as the parity of its inversions.
    static func permutationSign(_ perm: Tensor) -> Tensor {
        let n = perm.shape.last!
        let p = perm.cast(to: .int64)
        let inverted = (p.expandingShape(at: -1) .> p.expandingShape(at: -2))
        let upper = Tensor.arange(n).expandingShape(at: -1) .< Tensor.arange(n)
        let count = (inverted .& upper).sum(alongAxes: [-2, -1])
        // (-1)^count without pow on integers: 1 - 2 (count mod 2).
        let odd = count - (count / 2).cast(to: .int64) * 2
        return 1 - 2 * odd.cast(to: .int64)
    }

    /// Broadcasts the batch axes (all but the last two) of two operands together.
    static func broadcastBatch(_ a: Tensor, _ b: Tensor, _ operation: String) -> (Tensor, Tensor) {
        let ab = Array(a.shape.dropLast(2)), bb = Array(b.shape.dropLast(2))
        if ab == bb { return (a, b) }
        guard let batch = Broadcasting.shape([ab, bb]) else {
            shapeFailure(operation, "batch shapes of \(a.shape) and \(b.shape) do not broadcast")
        }
        return (a.broadcast(to: batch + a.shape.suffix(2)), b.broadcast(to: batch + b.shape.suffix(2)))
    }
}
