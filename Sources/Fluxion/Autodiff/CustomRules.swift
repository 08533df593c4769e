/// Functions with user-given derivative rules: for numerical stability (a composite whose naive
/// derivative overflows), for speed, or for derivatives the primitives cannot express (an implicit
/// function, a linear solve).

/// A function of trees with its own forward-mode rule. Reverse mode transposes that rule, so one
/// rule serves both modes and every order (the rule must be linear in the tangents, and is written
/// with tensor operations so that it can be differentiated again).
///
/// ```swift
/// // log(1 + exp(x)) with a derivative that stays finite for large x.
/// let softplus = customJVP({ x in log1p(exp(x)) }, jvp: { x, t in (log1p(exp(x)), t * sigmoid(x)) })
/// ```
public func customJVP<T: TensorTree, U: TensorTree>(
    _ f: @escaping @Sendable (T) -> U,
    jvp rule: @escaping @Sendable (_ primal: T, _ tangent: T) -> (value: U, tangent: U)) -> (T) -> U {
    { x in
        let (leaves, structure) = x.flattened()
        let output = OutputStructure()
        let call = CustomJVPCall(function: { xs in output.flatten(f(T.unflatten(structure, leaves: xs))) }, rule: { xs, ts in
            let primal = T.unflatten(structure, leaves: xs)
            let tangent = T.unflatten(structure, leaves: zip(xs, ts).map { $1 ?? Tensor.zeros(like: $0) })
            let (y, t) = rule(primal, tangent)
            return (output.flatten(y), t.leaves)
        })
        let out = bind(call, leaves)
        return U.unflatten(output.structure, leaves: out)
    }
}

/// ``customJVP(_:jvp:)`` of a function of two trees: the rule gets both primals and both tangents.
///
/// ```swift
/// let hypot = customJVP({ (a: Tensor, b: Tensor) in sqrt(a * a + b * b) },
///                       jvp: { a, b, ta, tb in let r = sqrt(a * a + b * b); return (r, (a * ta + b * tb) / r) })
/// ```
public func customJVP<A: TensorTree, B: TensorTree, U: TensorTree>(
    _ f: @escaping @Sendable (A, B) -> U,
    jvp rule: @escaping @Sendable (_ a: A, _ b: B, _ ta: A, _ tb: B) -> (value: U, tangent: U)) -> (A, B) -> U {
    let paired = customJVP({ (p: Pair<A, B>) in f(p.first, p.second) },
                           jvp: { p, t in rule(p.first, p.second, t.first, t.second) })
    return { a, b in paired(Pair(first: a, second: b)) }
}

/// ``customVJP(forward:backward:)`` of a function of two trees: `backward` returns both cotangents.
public func customVJP<A: TensorTree, B: TensorTree, U: TensorTree>(
    forward: @escaping @Sendable (A, B) -> (value: U, residuals: [Tensor]),
    backward: @escaping @Sendable (_ residuals: [Tensor], _ cotangent: U) -> (A, B)) -> (A, B) -> U {
    let paired = customVJP(forward: { (p: Pair<A, B>) in forward(p.first, p.second) },
                           backward: { r, ct -> Pair<A, B> in
                               let (a, b) = backward(r, ct)
                               return Pair(first: a, second: b)
                           })
    return { a, b in paired(Pair(first: a, second: b)) }
}

/// A function of trees with its own reverse-mode rule: `forward` returns the value and the
/// residuals the rule needs; `backward` maps residuals and the output cotangent to the input
/// cotangent. Forward mode is not defined for such a function (use ``customJVP(_:jvp:)`` when it
/// is needed).
///
/// ```swift
/// let clipGradient = customVJP(forward: { x in (x, []) }, backward: { _, ct in clip(ct, min: -1, max: 1) })
/// ```
public func customVJP<T: TensorTree, U: TensorTree>(
    forward: @escaping @Sendable (T) -> (value: U, residuals: [Tensor]),
    backward: @escaping @Sendable (_ residuals: [Tensor], _ cotangent: U) -> T) -> (T) -> U {
    { x in
        let (leaves, structure) = x.flattened()
        let output = OutputStructure()
        let call = CustomVJPCall(
            forward: { xs in
                let (y, r) = forward(T.unflatten(structure, leaves: xs))
                return (output.flatten(y), r)
            },
            backward: { r, cts in backward(r, U.unflatten(output.structure, leaves: cts)).leaves })
        let out = bind(call, leaves)
        return U.unflatten(output.structure, leaves: out)
    }
}

/// The structure of a custom function's output, noted when the function first runs or is staged
/// (which binding it always does, before its outputs exist).
final class OutputStructure: @unchecked Sendable {
    private(set) var structure = TreeStructure.tensor
    func flatten<U: TensorTree>(_ y: U) -> [Tensor] {
        let (leaves, s) = y.flattened()
        structure = s
        return leaves
    }
}

/// Identity of a user rule, so that two uses of the same custom function compare equal.
final class RuleIdentity: Sendable {}

/// A call of a function with a user forward rule.
struct CustomJVPCall: Primitive, TransposedJVP, TaylorFromForwardRule {
    let identity = RuleIdentity()
    let function: @Sendable ([Tensor]) -> [Tensor]
    let rule: @Sendable ([Tensor], [Tensor?]) -> ([Tensor], [Tensor])
    var name: String { "custom_jvp_call" }
    static var checksTypesEagerly: Bool { false }

    static func == (a: Self, b: Self) -> Bool { a.identity === b.identity }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(identity)) }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        stagedOutputTypes(inputs, function)
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
    let forward: @Sendable ([Tensor]) -> (values: [Tensor], residuals: [Tensor])
    let backward: @Sendable ([Tensor], [Tensor]) -> [Tensor]
    var name: String { "custom_vjp_call" }
    static var checksTypesEagerly: Bool { false }

    static func == (a: Self, b: Self) -> Bool { a.identity === b.identity }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(identity)) }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        stagedOutputTypes(inputs) { forward($0).values }
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        forward(inputs.map { Tensor(array: $0) }).values.map { $0.concrete(for: name) }
    }

    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        shapeFailure(name, "forward-mode differentiation (jvp, jacfwd, hessian) is not defined for a customVJP function; give it a customJVP rule instead")
    }


    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        shapeFailure(name, "Taylor mode (jet, laplacian and the other Taylor operators) is not defined for a customVJP function; give it a customJVP rule instead")
    }

    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        guard cotangents.contains(where: { $0 != nil }) else { return primals.map { _ in nil } }
        return backward(forward(primals).residuals, filledZeros(cotangents, like: outputs))
    }

    /// The user's function is opaque here: applied per example.
    func batch(_ inputs: [Tensor], _ dims: [Int?], size: Int) -> (outputs: [Tensor], dims: [Int?]) {
        Batching.byLooping(self, inputs, dims, size: size)
    }
}
