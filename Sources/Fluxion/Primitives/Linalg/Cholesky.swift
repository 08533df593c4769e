/// The lower Cholesky factor `L` of symmetric positive-definite matrices (`A = L Lᵀ`), batched over
/// leading axes. Only the lower triangle of `A` is read. Outputs `L` and an int32 status per matrix:
/// 0 on success, `k > 0` when the leading minor of order `k` is not positive definite,
/// ``LinalgKernels/nanStatus`` when the lower triangle holds NaN, LAPACK's negative code for an
/// argument it rejected; on any failure that `L` is filled with NaN (never silent under a transform).
struct Cholesky: Primitive, LeadingAxesBatching {
    var name: String { "cholesky" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        LinalgKernels.checkMatrix(inputs[0], name, square: true)
        return [inputs[0], TensorType(shape: Array(inputs[0].shape.dropLast(2)), dtype: .int32)]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        inputs[0].dtype == .float32 ? run(inputs[0], Float.self) : run(inputs[0], Double.self)     // specialized per type
    }

    private func run<T: LAPACKScalar>(_ a: ArrayValue, _: T.Type) -> [ArrayValue] {
        let n = a.shape.last!
        let batchShape = Array(a.shape.dropLast(2))
        let l = LinalgKernels.copy(a)
        let status = ArrayValue(uninitialized: batchShape, dtype: .int32)
        let p = l.pointer(as: T.self), s = status.pointer(as: Int32.self)
        for b in 0..<batchShape.reduce(1, *) {
            let m = p + b * n * n
            // Only the lower triangle is read: a NaN there is reported as such; a NaN above it is ignored.
            let nan = (0..<n).contains { i in LinalgKernels.containsNaN(m + i * n, i + 1) }
            let info = nan ? Int(LinalgKernels.nanStatus) : n == 0 ? 0 : T.potrf(n, m)
            s[b] = Int32(info)
            for i in 0..<n {
                for j in 0..<n where info != 0 || j > i { m[i * n + j] = info != 0 ? .nan : 0 }
            }
        }
        return [l, status]
    }

    /// `L̇ = L Φ(L⁻¹ Ȧ L⁻ᵀ)`, with `Φ` the lower triangle with a halved diagonal. Only the lower
    /// triangle of `A` is read, so the perturbation is the symmetric matrix it determines.

    /// Taylor mode: `A(t) = L(t) L(t)ᵀ` gives, order by order, `L₀ L_kᵀ + L_k L₀ᵀ = A_k − Σ_{j=1..k−1} L_j
    /// L_{k−j}ᵀ`, which is the forward rule's equation with that right-hand side: one pair of
    /// triangular solves with the factor `L₀` per order.
    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        guard let sa = series[0] else { return [nil, nil] }
        var l: [Tensor?] = [outputs[0]]
        for k in 1...sa.order {
            let products = Taylor.sum((1..<k).map { j in
                guard let lj = l[j], let lk = l[k - j] else { return nil }
                return matmul(lj, lk.mT)
            })
            let rhs = Taylor.sum([sa[k], products.map { -$0 }])
            l.append(rhs.map { r in Taylor.mapDirections(r) { jvp(primals, [$0], outputs)[0]! } })
        }
        return [TaylorSeries.from(terms: l), nil]
    }

    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        guard let t = tangents[0] else { return [nil, nil] }
        let l = outputs[0]
        let s = Linalg.tril(t) + Linalg.tril(t, k: -1).mT
        let z = Linalg.triangularSolve(l, s, lower: true)                                   // L⁻¹ S
        let x = Linalg.triangularSolve(l, z, lower: true, transposeA: true, leftSide: false) // L⁻¹ S L⁻ᵀ
        let phi = Linalg.tril(x) - 0.5 * Linalg.diagonalPart(x)
        return [matmul(l, phi), nil]
    }

    /// The transpose of the forward rule, written out: with `G = L⁻ᵀ Φ(Lᵀ L̄) L⁻¹` (the cotangent of
    /// the symmetric perturbation), the lower triangle that was read gets `tril(G) + tril(Gᵀ, -1)`.
    /// Two triangular solves, half the work of transposing the forward rule on the tape.
    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        guard let lBar = cotangents[0] else { return [nil] }
        let l = outputs[0]
        let x = matmul(l.mT, lBar)
        let phi = Linalg.tril(x) - 0.5 * Linalg.diagonalPart(x)
        let y = Linalg.triangularSolve(l, phi, lower: true, transposeA: true)           // L⁻ᵀ Φ
        let g = Linalg.triangularSolve(l, y, lower: true, leftSide: false)              // L⁻ᵀ Φ L⁻¹
        return [Linalg.tril(g) + Linalg.tril(g.mT, k: -1)]
    }
}
