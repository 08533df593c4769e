/// Solves `op(A) X = B` for `X`, with `A` triangular (`[..., n, n]`) and `B` of shape `[..., n, k]`
/// (batch axes equal); `op` is the identity or the transpose. Only the named triangle of `A` is read.
/// A zero on the diagonal gives infinities or NaN (as LAPACK's `trsm`); the public `solve` checks.
struct TriangularSolve: Primitive {
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
        LinalgKernels.dispatch(inputs[0].dtype) { run(inputs[0], inputs[1], $0) }
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
}
