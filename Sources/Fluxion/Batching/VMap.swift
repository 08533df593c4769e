/// Vectorizing map: `vmap(f)` applies `f` to every slice of its arguments along a batch axis, as
/// one batched computation rather than a loop.
///
/// ```swift
/// let perExample = vmap(grad(loss), inAxes: (0, nil))   // per-example gradients
/// let norms = vmap({ $0.norm() })(rows)                    // one norm per row
/// ```
///
/// `inAxis` (or each entry of `inAxes`) is the axis of that argument's leaves to map over, or `nil`
/// for an argument shared by every slice. Outputs have the batch axis at `outAxis`. Transforms
/// compose both ways: `vmap(grad(f))`, `grad` of a function that calls `vmap`, `vmap(vmap(f))`.
public func vmap<T: TensorTree, U: TensorTree>(_ f: @escaping (T) -> U, inAxis: Int? = 0, outAxis: Int = 0) -> (T) -> U {
    { x in
        let leaves = x.leaves
        var structure: U?
        let outs = batchedCall(leaves, axes: leaves.map { _ in inAxis }, outAxis: outAxis) { inner in
            let y = f(x.replacingLeaves(inner))
            structure = y
            return y.leaves
        }
        return structure!.replacingLeaves(outs)
    }
}

/// `vmap` of a function returning two trees, such as `valueAndGrad(f)` or a `jvp`: both are batched.
///
/// ```swift
/// let (losses, grads) = vmap(valueAndGrad(loss))(batchOfParams)
/// ```
public func vmap<T: TensorTree, U1: TensorTree, U2: TensorTree>(_ f: @escaping (T) -> (U1, U2), inAxis: Int? = 0,
                                                                 outAxis: Int = 0) -> (T) -> (U1, U2) {
    let mapped = vmap({ (x: T) -> Pair<U1, U2> in
        let (a, b) = f(x)
        return Pair(first: a, second: b)
    }, inAxis: inAxis, outAxis: outAxis)
    return { x in
        let p = mapped(x)
        return (p.first, p.second)
    }
}

/// `vmap` of a function of two trees returning two trees.
public func vmap<A: TensorTree, B: TensorTree, U1: TensorTree, U2: TensorTree>(
    _ f: @escaping (A, B) -> (U1, U2), inAxes: (Int?, Int?) = (0, 0), outAxis: Int = 0) -> (A, B) -> (U1, U2) {
    let mapped = vmap({ (a: A, b: B) -> Pair<U1, U2> in
        let (u, v) = f(a, b)
        return Pair(first: u, second: v)
    }, inAxes: inAxes, outAxis: outAxis)
    return { a, b in
        let p = mapped(a, b)
        return (p.first, p.second)
    }
}

/// `vmap` of a function of two trees, each mapped over its own axis (or shared, with `nil`).
public func vmap<A: TensorTree, B: TensorTree, U: TensorTree>(_ f: @escaping (A, B) -> U, inAxes: (Int?, Int?) = (0, 0),
                                                              outAxis: Int = 0) -> (A, B) -> U {
    { a, b in
        let (la, lb) = (a.leaves, b.leaves)
        var structure: U?
        let outs = batchedCall(la + lb, axes: la.map { _ in inAxes.0 } + lb.map { _ in inAxes.1 }, outAxis: outAxis) { inner in
            let y = f(a.replacingLeaves(Array(inner[..<la.count])), b.replacingLeaves(Array(inner[la.count...])))
            structure = y
            return y.leaves
        }
        return structure!.replacingLeaves(outs)
    }
}

/// `vmap` of a function of three trees.
public func vmap<A: TensorTree, B: TensorTree, C: TensorTree, U: TensorTree>(
    _ f: @escaping (A, B, C) -> U, inAxes: (Int?, Int?, Int?) = (0, 0, 0), outAxis: Int = 0) -> (A, B, C) -> U {
    { a, b, c in
        let (la, lb, lc) = (a.leaves, b.leaves, c.leaves)
        var structure: U?
        let axes = la.map { _ in inAxes.0 } + lb.map { _ in inAxes.1 } + lc.map { _ in inAxes.2 }
        let outs = batchedCall(la + lb + lc, axes: axes, outAxis: outAxis) { inner in
            let y = f(a.replacingLeaves(Array(inner[..<la.count])),
                      b.replacingLeaves(Array(inner[la.count..<(la.count + lb.count)])),
                      c.replacingLeaves(Array(inner[(la.count + lb.count)...])))
            structure = y
            return y.leaves
        }
        return structure!.replacingLeaves(outs)
    }
}

