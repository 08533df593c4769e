import Fluxion

/// Random Fourier features `[cos(2π x·B), sin(2π x·B)]` with `B ~ N(0, scale²)` of shape
/// `[inputs, features]` (Tancik et al.), which let a network fit high frequencies. `B` is fixed:
/// its gradient is zero (a `stopGradient`), so optimizers leave it unchanged, weight decay aside.
public struct FourierFeatures: Layer {
    public var frequencies: Tensor

    public init(frequencies: Tensor) { self.frequencies = frequencies }

    /// `features` frequencies for `inputs` input features, drawn with standard deviation `scale`.
    public init(_ inputs: Int, features: Int, scale: Double, key: PRNGKey, dtype: DType = .float64) {
        frequencies = Random.normal(key, shape: [inputs, features], standardDeviation: scale, dtype: dtype)
    }

    /// The output width: twice the number of frequencies.
    public var outputs: Int { 2 * frequencies.shape[1] }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let phase = 2 * Double.pi * matmul(x, stopGradient(frequencies))
        return Tensor.concatenate([cos(phase), sin(phase)], axis: -1)
    }
}

/// A periodic embedding of chosen input features: feature `i` with period `P` becomes
/// `cos(2πk x/P), sin(2πk x/P)` for `k = 1…harmonics`, so the network is exactly periodic in it;
/// the other features pass through.
public struct PeriodicEmbedding: Layer {
    /// Period per input feature; `nil` for a feature that passes through.
    public var periods: [Double?]
    public var harmonics: Int

    public init(periods: [Double?], harmonics: Int = 1) {
        precondition(harmonics >= 1, "PeriodicEmbedding: harmonics must be at least 1")
        self.periods = periods
        self.harmonics = harmonics
    }

    /// The output width.
    public var outputs: Int { periods.reduce(0) { $0 + ($1 == nil ? 1 : 2 * harmonics) } }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.shape.last == periods.count,
                     "PeriodicEmbedding: \(periods.count) features expected in the last axis, got shape \(x.shape)")
        var parts: [Tensor] = []
        for (i, period) in periods.enumerated() {
            let xi = x[.ellipsis, i..<(i + 1)]
            guard let period else { parts.append(xi); continue }
            for k in 1...harmonics {
                let phase = xi * (2 * Double.pi * Double(k) / period)
                parts += [cos(phase), sin(phase)]
            }
        }
        return Tensor.concatenate(parts, axis: -1)
    }
}
