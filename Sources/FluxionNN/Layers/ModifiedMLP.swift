import Fluxion

/// The modified MLP of Wang, Teng and Perdikaris (2021) for PINNs: two encoders
/// `U = σ(x·W_u + b_u)` and `V = σ(x·W_v + b_v)` gate every hidden layer,
/// `H ← (1 − Z)⊙U + Z⊙V` with `Z = σ(H·W + b)`, and the output layer is linear. It trains markedly
/// better than a plain MLP on stiff PDEs at about the same cost.
public struct ModifiedMLP: Layer {
    public var encoderU: Dense
    public var encoderV: Dense
    public var hidden: [Dense]
    public var output: Dense
    public var activation: Activation

    /// Input width, hidden width and depth (the number of gated hidden layers), output width.
    public init(inputs: Int, width: Int, depth: Int, outputs: Int, activation: Activation = .tanh, key: PRNGKey,
                initializer: Initializer = .glorotNormal, dtype: DType = .float64) {
        precondition(depth >= 1, "ModifiedMLP: depth must be at least 1")
        encoderU = Dense(inputs, width, key: key.foldIn(0), initializer: initializer, dtype: dtype)
        encoderV = Dense(inputs, width, key: key.foldIn(1), initializer: initializer, dtype: dtype)
        hidden = (0..<depth).map { i in
            Dense(i == 0 ? inputs : width, width, key: key.foldIn(2 + i), initializer: initializer, dtype: dtype)
        }
        output = Dense(width, outputs, key: key.foldIn(2 + depth), initializer: initializer, dtype: dtype)
        self.activation = activation
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let u = activation(encoderU(x)), v = activation(encoderV(x))
        var h = x
        for layer in hidden {
            let z = activation(layer(h))
            h = (1 - z) * u + z * v
        }
        return output(h)
    }
}
