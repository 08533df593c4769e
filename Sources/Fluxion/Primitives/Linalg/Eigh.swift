/// Eigenvalues (ascending) and eigenvectors (the columns of `V`) of symmetric matrices, batched:
/// `A = V diag(w) Vᵀ`. Only the lower triangle of `A` is read.
struct Eigh: Primitive {
    var name: String { "eigh" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let a = inputs[0]
        LinalgKernels.checkMatrix(a, name, square: true)
        return [TensorType(shape: Array(a.shape.dropLast()), dtype: a.dtype), a]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        LinalgKernels.dispatch(inputs[0].dtype) { run(inputs[0], $0) }
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
}
