extension Linalg {
    /// The lower triangle of the matrices in the last two axes: entries on or below the `k`-th
    /// diagonal are kept, the others set to zero (as NumPy's `tril`).
    public static func tril(_ x: Tensor, k: Int = 0) -> Tensor {
        `where`(triangleMask(x.shape, k: k, lower: true), x, Tensor.zeros([], dtype: x.dtype))
    }

    /// The upper triangle: entries on or above the `k`-th diagonal (as NumPy's `triu`).
    public static func triu(_ x: Tensor, k: Int = 0) -> Tensor {
        `where`(triangleMask(x.shape, k: k, lower: false), x, Tensor.zeros([], dtype: x.dtype))
    }

    /// `[m, n]` bool mask of `j - i <= k` (lower) or `j - i >= k` (upper).
    static func triangleMask(_ shape: [Int], k: Int, lower: Bool) -> Tensor {
        precondition(shape.count >= 2, "tril/triu: needs at least 2 axes, got shape \(shape)")
        let (m, n) = (shape[shape.count - 2], shape[shape.count - 1])
        let offset = Tensor.arange(n).reshaped(to: [1, n]) - Tensor.arange(m).reshaped(to: [m, 1])
        return lower ? offset .<= Double(k) : offset .>= Double(k)
    }

    /// The matrix with only its diagonal kept.
    static func diagonalPart(_ x: Tensor) -> Tensor { tril(triu(x)) }
}

extension Linalg {
    /// The tolerance below which two eigenvalues (or singular values) count as equal and a singular
    /// value as zero: 64 ulps of the largest magnitude of each matrix.
    static func spectralTolerance(_ values: Tensor) -> Tensor {
        let eps = values.dtype == .float32 ? Double(Float.ulpOfOne) : Double.ulpOfOne
        return abs(values).max(alongAxes: [-1], keepingDims: true) * (64 * eps)
    }

    /// `F_ij = 1/(λ_j - λ_i)` for distinct values, 0 on the diagonal and for equal values (see
    /// ``Eigh``'s derivative for why 0 is right).
    static func inverseGaps(_ lambda: Tensor) -> Tensor {
        let gaps = lambda.expandingShape(at: -2) - lambda.expandingShape(at: -1)
        let equal = abs(gaps) .<= spectralTolerance(lambda).expandingShape(at: -1)
        return `where`(equal, Tensor.zeros([], dtype: gaps.dtype), 1 / `where`(equal, Tensor.ones([], dtype: gaps.dtype), gaps))
    }
}
