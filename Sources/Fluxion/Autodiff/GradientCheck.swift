/// Which derivative implementations ``checkGrads(_:at:order:modes:epsilon:tolerance:seed:)`` checks.
public enum GradientCheckMode: Sendable, Hashable {
    /// `jvp` against central finite differences.
    case forward
    /// `vjp` through the identity `<v, Jᵀu> = <Jv, u>`, with `Jv` from finite differences.
    case reverse
}

/// A derivative that disagrees with finite differences.
public struct GradientCheckFailure: Error, CustomStringConvertible {
    public let mode: GradientCheckMode
    /// The derivative order at which the disagreement was found (1 = first derivatives).
    public let order: Int
    public let expected: Double
    public let actual: Double
    public var description: String {
        "\(mode) derivative of order \(order) disagrees with finite differences: expected \(expected), got \(actual)"
    }
}

/// Checks the derivatives of `f` at `x` against central finite differences, in float64, along
/// seeded random directions, up to `order`: order 2 also checks the derivatives of the first
/// derivatives (`x ↦ jvp(f, x, v)` and `x ↦ pullback(u)`), and so on, as JAX's `check_grads`.
///
/// - Parameters:
///   - epsilon: the finite-difference step (the truncation error is about `ε² f'''/6`).
///   - tolerance: the allowed `|actual - expected| / (1 + |expected|)`.
/// - Throws: ``GradientCheckFailure`` for the first disagreement.
public func checkGrads(_ f: @escaping ([Tensor]) -> Tensor, at x: [Tensor], order: Int,
                       modes: Set<GradientCheckMode> = [.forward, .reverse],
                       epsilon: Double = 1e-5, tolerance: Double = 1e-6, seed: Int = 0) throws {
    try checkGrads(f, at: x, order: order, depth: 1, modes: modes, epsilon: epsilon, tolerance: tolerance, seed: seed)
}

/// The recursion of the public form: `depth` is the derivative order being checked now.
private func checkGrads(_ f: @escaping ([Tensor]) -> Tensor, at x: [Tensor], order: Int, depth: Int,
                        modes: Set<GradientCheckMode>, epsilon: Double, tolerance: Double, seed: Int) throws {
    guard order >= 1 else { return }
    var key = PRNGKey(seed: seed).foldIn(order)
    func direction(like t: Tensor) -> Tensor {
        let (k1, k2) = key.split()
        key = k2
        let r = Random.normal(k1, shape: t.shape)
        return t.dtype.isComplex ? complex(r, Random.normal(k1.foldIn(1), shape: t.shape)).cast(to: t.dtype) : r.cast(to: t.dtype)
    }
    let v = x.map(direction(like:))
    // Central difference of f along v.
    let plus = f(zip(x, v).map { $0 + $1 * epsilon }), minus = f(zip(x, v).map { $0 - $1 * epsilon })
    let numeric = (plus - minus) / (2 * epsilon)
    let y = f(x)

    if modes.contains(.forward) {
        let (_, tangents) = forwardMode({ [f($0)] }, at: x, tangents: v, transform: "checkGrads")
        try compare(tangents[0], numeric, .forward, depth, tolerance)
    }
    let u = direction(like: y)
    if modes.contains(.reverse) {
        let (_, pullback) = reverseMode({ [f($0)] }, at: x, transform: "checkGrads")
        let w = pullback([u])
        // Bilinear pairing Re Σ a·b: reverse mode is the transpose of forward mode under it.
        let lhs = zip(w, v).map { real(($0 * $1).sum()).item }.reduce(0, +)
        let rhs = real((u * numeric.cast(to: DType.promote(u.dtype, numeric.dtype))).sum()).item
        try compare(Tensor(lhs), Tensor(rhs), .reverse, depth, tolerance)
    }
    if order > 1 {
        if modes.contains(.forward) {
            try checkGrads({ xs in forwardMode({ [f($0)] }, at: xs, tangents: v, transform: "checkGrads").tangents[0] },
                           at: x, order: order - 1, depth: depth + 1, modes: modes, epsilon: epsilon, tolerance: tolerance, seed: seed + 1)
        }
        if modes.contains(.reverse) {
            let count = x.count
            try checkGrads({ xs in
                let w = reverseMode({ [f($0)] }, at: xs, transform: "checkGrads").pullback([u])
                // Several input cotangents are checked together through one scalar pairing each.
                if count == 1 { return w[0] }
                let d = w.reduce(DType.float64) { DType.promote($0, $1.dtype) }
                return Tensor.concatenate(w.map { $0.reshaped(to: [-1]).cast(to: d) })
            }, at: x, order: order - 1, depth: depth + 1, modes: modes, epsilon: epsilon, tolerance: tolerance, seed: seed + 2)
        }
    }
}

/// Checks a function of one tensor; see ``checkGrads(_:at:order:modes:epsilon:tolerance:seed:)``.
public func checkGrads(_ f: @escaping (Tensor) -> Tensor, at x: Tensor, order: Int,
                       modes: Set<GradientCheckMode> = [.forward, .reverse],
                       epsilon: Double = 1e-5, tolerance: Double = 1e-6, seed: Int = 0) throws {
    try checkGrads({ f($0[0]) }, at: [x], order: order, modes: modes, epsilon: epsilon, tolerance: tolerance, seed: seed)
}

private func compare(_ actual: Tensor, _ expected: Tensor, _ mode: GradientCheckMode, _ order: Int, _ tolerance: Double) throws {
    precondition(actual.shape == expected.shape, "checkGrads: derivative of shape \(actual.shape), expected \(expected.shape)")
    let pairs = [(real(actual).doubles, real(expected).doubles), (imag(actual).doubles, imag(expected).doubles)]
    for (a, e) in pairs {
        for i in a.indices where !(Swift.abs(a[i] - e[i]) <= tolerance * (1 + Swift.abs(e[i]))) {
            throw GradientCheckFailure(mode: mode, order: order, expected: e[i], actual: a[i])
        }
    }
}
