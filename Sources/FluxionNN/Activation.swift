import Fluxion

/// An elementwise activation function, stored in a model as a static (non-tensor) field.
public enum Activation: String, Hashable, Sendable, Codable, CaseIterable {
    case identity, tanh, sin, sigmoid, softplus, silu, gelu, relu

    /// Applies the activation.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .identity: x
        case .tanh: Fluxion.tanh(x)
        case .sin: Fluxion.sin(x)
        case .sigmoid: Fluxion.sigmoid(x)
        case .softplus: Fluxion.softplus(x)
        case .silu: x * Fluxion.sigmoid(x)
        // The exact GELU, x·Φ(x), as JAX's `gelu(approximate=False)` and PyTorch's default.
        case .gelu: 0.5 * x * (1 + erf(x * 0.7071067811865476))
        // max(x, 0) with derivative 0 at 0, as JAX's relu (not the tie-splitting of `maximum`).
        case .relu: `where`(x .> 0, x, 0)
        }
    }
}
