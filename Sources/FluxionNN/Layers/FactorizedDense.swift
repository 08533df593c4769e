import Fluxion

/// A dense layer with random weight factorization (Wang et al., 2022): `W = diag(exp(s))·V`, each
/// output column scaled by a trained factor `exp(s_j)`. It starts as a standard layer — `V = W₀ /
/// exp(s)` with `s ~ N(mean, σ²)` — but trains in better-conditioned coordinates; used by PirateNets.
public struct FactorizedDense: Layer {
    /// The log scale per output feature, `s`.
    public var logScale: Tensor
    /// The direction matrix `V`, `[inputs, outputs]`.
    public var direction: Tensor
    public var bias: Tensor

    public init(_ inputs: Int, _ outputs: Int, key: PRNGKey, initializer: Initializer = .glorotNormal,
                mean: Double = 0.5, standardDeviation: Double = 0.1, dtype: DType = .float64) {
        let (k1, k2) = key.split()
        let w = initializer(k1, shape: [inputs, outputs], dtype: dtype)
        logScale = Random.normal(k2, shape: [outputs], mean: mean, standardDeviation: standardDeviation, dtype: dtype)
        direction = w / exp(logScale)
        bias = Tensor.zeros([outputs], dtype: dtype)
    }

    /// The effective weight matrix `diag(exp(s))·V` (scales applied to the output columns).
    public var weight: Tensor { direction * exp(logScale) }

    public func callAsFunction(_ x: Tensor) -> Tensor { matmul(x, weight) + bias }
}
