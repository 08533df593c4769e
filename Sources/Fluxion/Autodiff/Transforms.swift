/// Differentiation: forward mode (`jvp`, `jacfwd`), reverse mode (`vjp`, `grad`, `jacrev`), and their
/// compositions to any depth (`grad(grad(f))`, `jacfwd(jacrev(f))`, `jvp` of `grad`).
///
/// Complex numbers follow JAX's convention: reverse mode applies the transpose of the forward map,
/// not its adjoint, so for a real-valued `f` of a complex `z = x + iy` the gradient is
/// `∂f/∂x - i ∂f/∂y` (the conjugate of the direction of steepest ascent).

// MARK: cores on flat lists of tensors

/// Checks that every tensor can carry a derivative.
func requireInexact(_ xs: [Tensor], _ transform: String) {
    for (i, x) in xs.enumerated() where !x.dtype.isInexact {
        shapeFailure(transform, """
            cannot differentiate with respect to an \(x.dtype) tensor (leaf \(i), shape \(x.shape)): \
            only float and complex tensors have derivatives. Cast it with .cast(to: .float64), or close \
            over it as a constant instead of passing it as an argument
            """)
    }
}

/// Reverse mode on flat lists: the outputs and a pullback from output cotangents (nil = zero) to
/// input cotangents.
func reverseMode(_ f: ([Tensor]) throws -> [Tensor], at xs: [Tensor], transform: String) rethrows
    -> (values: [Tensor], pullback: ([Tensor?]) -> [Tensor]) {
    requireInexact(xs, transform)
    let tape = VJPInterpreter(level: newLevel(xs), transformName: transform)
    let inputs = xs.map(tape.newInput)
    let outputs = try TraceStack.$depth.withValue(tape.level) { try f(inputs) }
    let values = outputs.map(tape.primal(of:))
    let pullback: ([Tensor?]) -> [Tensor] = { cotangents in
        precondition(cotangents.count == outputs.count, "\(transform): \(cotangents.count) cotangents for \(outputs.count) outputs")
        var seeds: [Int: Tensor] = [:]
        for (out, ct) in zip(outputs, cotangents) {
            guard let ct, let id = tape.id(of: out) else { continue }
            guard ct.shape == out.shape else {
                shapeFailure(transform, "cotangent of shape \(ct.shape) for an output of shape \(out.shape)")
            }
            let matched = matchingDType(ct, out)
            seeds[id] = seeds[id].map { $0 + matched } ?? matched
        }
        let result = tape.backward(seeds)
        return zip(inputs, xs).map { input, x in tape.id(of: input).flatMap { result[$0] } ?? Tensor.zeros(like: x) }
    }
    return (values, pullback)
}

/// Reverse mode with respect to the arguments at `positions` only; the others are held constant.
/// The pullback gives the cotangents of those arguments, in the order of `positions`.
func reverseMode(_ f: ([Tensor]) -> [Tensor], at xs: [Tensor], positions: [Int], transform: String)
    -> (values: [Tensor], pullback: ([Tensor?]) -> [Tensor]) {
    reverseMode({ chosen in
        var all = xs
        for (p, x) in zip(positions, chosen) { all[p] = x }
        return f(all)
    }, at: positions.map { xs[$0] }, transform: transform)
}

/// Forward mode on flat lists: the outputs and their tangents along `tangents`.
func forwardMode(_ f: ([Tensor]) throws -> [Tensor], at xs: [Tensor], tangents: [Tensor], transform: String) rethrows
    -> (values: [Tensor], tangents: [Tensor]) {
    requireInexact(xs, transform)
    precondition(xs.count == tangents.count, "\(transform): \(tangents.count) tangents for \(xs.count) inputs")
    for (x, t) in zip(xs, tangents) where x.shape != t.shape {
        shapeFailure(transform, "tangent of shape \(t.shape) for an input of shape \(x.shape)")
    }
    let interpreter = JVPInterpreter(level: newLevel(xs + tangents))
    let inputs = zip(xs, tangents).map { interpreter.wrap($0, $1) }
    let outputs = try TraceStack.$depth.withValue(interpreter.level) { try f(inputs) }
    let pairs = outputs.map(interpreter.unwrap)
    return (pairs.map { $0.0 }, pairs.map { $0.1 ?? Tensor.zeros(like: $0.0) })
}

