/// The singular value decomposition `A = U diag(s) Vᴴ` of `[..., m, n]` matrices, with `s`
/// descending. With `fullMatrices` false, `U` is `m`×`k` and `Vᴴ` is `k`×`n` (`k = min(m, n)`);
/// otherwise they are square.
struct SingularValueDecomposition: Primitive {
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
        LinalgKernels.dispatch(inputs[0].dtype) { run(inputs[0], $0) }
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
}
