/// Matrix products and contractions.
///
/// ```swift
/// let c = matmul(a, b)                     // [..., m, k] x [..., k, n] -> [..., m, n]
/// let t = einsum("bij,bjk->bik", a, b)
/// ```

/// The matrix product with NumPy's `matmul` rules: 1-D operands are treated as a row (left) or a
/// column (right) vector and that axis is dropped from the result; leading (batch) axes broadcast.
public func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    var (x, y) = promoted(a, b)
    guard x.rank >= 1, y.rank >= 1 else { shapeFailure("matmul", "operands must have at least 1 axis, got shapes \(a.shape) and \(b.shape)") }
    let vectorLeft = x.rank == 1, vectorRight = y.rank == 1
    if vectorLeft { x = x.reshaped(to: [1, x.shape[0]]) }
    if vectorRight { y = y.reshaped(to: [y.shape[0], 1]) }
    guard x.shape[x.rank - 1] == y.shape[y.rank - 2] else {
        shapeFailure("matmul", "shapes \(a.shape) and \(b.shape) do not align: \(x.shape[x.rank - 1]) != \(y.shape[y.rank - 2])")
    }
    let (m, k, n) = (x.shape[x.rank - 2], x.shape[x.rank - 1], y.shape[y.rank - 1])
    var out: Tensor
    if y.rank == 2 {
        // The right operand is one matrix: fold the left operand's batch into its rows, one gemm.
        let batch = Array(x.shape.dropLast(2))
        out = bind1(DotGeneral(lhsContracting: [1], rhsContracting: [0], lhsBatch: [], rhsBatch: []),
                    x.reshaped(to: [batch.reduce(1, *) * m, k]), y).reshaped(to: batch + [m, n])
    } else {
        let xb = Array(x.shape.dropLast(2)), yb = Array(y.shape.dropLast(2))
        guard let batch = Broadcasting.shape([xb, yb]) else {
            shapeFailure("matmul", "batch shapes of \(a.shape) and \(b.shape) do not broadcast")
        }
        let nb = batch.count
        let xf = x.broadcast(to: batch + [m, k]), yf = y.broadcast(to: batch + [k, n])
        out = bind1(DotGeneral(lhsContracting: [nb + 1], rhsContracting: [nb], lhsBatch: Array(0..<nb),
                               rhsBatch: Array(0..<nb)), xf, yf)
    }
    if vectorLeft { out = out.squeezed(axes: [out.rank - 2]) }
    if vectorRight { out = out.squeezed(axes: [out.rank - 1]) }
    return out
}

/// The inner product of two vectors, or `matmul` for higher ranks.
public func dot(_ a: Tensor, _ b: Tensor) -> Tensor {
    if a.rank == 1 && b.rank == 1 {
        guard a.shape == b.shape else { shapeFailure("dot", "vector shapes \(a.shape) and \(b.shape) differ") }
        let (x, y) = promoted(a, b)
        return bind1(DotGeneral(lhsContracting: [0], rhsContracting: [0], lhsBatch: [], rhsBatch: []), x, y)
    }
    return matmul(a, b)
}

/// The outer product of two vectors (flattened first): `out[i, j] = a[i] * b[j]`.
public func outer(_ a: Tensor, _ b: Tensor) -> Tensor {
    a.reshaped(to: [-1, 1]) * b.reshaped(to: [1, -1])
}

/// Contracts `a`'s axes `axesA` with `b`'s axes `axesB` (as NumPy's `tensordot`); the result has
/// `a`'s remaining axes followed by `b`'s.
public func tensordot(_ a: Tensor, _ b: Tensor, axes axesA: [Int], _ axesB: [Int]) -> Tensor {
    let (x, y) = promoted(a, b)
    return bind1(DotGeneral(lhsContracting: axesA.map { normalizeAxis($0, rank: a.rank, "tensordot") },
                            rhsContracting: axesB.map { normalizeAxis($0, rank: b.rank, "tensordot") },
                            lhsBatch: [], rhsBatch: []), x, y)
}

/// A general contraction (XLA's `dot_general`): sums over paired `contracting` axes, batched over
/// paired `batch` axes; output axes are batch, then `a`'s free axes, then `b`'s.
public func dotGeneral(_ a: Tensor, _ b: Tensor, contracting: ([Int], [Int]), batch: ([Int], [Int]) = ([], [])) -> Tensor {
    let (x, y) = promoted(a, b)
    return bind1(DotGeneral(lhsContracting: contracting.0, rhsContracting: contracting.1,
                            lhsBatch: batch.0, rhsBatch: batch.1), x, y)
}
