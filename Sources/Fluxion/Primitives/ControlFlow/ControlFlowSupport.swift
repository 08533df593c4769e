/// Shared pieces of the control-flow primitives, whose parameters are Swift functions of tensors.

/// A function of tensors held by a control-flow primitive, compared by identity.
struct TensorFunction: @unchecked Sendable, Hashable {
    let identity = RuleIdentity()
    let apply: ([Tensor]) -> [Tensor]

    init(_ apply: @escaping ([Tensor]) -> [Tensor]) { self.apply = apply }

    static func == (a: Self, b: Self) -> Bool { a.identity === b.identity }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(identity)) }

    /// The function mapped by `vmap` over axis 0 of every argument.
    var batched: TensorFunction { TensorFunction { vmap({ (a: [Tensor]) in apply(a) })($0) } }

    /// The output types of the function for inputs of the given types, found by staging it.
    func outputTypes(_ types: [TensorType]) -> [TensorType] { stagedOutputTypes(types, apply) }
}

/// The output types of `f` for inputs of the given types, found by staging it (never by running
/// it on made-up values, where it may not be defined).
func stagedOutputTypes(_ types: [TensorType], _ f: ([Tensor]) -> [Tensor]) -> [TensorType] {
    StagingInterpreter.stage(types, f).outputTypes
}

/// Whether every tensor's value is known now (concrete, or traced by differentiation, which
/// traces real values): then control flow can run as Swift control flow.
func valuesKnown(_ xs: [Tensor]) -> Bool { xs.allSatisfy(\.isConcrete) }

/// `xs` with nil entries replaced by zeros shaped like `like`.
func filledZeros(_ xs: [Tensor?], like: [Tensor]) -> [Tensor] {
    zip(xs, like).map { $0 ?? Tensor.zeros(like: $1) }
}

/// The reverse-mode pullback of `f` at `xs`, for the inexact entries only (integer and bool entries
/// are constants and get zero cotangents).
func pullbackOfInexact(_ f: @escaping ([Tensor]) -> [Tensor], at xs: [Tensor], _ cotangents: [Tensor]) -> [Tensor] {
    let positions = xs.indices.filter { xs[$0].dtype.isInexact }
    let cts = reverseMode(f, at: xs, positions: positions, transform: "grad").pullback(cotangents)
    var result = xs.map { Tensor.zeros(like: $0) }
    for (p, ct) in zip(positions, cts) { result[p] = ct }
    return result
}

/// Splits a list at a count.
func split(_ xs: [Tensor], at k: Int) -> ([Tensor], [Tensor]) { (Array(xs[..<k]), Array(xs[k...])) }
