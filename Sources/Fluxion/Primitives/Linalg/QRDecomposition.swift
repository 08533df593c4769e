/// The QR decomposition `A = Q R` of `[..., m, n]` matrices by Householder reflections: `Q` has
/// orthonormal columns and `R` is upper triangular. Reduced (`Q` is `m`×`k`, `R` is `k`×`n`,
/// `k = min(m, n)`) or complete (`Q` is `m`×`m`, `R` is `m`×`n`).
struct QRDecomposition: Primitive, TransposedJVP, LeadingAxesBatching, TaylorFromForwardRule {
    let complete: Bool
    var name: String { "qr" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let a = inputs[0]
        LinalgKernels.checkMatrix(a, name, square: false)
        let batch = Array(a.shape.dropLast(2))
        let (m, n) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let q = complete ? m : Swift.min(m, n)
        return [TensorType(shape: batch + [m, q], dtype: a.dtype), TensorType(shape: batch + [q, n], dtype: a.dtype)]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        inputs[0].dtype == .float32 ? run(inputs[0], Float.self) : run(inputs[0], Double.self)     // specialized per type
    }

    private func run<T: LAPACKScalar>(_ a: ArrayValue, _: T.Type) -> [ArrayValue] {
        let types = outputTypes([a.type])
        let (m, n) = (a.shape[a.shape.count - 2], a.shape[a.shape.count - 1])
        let k = Swift.min(m, n), qc = types[0].shape.last!
        let q = ArrayValue.zeros(types[0].shape, dtype: a.dtype)
        let r = ArrayValue.zeros(types[1].shape, dtype: a.dtype)
        let batch = m * n == 0 ? 0 : a.count / (m * n)
        let rRows = types[1].shape[types[1].shape.count - 2]
        let pa = a.pointer(as: T.self), pq = q.pointer(as: T.self), pr = r.pointer(as: T.self)
        for b in 0..<batch {
            var block = Array(UnsafeBufferPointer(start: pa + b * m * n, count: m * n))
            var tau = [T](repeating: 0, count: Swift.max(k, 1))
            _ = T.geqrf(m, n, &block, &tau)
            // R is the upper triangle of the factored matrix.
            for i in 0..<rRows where i < n {
                for j in i..<n { pr[b * rRows * n + i * n + j] = block[i * n + j] }
            }
            // Q: orgqr expands the Householder reflectors stored below the diagonal into qc columns.
            var qm = [T](repeating: 0, count: m * qc)
            for i in 0..<m { for j in 0..<Swift.min(n, qc) { qm[i * qc + j] = block[i * n + j] } }
            _ = T.orgqr(m, qc, k, &qm, &tau)
            (pq + b * m * qc).update(from: qm, count: m * qc)
        }
        return [q, r]
    }

    /// For `m >= n` (reduced): with `C = Qᵀ Ȧ R⁻¹` and `Ω = tril(C, -1) - tril(C, -1)ᵀ`,
    /// `Q̇ = Q (Ω - C) + Ȧ R⁻¹` and `Ṙ = (C - Ω) R`.
    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        guard let t = tangents[0] else { return [nil, nil] }
        let (q, r) = (outputs[0], outputs[1])
        let (m, n) = (t.shape[t.rank - 2], t.shape[t.rank - 1])
        guard m >= n, !complete || m == n else {
            shapeFailure(name, "derivatives are defined for reduced QR of m x n matrices with m >= n, got \(m)x\(n)\(complete ? " (complete)" : "")")
        }
        let dxRinv = Linalg.triangularSolve(r, t, lower: false, leftSide: false)
        let c = matmul(q.mT, dxRinv)
        let lowerC = Linalg.tril(c, k: -1)
        let omega = lowerC - lowerC.mT
        return [matmul(q, omega - c) + dxRinv, matmul(c - omega, r)]
    }
}