/// Checks that `y` is a real scalar, as `grad` needs.
func requireRealScalar(_ y: Tensor, _ transform: String) {
    guard y.shape.isEmpty else {
        shapeFailure(transform, """
            the function returns a tensor of shape \(y.shape), but \(transform) needs a scalar (shape []). \
            Use jacrev for the Jacobian, or vjp for a vector-Jacobian product
            """)
    }
    guard !y.dtype.isComplex else {
        shapeFailure(transform, "the function returns a \(y.dtype) scalar; \(transform) needs a real one (take real() or abs() first)")
    }
}

// MARK: public transforms

/// The value of `f` at `x` and its directional derivative along `tangent` (forward mode).
///
/// ```swift
/// let (y, dy) = jvp({ x in sin(x) * x }, at: x, tangent: Tensor.ones(like: x))
/// ```
public func jvp<T: TensorTree, U: TensorTree>(_ f: (T) throws -> U, at x: T, tangent: T) rethrows -> (value: U, tangent: U) {
    var shape: U?
    let (values, tangents) = try forwardMode({ leaves in
        let y = try f(x.replacingLeaves(leaves))
        shape = y
        return y.leaves
    }, at: x.leaves, tangents: tangent.leaves, transform: "jvp")
    return (shape!.replacingLeaves(values), shape!.replacingLeaves(tangents))
}

/// The value of `f` at `x` and its pullback: a function from a cotangent of the output to the
/// cotangent of `x` (the vector-Jacobian product). The pullback may be called many times.
///
/// ```swift
/// let (y, pullback) = vjp({ x in x * x }, at: x)
/// let g = pullback(Tensor.ones(like: y))      // 2x
/// ```
public func vjp<T: TensorTree, U: TensorTree>(_ f: (T) throws -> U, at x: T) rethrows -> (value: U, pullback: (U) -> T) {
    var shape: U?
    let (values, pullback) = try reverseMode({ leaves in
        let y = try f(x.replacingLeaves(leaves))
        shape = y
        return y.leaves
    }, at: x.leaves, transform: "vjp")
    let structure = shape!
    return (structure.replacingLeaves(values), { ct in x.replacingLeaves(pullback(ct.leaves)) })
}

/// The value of a scalar function and its gradient, a tree shaped like the argument.
///
/// ```swift
/// let (loss, g) = valueAndGrad { (p: Params) in mse(model(p, x), y) }(params)
/// ```
public func valueAndGrad<T: TensorTree>(_ f: @escaping (T) -> Tensor) -> (T) -> (value: Tensor, gradient: T) {
    { x in
        let (leaves, structure) = x.flattened()
        let (value, grads) = scalarReverseMode({ [f(T.unflatten(structure, leaves: $0))] }, at: leaves)
        return (value, T.unflatten(structure, leaves: grads))
    }
}

/// A throwing form of ``valueAndGrad(_:)-…`` for functions that throw (for example through
/// `Linalg.cholesky`).
public func valueAndGrad<T: TensorTree>(_ f: @escaping (T) throws -> Tensor) -> (T) throws -> (value: Tensor, gradient: T) {
    { x in
        let (leaves, structure) = x.flattened()
        let (value, grads) = try scalarReverseMode({ [try f(T.unflatten(structure, leaves: $0))] }, at: leaves)
        return (value, T.unflatten(structure, leaves: grads))
    }
}

/// The value and the gradient with respect to the first argument of a scalar function of two
/// trees; the second is held constant (data, hyperparameters).
///
/// ```swift
/// let (l, g) = valueAndGrad { (p: Params, batch: Batch) in loss(p, batch) }(params, batch)
/// ```
public func valueAndGrad<T: TensorTree, B: TensorTree>(_ f: @escaping (T, B) -> Tensor) -> (T, B) -> (value: Tensor, gradient: T) {
    { x, b in valueAndGrad { (x: T) in f(x, b) }(x) }
}

