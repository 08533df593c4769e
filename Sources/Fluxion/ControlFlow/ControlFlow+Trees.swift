/// The public control-flow functions: over trees of tensors (a struct state, a list, one tensor),
/// flattened onto the primitives' flat lists.

/// `then(operand)` if `predicate` (a bool scalar) holds, else `else(operand)`. Both branches must
/// return trees of the same structure, shapes and dtypes.
///
/// ```swift
/// let y = cond(x.sum() .> 0, x, then: { sin($0) }, else: { exp($0) })
/// ```
public func cond<T: TensorTree, U: TensorTree>(_ predicate: Tensor, _ operand: T, then whenTrue: @escaping (T) -> U,
                                               else whenFalse: @escaping (T) -> U) -> U {
    let (leaves, structure) = operand.flattened()
    let output = OutputStructure()
    let out = flatCond(predicate, leaves,
                       then: { output.flatten(whenTrue(T.unflatten(structure, leaves: $0))) },
                       else: { output.flatten(whenFalse(T.unflatten(structure, leaves: $0))) })
    return U.unflatten(output.structure, leaves: out)
}

/// Applies `body` to the state while `condition` (a bool scalar of the state) holds.
///
/// `maxTrips` bounds the number of iterations: exceeding it stops with an error, and it is what
/// makes reverse-mode differentiation possible when the loop is staged by `jit` (the loop is then
/// differentiated as `maxTrips` masked steps). Eagerly and under `grad` no bound is needed.
///
/// ```swift
/// // Newton's iteration for sqrt(2)
/// let root = whileLoop(Tensor(1.0), maxTrips: 50, condition: { abs($0 * $0 - 2) .> 1e-12 },
///                      body: { 0.5 * ($0 + 2 / $0) })
/// ```
public func whileLoop<T: TensorTree>(_ initial: T, maxTrips: Int? = nil, condition: @escaping (T) -> Tensor,
                                     body: @escaping (T) -> T) -> T {
    let (leaves, structure) = initial.flattened()
    let out = flatWhileLoop(leaves, maxTrips: maxTrips,
                            condition: { condition(T.unflatten(structure, leaves: $0)) },
                            body: { next in
                                let (l, s) = body(T.unflatten(structure, leaves: next)).flattened()
                                structure.requireEqual(s, "whileLoop")
                                return l
                            })
    return T.unflatten(structure, leaves: out)
}

/// Applies `body(i, state)` for `i = 0, 1, …, count - 1` (a static trip count); `i` is an int64
/// scalar tensor.
public func forLoop<T: TensorTree>(_ count: Int, _ initial: T, checkpoint policy: CheckpointPolicy = .none,
                                   body: @escaping (_ i: Tensor, _ state: T) -> T) -> T {
    scan(initial, over: Tensor.arange(count), checkpoint: policy) { carry, i in (body(i, carry), [Tensor]()) }.carry
}

/// A loop over the leading axis of `xs` with a carried state (JAX's `scan`): step `t` maps
/// `(carry, xs[t])` to `(carry', y_t)`; returns the final carry and the `y_t` stacked along a new
/// leading axis. Carry, scanned values and outputs are trees.
///
/// ```swift
/// // cumulative product
/// let (_, prefix) = scan(Tensor(1.0), over: x) { c, x in (c * x, c * x) }
/// ```
///
/// - Parameters:
///   - length: the number of steps, needed only when `xs` has no tensors.
///   - checkpoint: what reverse mode keeps (see ``CheckpointPolicy``).
///   - reverse: run from the last step to the first.
public func scan<C: TensorTree, X: TensorTree, Y: TensorTree>(
    _ initial: C, over xs: X, length: Int? = nil, checkpoint policy: CheckpointPolicy = .none, reverse: Bool = false,
    body: @escaping (_ carry: C, _ x: X) -> (carry: C, y: Y)) -> (carry: C, ys: Y) {
    let (carryLeaves, carryStructure) = initial.flattened()
    let (xLeaves, xStructure) = xs.flattened()
    let output = OutputStructure()
    let (carry, ys) = flatScan(carryLeaves, over: xLeaves, length: length, checkpoint: policy, reverse: reverse) { c, x in
        let (nc, y) = body(C.unflatten(carryStructure, leaves: c), X.unflatten(xStructure, leaves: x))
        let (l, s) = nc.flattened()
        carryStructure.requireEqual(s, "scan")
        return (l, output.flatten(y))
    }
    return (C.unflatten(carryStructure, leaves: carry), Y.unflatten(output.structure, leaves: ys))
}

/// `f`, with its intermediate values recomputed in reverse mode instead of stored.
///
/// ```swift
/// let block = checkpoint { (x: Tensor) in tanh(matmul(w, tanh(matmul(w, x)))) }
/// ```
public func checkpoint<T: TensorTree, U: TensorTree>(_ f: @escaping (T) -> U) -> (T) -> U {
    { x in
        let (leaves, structure) = x.flattened()
        let output = OutputStructure()
        let out = flatCheckpoint { output.flatten(f(T.unflatten(structure, leaves: $0))) }(leaves)
        return U.unflatten(output.structure, leaves: out)
    }
}
