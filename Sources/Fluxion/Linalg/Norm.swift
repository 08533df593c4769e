/// Which norm ``Linalg/norm(_:_:alongAxes:keepingDims:)`` computes.
public enum NormOrder: Sendable, Equatable {
    /// Vector `(Σ|x|ᵖ)^(1/p)`; for matrices `p` may be 1, -1 (max/min column sum), 2, -2
    /// (largest/smallest singular value).
    case p(Double)
    /// Vector `max|x|`; matrix maximum row sum.
    case infinity
    /// Vector `min|x|`; matrix minimum row sum.
    case negativeInfinity
    /// Matrix `sqrt(Σ|a_ij|²)`.
    case frobenius
    /// Matrix sum of singular values.
    case nuclear
}

extension Linalg {
    /// A vector norm over one axis or a matrix norm over two (as NumPy's `linalg.norm`).
    ///
    /// With `order` nil: the 2-norm of the flattened tensor when `axes` is nil, the vector 2-norm
    /// for one axis, the Frobenius norm for two.
    ///
    /// Derivatives: at the zero vector the gradient of a p-norm (and of the Frobenius norm) is 0, a
    /// valid subgradient, at every order; elsewhere it is the usual `x|x|^(p-2)/‖x‖^(p-1)`.
    public static func norm(_ x: Tensor, _ order: NormOrder? = nil, alongAxes axes: [Int]? = nil,
                            keepingDims: Bool = false) -> Tensor {
        let a = x.cast(to: x.dtype.inexact)
        let ax = axes.map { normalizeAxes($0, rank: x.rank, "norm") } ?? Array(0..<x.rank)
        if axes == nil && order == nil {
            return safeRoot(squaredMagnitude(a).sum(keepingDims: keepingDims), 2)
        }
        switch ax.count {
        case 1: return vectorNorm(a, order ?? .p(2), ax, keepingDims)
        case 2: return matrixNorm(a, order ?? .frobenius, ax, keepingDims)
        default: shapeFailure("norm", "needs one axis (vector norm) or two (matrix norm), got \(ax) for shape \(x.shape)")
        }
    }

    /// `s^(1/p)` with a derivative of 0 (instead of infinity) at `s = 0`, so that the gradient of a
    /// norm at the zero vector is the zero subgradient rather than NaN (JAX gives NaN there). The
    /// inner `where` keeps the root's own derivative finite; the outer one selects 0.
    static func safeRoot(_ s: Tensor, _ p: Double) -> Tensor {
        let zero = s .== 0
        let safe = `where`(zero, Tensor.ones([], dtype: s.dtype), s)
        let root = p == 2 ? sqrt(safe) : pow(safe, 1 / p)
        return `where`(zero, Tensor.zeros([], dtype: s.dtype), root)
    }

    private static func squaredMagnitude(_ a: Tensor) -> Tensor {
        a.dtype.isComplex ? real(a * conj(a)) : a * a
    }

    private static func vectorNorm(_ a: Tensor, _ order: NormOrder, _ ax: [Int], _ keep: Bool) -> Tensor {
        switch order {
        case .infinity: return abs(a).max(alongAxes: ax, keepingDims: keep)
        case .negativeInfinity: return abs(a).min(alongAxes: ax, keepingDims: keep)
        case .p(0): return (a .!= 0).cast(to: a.dtype.realPart).sum(alongAxes: ax, keepingDims: keep)
        case .p(1): return abs(a).sum(alongAxes: ax, keepingDims: keep)
        case .p(2), .frobenius: return safeRoot(squaredMagnitude(a).sum(alongAxes: ax, keepingDims: keep), 2)
        case .p(let p): return safeRoot(pow(abs(a), p).sum(alongAxes: ax, keepingDims: keep), p)
        case .nuclear: shapeFailure("norm", "the nuclear norm needs two axes")
        }
    }

    private static func matrixNorm(_ a: Tensor, _ order: NormOrder, _ ax: [Int], _ keep: Bool) -> Tensor {
        let (r, c) = (ax[0], ax[1])
        let result: Tensor
        switch order {
        case .frobenius: return safeRoot(squaredMagnitude(a).sum(alongAxes: ax, keepingDims: keep), 2)
        case .p(1): result = abs(a).sum(alongAxes: [r], keepingDims: true).max(alongAxes: [c], keepingDims: true)
        case .p(-1): result = abs(a).sum(alongAxes: [r], keepingDims: true).min(alongAxes: [c], keepingDims: true)
        case .infinity: result = abs(a).sum(alongAxes: [c], keepingDims: true).max(alongAxes: [r], keepingDims: true)
        case .negativeInfinity: result = abs(a).sum(alongAxes: [c], keepingDims: true).min(alongAxes: [r], keepingDims: true)
        case .nuclear, .p(2), .p(-2):
            // Singular values of the matrices formed by the two axes, moved last.
            let rest = (0..<a.rank).filter { !ax.contains($0) }
            let s = singularValues(a.transposed(permutation: rest + ax))
            let v = order == .nuclear ? s.sum(alongAxes: [-1]) : order == .p(2) ? s.max(alongAxes: [-1]) : s.min(alongAxes: [-1])
            var shape = a.shape
            shape[r] = 1
            shape[c] = 1
            result = v.reshaped(to: shape)
        case .p(let p): shapeFailure("norm", "matrix norm of order \(p) is not defined (use 1, -1, 2, -2)")
        }
        return keep ? result : result.squeezed(axes: ax)
    }
}

extension Tensor {
    /// The norm of the tensor; see ``Linalg/norm(_:_:alongAxes:keepingDims:)``.
    public func norm(_ order: NormOrder? = nil, alongAxes axes: [Int]? = nil, keepingDims: Bool = false) -> Tensor {
        Linalg.norm(self, order, alongAxes: axes, keepingDims: keepingDims)
    }
}
