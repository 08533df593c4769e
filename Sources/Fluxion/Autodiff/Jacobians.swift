/// Jacobians and Hessians. For a single tensor, `jacfwd(f)(x)` and `jacrev(f)(x)` have shape
/// `f(x).shape + x.shape`. Over trees (as JAX): for a function of a tree returning a tensor, the
/// Jacobian is a tree like the input whose leaves have shape `f(x).shape + leaf.shape`; for a
/// function of a tensor returning a tree, a tree like the output whose leaves have shape
/// `leaf.shape + x.shape`. With two arguments, the derivative is with respect to the first, as
/// `grad`'s.

/// The Jacobian by forward mode: `jvp` along every input direction at once, batched with `vmap`.
/// `jacfwd(f)(x)` has shape `f(x).shape + x.shape`. Best when the input is smaller than the output.
public func jacfwd(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
    { x in
        let n = x.count
        let basis = Tensor.eye(n, dtype: x.dtype.inexact).reshaped(to: [n] + x.shape)
        let columns = vmap({ v in forwardMode({ [f($0[0])] }, at: [x], tangents: [v], transform: "jacfwd").tangents[0] })(basis)
        // [n] + out.shape -> out.shape + x.shape
        let outShape = Array(columns.shape.dropFirst())
        return columns.reshaped(to: [n, outShape.reduce(1, *)]).transposed().reshaped(to: outShape + x.shape)
    }
}

/// The Jacobian by reverse mode: one pullback, applied to every output direction at once with
/// `vmap`. `jacrev(f)(x)` has shape `f(x).shape + x.shape`. Best when the output is smaller.
public func jacrev(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
    { x in
        let (values, pullback) = reverseMode({ [f($0[0])] }, at: [x], transform: "jacrev")
        let y = values[0]
        let m = y.count
        let basis = Tensor.eye(m, dtype: y.dtype).reshaped(to: [m] + y.shape)
        let rows = vmap({ u in pullback([u])[0] })(basis)
        return rows.reshaped(to: y.shape + x.shape)
    }
}

/// The Hessian of a scalar function, forward-over-reverse: `jacfwd(grad(f))`, shape `x.shape + x.shape`.
public func hessian(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
    jacfwd(grad(f))
}

/// The Jacobian of a function of a tree, by forward mode: a tree like `x` whose leaves have shape
/// `f(x).shape + leaf.shape`.
public func jacfwd<T: TensorTree>(_ f: @escaping (T) -> Tensor) -> (T) -> T {
    { x in jacobianOverLeaves(x, jacfwd) { f($0) } }
}

/// The Jacobian of a function of a tree, by reverse mode: a tree like `x` whose leaves have shape
/// `f(x).shape + leaf.shape`.
public func jacrev<T: TensorTree>(_ f: @escaping (T) -> Tensor) -> (T) -> T {
    { x in jacobianOverLeaves(x, jacrev) { f($0) } }
}

/// The Jacobian of a function returning a tree, by forward mode: a tree like `f(x)` whose leaves
/// have shape `leaf.shape + x.shape`.
public func jacfwd<U: TensorTree>(_ f: @escaping (Tensor) -> U) -> (Tensor) -> U {
    { x in jacobianOfLeaves(x, jacfwd, f) }
}

/// The Jacobian of a function returning a tree, by reverse mode: a tree like `f(x)` whose leaves
/// have shape `leaf.shape + x.shape`.
public func jacrev<U: TensorTree>(_ f: @escaping (Tensor) -> U) -> (Tensor) -> U {
    { x in jacobianOfLeaves(x, jacrev, f) }
}

/// `jacfwd` with respect to the first of two arguments (the second is held constant).
public func jacfwd<A: TensorTree, B: TensorTree>(_ f: @escaping (A, B) -> Tensor) -> (A, B) -> A {
    { a, b in jacfwd({ (x: A) in f(x, b) })(a) }
}

/// `jacrev` with respect to the first of two arguments (the second is held constant).
public func jacrev<A: TensorTree, B: TensorTree>(_ f: @escaping (A, B) -> Tensor) -> (A, B) -> A {
    { a, b in jacrev({ (x: A) in f(x, b) })(a) }
}

/// The Hessian of a scalar function of a tree with respect to its raveled leaves (see
/// ``TensorTree/raveled()``): an `[n, n]` matrix, `n` the number of elements of all leaves, in
/// canonical leaf order — the matrix a Newton step or a Laplace approximation needs.
public func hessian<T: TensorTree>(_ f: @escaping (T) -> Tensor) -> (T) -> Tensor {
    { x in
        let (v, unravel) = x.raveled()
        return hessian({ f(unravel($0)) })(v)
    }
}

/// The Hessian with respect to the first argument, a tensor (`x.shape + x.shape`), with the second
/// held constant: `hessian(u)(x, params)` for a network `u(x, params)`.
public func hessian<B: TensorTree>(_ f: @escaping (Tensor, B) -> Tensor) -> (Tensor, B) -> Tensor {
    { x, b in hessian({ (y: Tensor) in f(y, b) })(x) }
}

/// The Jacobian of `f` over the raveled leaves of `x`, split back into one block per leaf.
private func jacobianOverLeaves<T: TensorTree>(_ x: T, _ jacobian: (@escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor,
                                               _ f: @escaping (T) -> Tensor) -> T {
    let (v, unravel) = x.raveled()
    let j = jacobian({ f(unravel($0)) })(v)               // f(x).shape + [n]
    let outShape = Array(j.shape.dropLast())
    let matrix = j.reshaped(to: [-1, v.count])
    var offset = 0
    return x.mapLeaves { leaf in
        defer { offset += leaf.count }
        return matrix[.all, offset..<(offset + leaf.count)].reshaped(to: outShape + leaf.shape).cast(to: leaf.dtype)
    }
}

/// The Jacobian of the raveled leaves of `f(x)`, split back into one block per output leaf.
private func jacobianOfLeaves<U: TensorTree>(_ x: Tensor, _ jacobian: (@escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor,
                                             _ f: @escaping (Tensor) -> U) -> U {
    var output: U?
    let j = jacobian({ y in
        let out = f(y)
        output = out
        return out.raveled().vector
    })(x)                                                   // [m] + x.shape
    guard let output else { shapeFailure("jacobian", "the function was not called") }
    let matrix = j.reshaped(to: [j.shape[0], -1])
    var offset = 0
    return output.replacingLeaves(output.leaves.map { leaf in
        defer { offset += leaf.count }
        return matrix[offset..<(offset + leaf.count)].reshaped(to: leaf.shape + x.shape).cast(to: leaf.dtype)
    })
}
