/// How a primitive applies to a batch: given inputs of which some carry an extra batch axis (its
/// position in `dims`, nil for an input without one), produce outputs and their batch axes.
/// ``Primitive`` requires it, so a primitive without a batching rule does not compile.
protocol BatchingRules {
    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?])
}

/// Batching helpers shared by the rules.
enum Batching {
    /// The tensor with its batch axis moved to the front; an unbatched tensor gets a broadcast one.
    static func toFront(_ x: Tensor, _ dim: Int?, size: Int) -> Tensor {
        guard let dim else { return x.expandingShape(at: 0).broadcast(to: [size] + x.shape) }
        return dim == 0 ? x : x.movingAxis(dim, to: 0)
    }

    /// The batched tensor with its batch axis moved to the front; an unbatched one unchanged.
    static func frontIfBatched(_ x: Tensor, _ dim: Int?) -> Tensor {
        guard let dim, dim != 0 else { return x }
        return x.movingAxis(dim, to: 0)
    }

    /// Elementwise operands aligned for NumPy broadcasting: batched ones get their batch axis in
    /// front and singleton axes after it up to the largest example rank, unbatched ones are left
    /// alone (they align on the right). The output's batch axis is 0.
    static func alignElementwise(_ inputs: [Tensor], _ dims: [Int?]) -> [Tensor] {
        let exampleRank = zip(inputs, dims).map { $0.rank - ($1 == nil ? 0 : 1) }.max() ?? 0
        return zip(inputs, dims).map { x, d in
            guard d != nil else { return x }
            let front = frontIfBatched(x, d)
            let missing = exampleRank - (x.rank - 1)
            if missing == 0 { return front }
            return front.reshaped(to: [front.shape[0]] + [Int](repeating: 1, count: missing) + Array(front.shape.dropFirst()))
        }
    }

    /// The fallback for primitives with data-dependent per-example behaviour (random streams keyed
    /// per example, user functions): apply the primitive to each example and stack the results.
    static func byLooping<P: Primitive>(_ primitive: P, _ inputs: [Tensor], _ dims: [Int?], size: Int) -> ([Tensor], [Int?]) {
        var perExample: [[Tensor]] = []
        for b in 0..<size {
            let args = zip(inputs, dims).map { x, d in d.map { x.sliced(axis: $0, start: b, end: b + 1).squeezed(axes: [$0]) } ?? x }
            perExample.append(bind(primitive, args))
        }
        let count = perExample.first?.count ?? 0
        return ((0..<count).map { k in Tensor.stack(perExample.map { $0[k] }) }, [Int?](repeating: 0, count: count))
    }
}

/// A primitive that acts independently on each element (or, for ``Select``, each position):
/// batching aligns the operands and applies the primitive once.
protocol ElementwiseBatching: BatchingRules, Primitive {}

extension ElementwiseBatching {
    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        if inputs.count == 1 { return ([bind(self, inputs)[0]], [dims[0]]) }
        return ([bind(self, Batching.alignElementwise(inputs, dims))[0]], [0])
    }
}

/// A primitive whose parameters name axes of its single (first) input: batching moves the batch axis
/// to the front and shifts the parameters by one.
protocol AxisShiftBatching: BatchingRules, Primitive {
    /// The primitive for inputs with one more leading axis.
    func shifted() -> Self
}

extension AxisShiftBatching {
    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        let args = zip(inputs, dims).map { Batching.toFront($0, $1, size: size) }
        let outs = bind(shifted(), args)
        return (outs, outs.map { _ in 0 })
    }
}

/// A primitive that already maps over leading axes (the matrix factorizations and solves act on
/// the last two axes): its parameters need no shift, so batching moves every batch axis to the front,
/// broadcasts unbatched operands, and applies the primitive itself.
protocol LeadingAxesBatching: AxisShiftBatching {}

extension LeadingAxesBatching {
    func shifted() -> Self { self }
}