/// The value and the gradient with respect to the first argument of a scalar function of three
/// trees; the others are held constant.
public func valueAndGrad<T: TensorTree, B: TensorTree, C: TensorTree>(_ f: @escaping (T, B, C) -> Tensor)
    -> (T, B, C) -> (value: Tensor, gradient: T) {
    { x, b, c in valueAndGrad { (x: T) in f(x, b, c) }(x) }
}

/// The gradient of a real scalar function: `grad(f)(x)` has the shape (or tree structure) of `x`.
/// Compose freely: `grad(grad(f))` is the second derivative.
///
/// ```swift
/// let df = grad { x in (x * x * x).sum() }      // 3x²
/// let d2f = grad { x in df(x).sum() }           // 6x
/// ```
public func grad<T: TensorTree>(_ f: @escaping (T) -> Tensor) -> (T) -> T {
    let vg = valueAndGrad(f)
    return { vg($0).gradient }
}

/// A throwing form of ``grad(_:)-…``.
public func grad<T: TensorTree>(_ f: @escaping (T) throws -> Tensor) -> (T) throws -> T {
    let vg: (T) throws -> (value: Tensor, gradient: T) = valueAndGrad(f)
    return { try vg($0).gradient }
}

/// The gradient with respect to the first argument of a scalar function of two trees; the second
/// is held constant.
public func grad<T: TensorTree, B: TensorTree>(_ f: @escaping (T, B) -> Tensor) -> (T, B) -> T {
    { x, b in valueAndGrad { (x: T) in f(x, b) }(x).gradient }
}

/// The gradient with respect to the first argument of a scalar function of three trees.
public func grad<T: TensorTree, B: TensorTree, C: TensorTree>(_ f: @escaping (T, B, C) -> Tensor) -> (T, B, C) -> T {
    { x, b, c in valueAndGrad { (x: T) in f(x, b, c) }(x).gradient }
}

/// Selects every argument for differentiation: `grad(f, wrt: .all)`.
public struct AllArguments: Sendable {
    /// Every argument.
    public static let all = AllArguments()
}

/// The gradients with respect to every argument of a scalar function of several trees, as a tuple
/// typed like the arguments.
///
/// ```swift
/// let (da, db) = grad({ (a: Tensor, b: Tensor) in (a * b).sum() }, wrt: .all)(a, b)   // (b, a)
/// ```
public func grad<A: TensorTree, B: TensorTree>(_ f: @escaping (A, B) -> Tensor, wrt: AllArguments) -> (A, B) -> (A, B) {
    { a, b in
        let g = grad { (ab: Pair<A, B>) in f(ab.first, ab.second) }(Pair(first: a, second: b))
        return (g.first, g.second)
    }
}

/// The gradients with respect to every argument of a scalar function of three trees.
public func grad<A: TensorTree, B: TensorTree, C: TensorTree>(_ f: @escaping (A, B, C) -> Tensor, wrt: AllArguments)
    -> (A, B, C) -> (A, B, C) {
    { a, b, c in
        let g = grad { (abc: Pair<Pair<A, B>, C>) in f(abc.first.first, abc.first.second, abc.second) }(
            Pair(first: Pair(first: a, second: b), second: c))
        return (g.first.first, g.first.second, g.second)
    }
}

/// Two trees as one, to differentiate with respect to both.
struct Pair<A: TensorTree, B: TensorTree>: TensorTree {
    var first: A
    var second: B
}

/// Reverse mode of a scalar function of flat leaves: its value and gradient.
private func scalarReverseMode(_ f: ([Tensor]) throws -> [Tensor], at xs: [Tensor]) rethrows
    -> (value: Tensor, gradients: [Tensor]) {
    let (values, pullback) = try reverseMode(f, at: xs, transform: "grad")
    requireRealScalar(values[0], "grad")
    return (values[0], pullback([Tensor.ones(like: values[0])]))
}

/// The value of `x`, seen as a constant by every derivative: its derivative is zero.
public func stopGradient(_ x: Tensor) -> Tensor {
    bind1(StopGradient(), x)
}
