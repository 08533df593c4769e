/// LU decomposition with partial pivoting, `P A = L U`, of `[..., m, n]` matrices. Outputs the packed
/// factors (`L` below the diagonal with an implicit unit diagonal, `U` on and above), the row
/// permutation as int32 positions (`(P A)[i] = A[perm[i]]`), and an int32 status per matrix (`k > 0`
/// when `U[k-1, k-1]` is exactly zero: the matrix is singular).
struct LUDecomposition: Primitive, TransposedJVP, LeadingAxesBatching, TaylorFromForwardRule {
    var name: String { "lu" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let a = inputs[0]
        LinalgKernels.checkMatrix(a, name, square: false)
        let batch = Array(a.shape.dropLast(2))
        return [a, TensorType(shape: batch + [a.shape[a.rank - 2]], dtype: .int32), TensorType(shape: batch, dtype: .int32)]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        inputs[0].dtype == .float32 ? run(inputs[0], Float.self) : run(inputs[0], Double.self)     // specialized per type
    }

    private func run<T: LAPACKScalar>(_ a: ArrayValue, _: T.Type) -> [ArrayValue] {
        let (m, n) = (a.shape[a.shape.count - 2], a.shape[a.shape.count - 1])
        let batchShape = Array(a.shape.dropLast(2))
        let batch = batchShape.reduce(1, *)
        let lu = LinalgKernels.copy(a)
        let perm = ArrayValue(uninitialized: batchShape + [m], dtype: .int32)
        let status = ArrayValue(uninitialized: batchShape, dtype: .int32)
        let p = lu.pointer(as: T.self), pp = perm.pointer(as: Int32.self), ps = status.pointer(as: Int32.self)
        var ipiv = [Int32](repeating: 0, count: Swift.max(Swift.min(m, n), 1))
        for b in 0..<batch {
            let matrix = p + b * m * n
            let nan = LinalgKernels.containsNaN(matrix, m * n)
            let info = nan ? Int(LinalgKernels.nanStatus) : m * n == 0 ? 0 : T.getrf(m, n, matrix, &ipiv)
            ps[b] = Int32(info)
            var order = Array(Int32(0)..<Int32(m))
            if info < 0 {
                // Not factored: NaN factors and the identity permutation, never stale pivots.
                matrix.update(repeating: .nan, count: m * n)
            } else {
                // LAPACK reports pivots as successive 1-based row swaps; replay them to get a permutation.
                for i in 0..<Swift.min(m, n) { order.swapAt(i, Int(ipiv[i]) - 1) }
            }
            for i in 0..<m { pp[b * m + i] = order[i] }
        }
        return [lu, perm, status]
    }

    /// For square `A` with `P A = L U`: with `X = L⁻¹ P Ȧ U⁻¹`, `L̇ = L·tril(X, -1)` and
    /// `U̇ = triu(X)·U`; the packed output's tangent is their sum.
    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        guard let t = tangents[0] else { return [nil, nil, nil] }
        let (lu, perm) = (outputs[0], outputs[1])
        guard lu.shape[lu.rank - 1] == lu.shape[lu.rank - 2] else {
            shapeFailure(name, "derivatives are defined for square matrices only, got shape \(lu.shape)")
        }
        let n = lu.shape[lu.rank - 1]
        let pa = matmul(Linalg.permutationMatrix(perm, dtype: t.dtype), t)
        let z = Linalg.triangularSolve(lu, pa, lower: true, unitDiagonal: true)
        let x = Linalg.triangularSolve(lu, z, lower: false, leftSide: false)
        let l = Linalg.tril(lu, k: -1) + Tensor.eye(n, dtype: lu.dtype)
        return [matmul(l, Linalg.tril(x, k: -1)) + matmul(Linalg.triu(x), Linalg.triu(lu)), nil, nil]
    }
}
