import Fluxion
import FluxionNN

/// The usual PINN network: optional random Fourier features of the input, then an MLP.
public struct FieldNetwork: Layer {
    public var features: FourierFeatures?
    public var mlp: MLP

    /// `inputs` coordinates, hidden widths, one output; `fourierFeatures` frequencies of scale
    /// `fourierScale` in front when non-zero. Weights from `key` (Glorot normal).
    public init(inputs: Int, hidden: [Int], activation: Activation = .tanh, fourierFeatures: Int = 0,
                fourierScale: Double = 1, key: PRNGKey) {
        features = fourierFeatures > 0
            ? FourierFeatures(inputs, features: fourierFeatures, scale: fourierScale, key: key.foldIn(1000)) : nil
        mlp = MLP(widths: [features?.outputs ?? inputs] + hidden + [1], activation: activation, key: key)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { mlp(features.map { $0(x) } ?? x) }
}
