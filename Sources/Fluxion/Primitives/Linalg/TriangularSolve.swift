/// Solves `op(A) X = B` for `X`, with `A` triangular (`[..., n, n]`) and `B` of shape `[..., n, k]`
/// (batch axes equal); `op` is the identity or the transpose. Only the named triangle of `A` is read.
/// A zero on the diagonal gives infinities or NaN (as LAPACK's `trsm`); the public `solve` checks.
struct TriangularSolve: Primitive, LeadingAxesBatching {
    let lower: Bool
    let transposeA: Bool
    let unitDiagonal: Bool
    var name: String { "triangular_solve" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let (a, b) = (inputs[0], inputs[1])
        LinalgKernels.checkMatrix(a, name, square: true)
        guard b.rank == a.rank, b.shape.dropLast(2) == a.shape.dropLast(2), b.shape[b.rank - 2] == a.shape[a.rank - 1],
              a.dtype == b.dtype
        else { shapeFailure(name, "cannot solve with matrices of shapes \(a.shape) and \(b.shape)") }
        return [b]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        inputs[0].dtype == .float32 ? run(inputs[0], inputs[1], Float.self) : run(inputs[0], inputs[1], Double.self)
    }

    private func run<T: LAPACKScalar>(_ a: ArrayValue, _ b: ArrayValue, _: T.Type) -> [ArrayValue] {
        let n = a.shape.last!, k = b.shape.last!
        let x = LinalgKernels.copy(b)
        let batch = n * k == 0 ? 0 : b.count / (n * k)
        let pa = a.pointer(as: T.self), px = x.pointer(as: T.self)
        for i in 0..<batch {
            T.trsm(lower: lower, transpose: transposeA, unitDiagonal: unitDiagonal, n, k, pa + i * n * n, px + i * n * k)
        }
        return [x]
    }

    // MARK: derivatives. X = op(A)⁻¹ B is linear in B; in A, dX = -op(A)⁻¹ op(dA) X.

    /// The part of a matrix this solve reads: its triangle, without the diagonal when it is unit.
    private func readPart(_ a: Tensor) -> Tensor {
        lower ? Linalg.tril(a, k: unitDiagonal ? -1 : 0) : Linalg.triu(a, k: unitDiagonal ? 1 : 0)
    }


    /// Taylor mode: `A(t) X(t) = B(t)` gives `A₀ X_k = B_k − Σ_{j=1..k} op(A_j) X_{k−j}`: one solve per
    /// order with the same triangle, and for a constant `A` one solve of all coefficients at once.
    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        guard let sa = series[0] else { return coefficientsThroughForwardRule(primals, series, outputs) }
        let a = primals[0]
        var x: [Tensor?] = [outputs[0]]
        for k in 1...sa.order {
            let terms = (1...k).map { j -> Tensor? in
                guard let aj = sa[j], let xr = x[k - j] else { return nil }
                let da = readPart(aj)
                return -matmul(transposeA ? da.mT : da, xr)
            }
            let rhs = Taylor.sum([series[1]?[k]] + terms)
            x.append(rhs.map { r in Taylor.mapDirections(r) { bind1(self, a, $0) } })
        }
        return [TaylorSeries.from(terms: x)]
    }

    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        let (a, x) = (primals[0], outputs[0])
        var rhs: Tensor? = tangents[1]
        if let ta = tangents[0] {
            let da = readPart(ta)
            let term = -matmul(transposeA ? da.mT : da, x)
            rhs = rhs.map { $0 + term } ?? term
        }
        return [rhs.map { bind1(self, a, $0) }]
    }

    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        guard let ct = cotangents[0] else { return [nil, nil] }
        let (a, x) = (primals[0], outputs[0])
        let bBar = bind1(TriangularSolve(lower: lower, transposeA: !transposeA, unitDiagonal: unitDiagonal), a, ct)
        let opBar = -matmul(bBar, x.mT)
        return [readPart(transposeA ? opBar.mT : opBar), bBar]
    }
}
