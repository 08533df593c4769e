import Fluxion

/// A fully connected layer, `x·W + b`, with `W` of shape `[inputs, outputs]`.
public struct Dense: Layer {
    public var weight: Tensor
    public var bias: Tensor

    public init(weight: Tensor, bias: Tensor) {
        precondition(weight.rank == 2 && bias.shape == [weight.shape[1]],
                     "Dense: weight [inputs, outputs] and bias [outputs] expected, got \(weight.shape) and \(bias.shape)")
        self.weight = weight
        self.bias = bias
    }

    /// A layer with weights drawn by `initializer` from `key` and zero biases.
    public init(_ inputs: Int, _ outputs: Int, key: PRNGKey, initializer: Initializer = .glorotNormal, dtype: DType = .float64) {
        self.init(weight: initializer(key, shape: [inputs, outputs], dtype: dtype), bias: Tensor.zeros([outputs], dtype: dtype))
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { matmul(x, weight) + bias }
}
