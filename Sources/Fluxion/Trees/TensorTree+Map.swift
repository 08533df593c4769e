/// Maps over the leaves of trees of one structure.
extension TensorTree {
    /// Applies `f` to every leaf.
    public func mapLeaves(_ f: (Tensor) throws -> Tensor) rethrows -> Self {
        let (leaves, structure) = flattened()
        return Self.unflatten(structure, leaves: try leaves.map(f))
    }

    /// Combines the leaves of two trees of the same structure, paired in canonical order. Stops
    /// with a message naming the first place the structures differ.
    public func zipLeaves(_ other: Self, _ f: (Tensor, Tensor) throws -> Tensor) rethrows -> Self {
        try Self.mapLeaves([self, other]) { try f($0[0], $0[1]) }
    }

    /// Combines the leaves of three trees of the same structure (an optimizer's parameters and
    /// two moment estimates, for example).
    public func zipLeaves(_ b: Self, _ c: Self, _ f: (Tensor, Tensor, Tensor) throws -> Tensor) rethrows -> Self {
        try Self.mapLeaves([self, b, c]) { try f($0[0], $0[1], $0[2]) }
    }

    /// Combines the leaves of any number of trees of the same structure: `f` receives the leaves
    /// at one position, one from each tree, in the order of `trees`.
    public static func mapLeaves(_ trees: [Self], _ f: ([Tensor]) throws -> Tensor) rethrows -> Self {
        guard !trees.isEmpty else { shapeFailure("mapLeaves", "needs at least one tree") }
        let flat = trees.map { $0.flattened() }
        for other in flat.dropFirst() { flat[0].structure.requireEqual(other.structure, "mapLeaves") }
        let leaves = try (0..<flat[0].leaves.count).map { i in try f(flat.map { $0.leaves[i] }) }
        return Self.unflatten(flat[0].structure, leaves: leaves)
    }

    /// A tree of the same structure with every tensor zero (same shapes and dtypes).
    public static func zeros(like tree: Self) -> Self { tree.mapLeaves { Tensor.zeros(like: $0) } }

    /// The tree as one flat vector, and the function that maps such a vector back to a tree of
    /// this structure, shapes and dtypes (for L-BFGS, all-reduce, or saving parameters).
    ///
    /// Leaves are raveled in canonical order and cast to their common inexact dtype (float64
    /// unless every leaf is float32 or complex); `unravel` casts back. Both directions are built
    /// from tensor operations, so they can be differentiated and staged.
    ///
    /// ```swift
    /// let (flat, unravel) = params.raveled()
    /// let restored: Params = unravel(flat)
    /// ```
    public func raveled() -> (vector: Tensor, unravel: @Sendable (Tensor) -> Self) {
        let (leaves, structure) = flattened()
        let types = leaves.map { $0.type }
        let dtype = types.dropFirst().reduce(types.first?.dtype.inexact ?? .float64) { DType.promote($0, $1.dtype.inexact) }
        let vector = leaves.isEmpty
            ? Tensor.zeros([0], dtype: dtype)
            : Tensor.concatenate(leaves.map { $0.cast(to: dtype).reshaped(to: [$0.count]) }, axis: 0)
        let total = vector.count
        let unravel: @Sendable (Tensor) -> Self = { v in
            guard v.shape == [total] else {
                shapeFailure("unravel", "expects a vector of shape [\(total)], got \(v.shape)")
            }
            var start = 0
            let parts = types.map { t -> Tensor in
                defer { start += t.count }
                return v[start..<(start + t.count)].reshaped(to: t.shape).cast(to: t.dtype)
            }
            return Self.unflatten(structure, leaves: parts)
        }
        return (vector, unravel)
    }
}
