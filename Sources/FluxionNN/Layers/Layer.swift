import Fluxion

/// A model part that is a tree of parameters and is called like a function: `layer(x)`. Inputs
/// have features in the last axis (`[features]` or `[batch, features]`).
public protocol Layer: TensorTree {
    func callAsFunction(_ x: Tensor) -> Tensor
}
