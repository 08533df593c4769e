/// Functions with user-given derivative rules: for numerical stability (a composite whose naive
/// derivative overflows), for speed, or for derivatives the primitives cannot express (an implicit
/// function, a linear solve).

/// A function of tensors with its own forward-mode rule. Reverse mode transposes that rule, so one
/// rule serves both modes and every order (the rule must be linear in the tangents, and is written
/// with tensor operations so that it can be differentiated again).
///
/// ```swift
/// // log(1 + exp(x)) with a derivative that stays finite for large x.
/// let softplus = customJVP({ x in log1p(exp(x)) }, jvp: { x, t in (log1p(exp(x)), t * sigmoid(x)) })
/// ```
public func customJVP(_ f: @escaping @Sendable (Tensor) -> Tensor,
                      jvp rule: @escaping @Sendable (_ primal: Tensor, _ tangent: Tensor) -> (value: Tensor, tangent: Tensor))
    -> (Tensor) -> Tensor {
    let call = CustomJVPCall(function: { [f($0[0])] }, rule: { xs, ts in
        let (y, t) = rule(xs[0], ts[0] ?? Tensor.zeros(like: xs[0]))
        return ([y], [t])
    })
    return { x in bind1(call, x) }
}

/// A function with its own reverse-mode rule: `forward` returns the value and the residuals the
/// rule needs; `backward` maps residuals and the output cotangent to the input cotangent.
/// Forward mode is not defined for such a function (use ``customJVP(_:jvp:)`` when it is needed).
///
/// ```swift
/// let clipGradient = customVJP(forward: { x in (x, []) }, backward: { _, ct in clip(ct, min: -1, max: 1) })
/// ```
public func customVJP(forward: @escaping @Sendable (Tensor) -> (value: Tensor, residuals: [Tensor]),
                      backward: @escaping @Sendable (_ residuals: [Tensor], _ cotangent: Tensor) -> Tensor)
    -> (Tensor) -> Tensor {
    let call = CustomVJPCall(forward: { forward($0[0]) }, backward: { r, ct in [backward(r, ct)] })
    return { x in bind1(call, x) }
}

/// Identity of a user rule, so that two uses of the same custom function compare equal.
final class RuleIdentity: Sendable {}

/// A call of a function with a user forward rule.
struct CustomJVPCall: Primitive, TransposedJVP {
    let identity = RuleIdentity()
    let function: @Sendable ([Tensor]) -> [Tensor]
    let rule: @Sendable ([Tensor], [Tensor?]) -> ([Tensor], [Tensor])
    var name: String { "custom_jvp_call" }
    static var checksTypesEagerly: Bool { false }

    static func == (a: Self, b: Self) -> Bool { a.identity === b.identity }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(identity)) }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        function(inputs.map { Tensor.zeros($0.shape, dtype: $0.dtype) }).map(\.type)
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        function(inputs.map { Tensor(array: $0) }).map { $0.concrete(for: name) }
    }

    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        rule(primals, tangents).1
    }

    /// The user's function is opaque here: applied per example.
    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        Batching.byLooping(self, inputs, dims, size: size)
    }
}

/// A call of a function with a user reverse rule. The backward pass runs `forward` again on the
/// recorded inputs to get the residuals (recomputation instead of storage).
struct CustomVJPCall: Primitive {
    let identity = RuleIdentity()
    let forward: @Sendable ([Tensor]) -> (value: Tensor, residuals: [Tensor])
    let backward: @Sendable ([Tensor], Tensor) -> [Tensor]
    var name: String { "custom_vjp_call" }
    static var checksTypesEagerly: Bool { false }

    static func == (a: Self, b: Self) -> Bool { a.identity === b.identity }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(identity)) }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        [forward(inputs.map { Tensor.zeros($0.shape, dtype: $0.dtype) }).value.type]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        [forward(inputs.map { Tensor(array: $0) }).value.concrete(for: name)]
    }

    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        shapeFailure(name, "forward-mode differentiation (jvp, jacfwd, hessian) is not defined for a customVJP function; give it a customJVP rule instead")
    }

    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        guard let ct = cotangents[0] else { return [nil] }
        return backward(forward(primals).residuals, ct)
    }

    /// The user's function is opaque here: applied per example.
    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        Batching.byLooping(self, inputs, dims, size: size)
    }
}
