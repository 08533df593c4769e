/// The scaling convention of a transform pair (as NumPy's and SciPy's `norm`).
public enum FFTNorm: Sendable {
    /// Forward transform unscaled, inverse scaled by `1/n` (the default).
    case backward
    /// Both scaled by `1/sqrt(n)`: the transforms are unitary.
    case ortho
    /// Forward scaled by `1/n`, inverse unscaled.
    case forward

    /// The factor a forward (`inverse` false) or inverse transform of `n` points is multiplied by.
    func scale(_ n: Int, inverse: Bool) -> Double {
        switch (self, inverse) {
        case (.backward, false), (.forward, true): 1
        case (.ortho, _): 1 / Double(n).squareRoot()
        case (.backward, true), (.forward, false): 1 / Double(n)
        }
    }

    var swapped: FFTNorm {
        switch self {
        case .backward: .forward
        case .forward: .backward
        case .ortho: .ortho
        }
    }
}

/// Discrete Fourier transforms with NumPy's conventions (`numpy.fft`), computed by FFTW.
///
/// `fft` computes `X_k = Σ_j x_j exp(-2πi jk/n)`; `ifft` inverts it. Every function takes the axes to
/// transform and the `norm` convention; `s` (or `n`) crops or zero-pads the input to that length
/// along the transformed axes first. Single-precision inputs give single-precision results.
///
/// ```swift
/// let x = Tensor([1.0, 2.0, 3.0, 4.0])
/// let X = FFT.fft(x)                 // complex128: [10, -2+2j, -2, -2-2j]
/// let back = real(FFT.ifft(X))       // x
/// let half = FFT.rfft(x)             // the 3 non-negative frequencies
/// ```
public enum FFT {
    /// How hard FFTW plans new transform shapes: `.estimate` (instant, the default) or `.measure`
    /// (times candidate algorithms once per shape, then runs faster).
    public static var planningEffort: PlanningEffort {
        get { FFTWPlans.effort == .measure ? .measure : .estimate }
        set { FFTWPlans.effort = newValue == .measure ? .measure : .estimate }
    }

    public enum PlanningEffort: Sendable { case estimate, measure }

    // MARK: complex transforms

    /// The 1-D transform along `axis`.
    public static func fft(_ x: Tensor, n: Int? = nil, axis: Int = -1, norm: FFTNorm = .backward) -> Tensor {
        fftn(x, s: n.map { [$0] }, axes: [axis], norm: norm)
    }

    /// The inverse of ``fft(_:n:axis:norm:)``.
    public static func ifft(_ x: Tensor, n: Int? = nil, axis: Int = -1, norm: FFTNorm = .backward) -> Tensor {
        ifftn(x, s: n.map { [$0] }, axes: [axis], norm: norm)
    }

    /// The 2-D transform over `axes` (the last two by default).
    public static func fft2(_ x: Tensor, s: [Int]? = nil, axes: [Int] = [-2, -1], norm: FFTNorm = .backward) -> Tensor {
        fftn(x, s: s, axes: axes, norm: norm)
    }

    /// The inverse of ``fft2(_:s:axes:norm:)``.
    public static func ifft2(_ x: Tensor, s: [Int]? = nil, axes: [Int] = [-2, -1], norm: FFTNorm = .backward) -> Tensor {
        ifftn(x, s: s, axes: axes, norm: norm)
    }

    /// The n-D transform over `axes` (all axes, or the last `s.count`, by default).
    public static func fftn(_ x: Tensor, s: [Int]? = nil, axes: [Int]? = nil, norm: FFTNorm = .backward) -> Tensor {
        complexTransform(x, s: s, axes: axes, norm: norm, forward: true, "fftn")
    }

    /// The inverse of ``fftn(_:s:axes:norm:)``.
    public static func ifftn(_ x: Tensor, s: [Int]? = nil, axes: [Int]? = nil, norm: FFTNorm = .backward) -> Tensor {
        complexTransform(x, s: s, axes: axes, norm: norm, forward: false, "ifftn")
    }

    // MARK: real transforms

    /// The transform of real data along `axis`, keeping the `n/2 + 1` non-negative frequencies.
    public static func rfft(_ x: Tensor, n: Int? = nil, axis: Int = -1, norm: FFTNorm = .backward) -> Tensor {
        rfftn(x, s: n.map { [$0] }, axes: [axis], norm: norm)
    }

    /// The inverse of ``rfft(_:n:axis:norm:)``: a real result of length `n` (default `2(m - 1)`).
    public static func irfft(_ x: Tensor, n: Int? = nil, axis: Int = -1, norm: FFTNorm = .backward) -> Tensor {
        irfftn(x, s: n.map { [$0] }, axes: [axis], norm: norm)
    }

    /// The 2-D transform of real data.
    public static func rfft2(_ x: Tensor, s: [Int]? = nil, axes: [Int] = [-2, -1], norm: FFTNorm = .backward) -> Tensor {
        rfftn(x, s: s, axes: axes, norm: norm)
    }

    /// The inverse of ``rfft2(_:s:axes:norm:)``.
    public static func irfft2(_ x: Tensor, s: [Int]? = nil, axes: [Int] = [-2, -1], norm: FFTNorm = .backward) -> Tensor {
        irfftn(x, s: s, axes: axes, norm: norm)
    }

