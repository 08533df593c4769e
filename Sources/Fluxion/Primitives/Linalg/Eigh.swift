/// Eigenvalues (ascending) and eigenvectors (the columns of `V`) of symmetric matrices, batched:
/// `A = V diag(w) Vᵀ`. Only the lower triangle of `A` is read.
struct Eigh: Primitive, TransposedJVP, LeadingAxesBatching, TaylorFromForwardRule {
    var name: String { "eigh" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let a = inputs[0]
        LinalgKernels.checkMatrix(a, name, square: true)
        return [TensorType(shape: Array(a.shape.dropLast()), dtype: a.dtype), a]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        inputs[0].dtype == .float32 ? run(inputs[0], Float.self) : run(inputs[0], Double.self)     // specialized per type
    }

    private func run<T: LAPACKScalar>(_ a: ArrayValue, _: T.Type) -> [ArrayValue] {
        let n = a.shape.last!
        let v = LinalgKernels.copy(a)
        let w = ArrayValue(uninitialized: Array(a.shape.dropLast()), dtype: a.dtype)
        let batch = n == 0 ? 0 : a.count / (n * n)
        let pv = v.pointer(as: T.self), pw = w.pointer(as: T.self)
        for b in 0..<batch {
            let info = T.syevd(n, pv + b * n * n, pw + b * n)
            if info != 0 {
                // The QR iteration did not converge (LAPACK's info > 0): report NaN, never garbage.
                (pv + b * n * n).update(repeating: .nan, count: n * n)
                (pw + b * n).update(repeating: .nan, count: n)
            }
        }
        return [w, v]
    }

    /// `ẇ = diag(Vᵀ Ȧ V)`, `V̇ = V (F ∘ Vᵀ Ȧ V)` with `F_ij = 1/(w_j - w_i)`.
    ///
    /// Where two eigenvalues are equal (within 64 ulps of the largest) `F_ij` is set to 0 instead of
    /// infinity. That is exact for every quantity that is well defined at a repeated eigenvalue —
    /// functions of the eigenvalues, and functions of a whole eigenspace such as its projector or
    /// `V f(w) Vᵀ` — since their derivative has no component that rotates within the eigenspace. Only
    /// individual eigenvectors of a repeated eigenvalue, which are not defined, get no meaningful
    /// derivative.
    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        guard let t = tangents[0] else { return [nil, nil] }
        let (w, v) = (outputs[0], outputs[1])
        let s = Linalg.tril(t) + Linalg.tril(t, k: -1).mT
        let projected = matmul(v.mT, matmul(s, v))
        let f = Linalg.inverseGaps(w)
        return [projected.diagonal(), matmul(v, f * projected)]
    }
}
