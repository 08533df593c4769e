import Fluxion

/// A multilayer perceptron: dense layers of the given widths with an activation between them and a
/// linear output, `MLP(widths: [2, 64, 64, 1], activation: .tanh, key: key)`.
public struct MLP: Layer {
    public var layers: [Dense]
    public var activation: Activation

    public init(layers: [Dense], activation: Activation) {
        self.layers = layers
        self.activation = activation
    }

    /// Widths from input to output; each layer's weights from its own key (`key.foldIn(i)`).
    public init(widths: [Int], activation: Activation = .tanh, key: PRNGKey, initializer: Initializer = .glorotNormal,
                dtype: DType = .float64) {
        precondition(widths.count >= 2, "MLP: needs at least an input and an output width, got \(widths)")
        layers = (0..<(widths.count - 1)).map { i in
            Dense(widths[i], widths[i + 1], key: key.foldIn(i), initializer: initializer, dtype: dtype)
        }
        self.activation = activation
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        var h = x
        for (i, layer) in layers.enumerated() {
            h = layer(h)
            if i < layers.count - 1 { h = activation(h) }
        }
        return h
    }
}
