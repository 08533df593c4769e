/// The singular value decomposition `A = U diag(s) Vᴴ` of `[..., m, n]` matrices, with `s`
/// descending. With `fullMatrices` false, `U` is `m`×`k` and `Vᴴ` is `k`×`n` (`k = min(m, n)`);
/// otherwise they are square.
struct SingularValueDecomposition: Primitive, TransposedJVP, LeadingAxesBatching, TaylorFromForwardRule {
    let fullMatrices: Bool
    var name: String { "svd" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let a = inputs[0]
        LinalgKernels.checkMatrix(a, name, square: false)
        let batch = Array(a.shape.dropLast(2))
        let (m, n) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let k = Swift.min(m, n)
        return [TensorType(shape: batch + [m, fullMatrices ? m : k], dtype: a.dtype),
                TensorType(shape: batch + [k], dtype: a.dtype),
                TensorType(shape: batch + [fullMatrices ? n : k, n], dtype: a.dtype)]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        inputs[0].dtype == .float32 ? run(inputs[0], Float.self) : run(inputs[0], Double.self)     // specialized per type
    }

    private func run<T: LAPACKScalar>(_ a: ArrayValue, _: T.Type) -> [ArrayValue] {
        let types = outputTypes([a.type])
        let work = LinalgKernels.copy(a)
        let u = ArrayValue.zeros(types[0].shape, dtype: a.dtype)
        let s = ArrayValue.zeros(types[1].shape, dtype: a.dtype)
        let vt = ArrayValue.zeros(types[2].shape, dtype: a.dtype)
        let (m, n) = (a.shape[a.shape.count - 2], a.shape[a.shape.count - 1])
        let k = Swift.min(m, n)
        let (uc, vr) = (fullMatrices ? m : k, fullMatrices ? n : k)
        let batch = m * n == 0 ? 0 : a.count / (m * n)
        let pw = work.pointer(as: T.self), pu = u.pointer(as: T.self), ps = s.pointer(as: T.self), pv = vt.pointer(as: T.self)
        for b in 0..<batch {
            let info = T.gesdd(UInt8(ascii: fullMatrices ? "A" : "S"), m, n, pw + b * m * n, ps + b * k,
                               pu + b * m * uc, uc, pv + b * vr * n, n)
            if info != 0 {
                (pu + b * m * uc).update(repeating: .nan, count: m * uc)
                (ps + b * k).update(repeating: .nan, count: k)
                (pv + b * vr * n).update(repeating: .nan, count: vr * n)
            }
        }
        return [u, s, vt]
    }

    /// With `dP = Uᵀ Ȧ V`: `ṡ = diag(dP)`,
    /// `U̇ = U (F ∘ (dP S + S dPᵀ)) + (I - U Uᵀ) Ȧ V S⁻¹`,
    /// `V̇ = V (F ∘ (S dP + dPᵀ S)) + (I - V Vᵀ) Ȧᵀ U S⁻¹`, `F_ij = 1/(s_j² - s_i²)`.
    ///
    /// As for ``Eigh``, `F_ij` is 0 for equal singular values and `S⁻¹` is 0 for zero singular values:
    /// exact for quantities defined there (functions of the singular values such as the nuclear norm,
    /// and of whole singular subspaces). Reverse mode never evaluates a `U̇` or `V̇` term whose
    /// cotangent is zero, so the nuclear norm's gradient is `U Vᵀ` even at rank deficiency.
    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        guard let t = tangents[0] else { return [nil, nil, nil] }
        let (u, s, vt) = (outputs[0], outputs[1], outputs[2])
        let (m, n) = (t.shape[t.rank - 2], t.shape[t.rank - 1])
        guard !fullMatrices || m == n else {
            shapeFailure(name, "derivatives of full U and Vᵀ are not defined for \(m)x\(n) matrices; use fullMatrices: false")
        }
        let v = vt.mT
        let av = matmul(t, v), atu = matmul(t.mT, u)
        let dP = matmul(u.mT, av)
        let f = Linalg.inverseGaps(s * s)
        let sRow = s.expandingShape(at: -2), sCol = s.expandingShape(at: -1)
        let tol = Linalg.spectralTolerance(s)
        let sInv = `where`(s .> tol, 1 / `where`(s .> tol, s, Tensor.ones(like: s)), Tensor.zeros(like: s)).expandingShape(at: -2)
        let du = matmul(u, f * (dP * sRow + sCol * dP.mT)) + (av - matmul(u, dP)) * sInv
        let dv = matmul(v, f * (sCol * dP + dP.mT * sRow)) + (atu - matmul(v, dP.mT)) * sInv
        return [du, dP.diagonal(), dv.mT]
    }
}