    /// The n-D transform of real data; the last transformed axis keeps `n/2 + 1` frequencies.
    public static func rfftn(_ x: Tensor, s: [Int]? = nil, axes: [Int]? = nil, norm: FFTNorm = .backward) -> Tensor {
        guard !x.dtype.isComplex else { shapeFailure("rfftn", "expects real data, got \(x.dtype)") }
        let single = x.dtype == .float32
        let (ax, lengths) = plan(x, s: s, axes: axes, "rfftn")
        var y = x.cast(to: .float64)
        for (a, n) in zip(ax, lengths) { y = y.resized(axis: a, to: n) }
        let out = scaled(bind1(FourierTransform(kind: .realToComplex, axes: ax), y), norm.scale(lengths.reduce(1, *), inverse: false))
        return single ? out.cast(to: .complex64) : out
    }

    /// The inverse of ``rfftn(_:s:axes:norm:)``; `s` gives the real output's extents along `axes`
    /// (by default the input's, with the last doubled minus 2).
    public static func irfftn(_ x: Tensor, s: [Int]? = nil, axes: [Int]? = nil, norm: FFTNorm = .backward) -> Tensor {
        let single = x.dtype == .float32 || x.dtype == .complex64
        let ax = axes.map { $0.map { normalizeAxis($0, rank: x.rank, "irfftn") } }
            ?? Array((x.rank - (s?.count ?? x.rank))..<x.rank)
        var lengths = s ?? ax.map { x.shape[$0] }
        if s == nil { lengths[lengths.count - 1] = 2 * (x.shape[ax.last!] - 1) }
        guard lengths.count == ax.count, lengths.allSatisfy({ $0 >= 1 }) else {
            shapeFailure("irfftn", "output extents \(lengths) do not fit axes \(ax) of shape \(x.shape)")
        }
        var y = x.cast(to: .complex128)
        for (i, a) in ax.enumerated() {
            y = y.resized(axis: a, to: i == ax.count - 1 ? lengths[i] / 2 + 1 : lengths[i])
        }
        let out = scaled(bind1(FourierTransform(kind: .complexToReal(lastLength: lengths.last!), axes: ax), y),
                         norm.scale(lengths.reduce(1, *), inverse: true))
        return single ? out.cast(to: .float32) : out
    }

    // MARK: frequencies and shifts

    /// The sample frequencies of an `n`-point transform with spacing `d`: `[0, 1, …, -1] / (d n)`.
    public static func fftfreq(_ n: Int, d: Double = 1) -> Tensor {
        let values = (0..<n).map { i in Double(i < (n + 1) / 2 ? i : i - n) / (d * Double(n)) }
        return Tensor(values, shape: [n])
    }

    /// The non-negative sample frequencies of an `n`-point real transform: `[0, 1, …, n/2] / (d n)`.
    public static func rfftfreq(_ n: Int, d: Double = 1) -> Tensor {
        Tensor((0...(n / 2)).map { Double($0) / (d * Double(n)) }, shape: [n / 2 + 1])
    }

    /// Moves the zero frequency to the center along `axes` (all by default).
    public static func fftshift(_ x: Tensor, axes: [Int]? = nil) -> Tensor {
        normalizeAxes(axes, rank: x.rank, "fftshift").reduce(x) { $0.rolled(by: x.shape[$1] / 2, axis: $1) }
    }

    /// The inverse of ``fftshift(_:axes:)``.
    public static func ifftshift(_ x: Tensor, axes: [Int]? = nil) -> Tensor {
        normalizeAxes(axes, rank: x.rank, "ifftshift").reduce(x) { $0.rolled(by: -(x.shape[$1] / 2), axis: $1) }
    }

    // MARK: helpers

    private static func complexTransform(_ x: Tensor, s: [Int]?, axes: [Int]?, norm: FFTNorm, forward: Bool,
                                         _ name: String) -> Tensor {
        let single = x.dtype == .float32 || x.dtype == .complex64
        let (ax, lengths) = plan(x, s: s, axes: axes, name)
        var y = x.cast(to: .complex128)
        for (a, n) in zip(ax, lengths) { y = y.resized(axis: a, to: n) }
        let out = scaled(bind1(FourierTransform(kind: .complex(forward: forward), axes: ax), y),
                         norm.scale(lengths.reduce(1, *), inverse: !forward))
        return single ? out.cast(to: .complex64) : out
    }

    /// `x · factor`, skipping the pass over the data when the factor is 1.
    static func scaled(_ x: Tensor, _ factor: Double) -> Tensor { factor == 1 ? x : x * factor }

    /// The normalized axes and the transform lengths along them.
    private static func plan(_ x: Tensor, s: [Int]?, axes: [Int]?, _ name: String) -> ([Int], [Int]) {
        let ax = axes.map { $0.map { normalizeAxis($0, rank: x.rank, name) } }
            ?? Array((x.rank - (s?.count ?? x.rank))..<x.rank)
        guard Set(ax).count == ax.count, !ax.isEmpty else { shapeFailure(name, "axes \(axes ?? []) are empty or repeat") }
        let lengths = s ?? ax.map { x.shape[$0] }
        guard lengths.count == ax.count, lengths.allSatisfy({ $0 >= 1 }) else {
            shapeFailure(name, "lengths \(lengths) do not fit axes \(ax) of shape \(x.shape)")
        }
        return (ax, lengths)
    }
}
