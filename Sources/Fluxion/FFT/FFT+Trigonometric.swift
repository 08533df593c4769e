/// Discrete cosine and sine transforms of types 1–4 with SciPy's conventions (`scipy.fft.dct`,
/// `dst`, `idct`, `idst`), computed by FFTW's r2r transforms.
///
/// With `norm: .backward` (the default) they are FFTW's unnormalized transforms, e.g. DCT-II
/// `y_k = 2 Σ_j x_j cos(π k (2j + 1) / (2n))`. `.forward` divides by the logical length `N`
/// (`2(n - 1)` for DCT-I, `2(n + 1)` for DST-I, `2n` otherwise). `.ortho` makes the transform
/// orthogonal, weighting the boundary entries as SciPy does (`orthogonalize=True`).
///
/// ```swift
/// let c = FFT.dct(x)                    // type 2
/// let back = FFT.idct(c)                // x
/// let o = FFT.dct(x, type: 2, norm: .ortho)
/// ```
extension FFT {
    public static func dct(_ x: Tensor, type: Int = 2, n: Int? = nil, axis: Int = -1, norm: FFTNorm = .backward) -> Tensor {
        trig(x, .cosine, type, n, axis, norm, "dct")
    }

    public static func dst(_ x: Tensor, type: Int = 2, n: Int? = nil, axis: Int = -1, norm: FFTNorm = .backward) -> Tensor {
        trig(x, .sine, type, n, axis, norm, "dst")
    }

    /// The inverse of ``dct(_:type:n:axis:norm:)`` with the same `type` and `norm`.
    public static func idct(_ x: Tensor, type: Int = 2, n: Int? = nil, axis: Int = -1, norm: FFTNorm = .backward) -> Tensor {
        trig(x, .cosine, inverseType(type), n, axis, norm.swapped, "idct")
    }

    /// The inverse of ``dst(_:type:n:axis:norm:)`` with the same `type` and `norm`.
    public static func idst(_ x: Tensor, type: Int = 2, n: Int? = nil, axis: Int = -1, norm: FFTNorm = .backward) -> Tensor {
        trig(x, .sine, inverseType(type), n, axis, norm.swapped, "idst")
    }

    /// The DCT over several axes (all by default), one axis after another.
    public static func dctn(_ x: Tensor, type: Int = 2, axes: [Int]? = nil, norm: FFTNorm = .backward) -> Tensor {
        normalizeAxes(axes, rank: x.rank, "dctn").reduce(x) { dct($0, type: type, axis: $1, norm: norm) }
    }

    /// The DST over several axes (all by default), one axis after another.
    public static func dstn(_ x: Tensor, type: Int = 2, axes: [Int]? = nil, norm: FFTNorm = .backward) -> Tensor {
        normalizeAxes(axes, rank: x.rank, "dstn").reduce(x) { dst($0, type: type, axis: $1, norm: norm) }
    }

    /// DCT-II and DCT-III are each other's inverse (up to scale); types 1 and 4 invert themselves.
    private static func inverseType(_ type: Int) -> Int { type == 2 ? 3 : type == 3 ? 2 : type }

    private static func trig(_ x: Tensor, _ family: RealToRealTransform.Family, _ type: Int, _ n: Int?, _ axis: Int,
                             _ norm: FFTNorm, _ name: String) -> Tensor {
        guard (1...4).contains(type) else { shapeFailure(name, "type must be 1, 2, 3 or 4, got \(type)") }
        if x.dtype.isComplex {
            // Linear over the reals: transform the real and imaginary parts separately.
            return complex(trig(real(x), family, type, n, axis, norm, name), trig(imag(x), family, type, n, axis, norm, name))
        }
        let single = x.dtype == .float32
        let a = normalizeAxis(axis, rank: x.rank, name)
        var y = x.cast(to: .float64)
        if let n { y = y.resized(axis: a, to: n) }
        let len = y.shape[a]
        let logical = family == .cosine && type == 1 ? 2 * (len - 1) : family == .sine && type == 1 ? 2 * (len + 1) : 2 * len
        let transform = RealToRealTransform(family: family, type: type, axes: [a])
        var out: Tensor
        switch norm {
        case .backward: out = bind1(transform, y)
        case .forward: out = bind1(transform, y) / Double(logical)
        case .ortho:
            // SciPy's orthogonalization: weight boundary entries by √2 before and/or after the
            // unnormalized transform, then scale by 1/√N.
            let (pre, post) = orthoWeights(family, type, len)
            if let pre { y = y * axisWeights(pre, axis: a, rank: y.rank) }
            out = bind1(transform, y) * (1 / Double(logical).squareRoot())
            if let post { out = out * axisWeights(post, axis: a, rank: y.rank) }
        }
        return single ? out.cast(to: .float32) : out
    }

    /// Per-entry weights applied before and after the transform for `norm: .ortho`.
    private static func orthoWeights(_ family: RealToRealTransform.Family, _ type: Int, _ n: Int) -> ([Double]?, [Double]?) {
        let r2 = 2.0.squareRoot()
        func weights(_ entries: [Int], _ value: Double) -> [Double] {
            var w = [Double](repeating: 1, count: n)
            for e in entries { w[e] = value }
            return w
        }
        switch (family, type) {
        case (.cosine, 1): return (weights([0, n - 1], r2), weights([0, n - 1], 1 / r2))
        case (.cosine, 2): return (nil, weights([0], 1 / r2))
        case (.cosine, 3): return (weights([0], r2), nil)
        case (.sine, 2): return (nil, weights([n - 1], 1 / r2))
        case (.sine, 3): return (weights([n - 1], r2), nil)
        default: return (nil, nil)
        }
    }

    /// A weight vector shaped to broadcast along `axis`.
    private static func axisWeights(_ w: [Double], axis: Int, rank: Int) -> Tensor {
        var shape = [Int](repeating: 1, count: rank)
        shape[axis] = w.count
        return Tensor(w, shape: shape)
    }
}
