/// Shared pieces of the control-flow primitives.

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