/// `vmap` of a function of four trees.
public func vmap<A: TensorTree, B: TensorTree, C: TensorTree, D: TensorTree, U: TensorTree>(
    _ f: @escaping (A, B, C, D) -> U, inAxes: (Int?, Int?, Int?, Int?) = (0, 0, 0, 0), outAxis: Int = 0) -> (A, B, C, D) -> U {
    let mapped = vmap(f, inAxes: [inAxes.0, inAxes.1, inAxes.2, inAxes.3], outAxis: outAxis)
    return { a, b, c, d in mapped(a, b, c, d) }
}

/// `vmap` of a function of any number of trees: `inAxes` has one entry per argument (`nil` for a
/// shared argument); by default every argument is mapped over axis 0.
///
/// ```swift
/// let residual = vmap(pde, inAxes: [0, 0, nil, nil, nil])   // points, times, parameters, ...
/// let r = residual(x, t, params, nu, source)
/// ```
///
/// (Swift does not yet accept applying the result in the same expression for five or more
/// arguments: bind it to a name first, as above.)
@_disfavoredOverload
public func vmap<each A: TensorTree, U: TensorTree>(_ f: @escaping (repeat each A) -> U, inAxes: [Int?]? = nil,
                                                   outAxis: Int = 0) -> (repeat each A) -> U {
    { (args: repeat each A) -> U in
        let (leaves, structures) = flattenArguments(repeat each args)
        let perArgument = inAxes ?? structures.map { _ in 0 }
        guard perArgument.count == structures.count else {
            shapeFailure("vmap", "inAxes has \(perArgument.count) entries for \(structures.count) arguments")
        }
        let axes = zip(structures, perArgument).flatMap { s, a in [Int?](repeating: a, count: s.leafCount) }
        var structure: U?
        let outs = batchedCall(leaves, axes: axes, outAxis: outAxis) { inner in
            let cursor = LeafCursor(inner, structures)
            let y = f(repeat cursor.next((each A).self))
            structure = y
            return y.leaves
        }
        return structure!.replacingLeaves(outs)
    }
}

/// The core of `vmap` on flat lists of leaves. With `blocking`, a `vmap` that `jit` traces directly
/// on its arguments may become a ``BlockedMap`` (computed by blocks of rows, one per core).
func batchedCall(_ leaves: [Tensor], axes: [Int?], outAxis: Int, blocking: Bool = true,
                 _ f: ([Tensor]) -> [Tensor]) -> [Tensor] {
    var size: Int?
    var normalized: [Int?] = []
    for (x, axis) in zip(leaves, axes) {
        guard let axis else { normalized.append(nil); continue }
        let a = normalizeAxis(axis, rank: x.rank, "vmap")
        if let s = size, s != x.shape[a] {
            shapeFailure("vmap", "the mapped axes have different extents: \(s) and \(x.shape[a]) (shape \(x.shape), axis \(a))")
        }
        size = x.shape[a]
        normalized.append(a)
    }
    guard let size else { shapeFailure("vmap", "no argument is mapped: give at least one an axis in inAxes") }
    if blocking, let outputs = BlockedMap.stage(leaves, axes: normalized, size: size, f) {
        return outputs.map { y in
            let target = normalizeAxis(outAxis, rank: y.rank, "vmap")
            return target == 0 ? y : y.movingAxis(0, to: target)
        }
    }
    let interpreter = BatchInterpreter(level: newLevel(leaves), size: size)
    let inputs = zip(leaves, normalized).map { interpreter.wrap($0, $1) }
    let outputs = TraceStack.$depth.withValue(interpreter.level) { f(inputs) }
    return outputs.map { y in
        let (value, dim) = interpreter.unwrap(y)
        // An output that does not depend on the mapped arguments is the same for every slice.
        let front = Batching.toFront(value, dim, size: size)
        let target = normalizeAxis(outAxis, rank: front.rank, "vmap")
        return target == 0 ? front : front.movingAxis(0, to: target)
    }
}
