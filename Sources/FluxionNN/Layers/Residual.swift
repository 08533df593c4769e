import Fluxion

/// A residual block `x + f(x)` around any layer whose output has the input's width.
public struct Residual<Body: Layer>: Layer {
    public var body: Body

    public init(_ body: Body) { self.body = body }

    public func callAsFunction(_ x: Tensor) -> Tensor { x + body(x) }
}

/// Layers applied one after another, each a tree of its own kind: `Sequential(first, second)`.
public struct Sequential<First: Layer, Second: Layer>: Layer {
    public var first: First
    public var second: Second

    public init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { second(first(x)) }
}
