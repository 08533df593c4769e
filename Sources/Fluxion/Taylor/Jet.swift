/// Taylor mode (`jet`): derivatives of any order at polynomial cost.

/// Pushes a truncated Taylor series through `f`: given the derivatives of a curve `x(t)` at `t = 0`,
/// returns the derivatives of `f(x(t))` at `t = 0`, up to the same order K.
///
/// `series[k-1]` is the k-th derivative `x⁽ᵏ⁾(0)`, a tree shaped like `x` (the convention of JAX's
/// `jet`: `x(t) = x + Σ_k series[k-1] tᵏ / k!`). The result's `series[k-1]` is `dᵏ/dtᵏ f(x(t))` at 0.
///
/// Each order costs O(K) operations per element more than the previous one — O(K²) in all — where
/// nested first-order derivatives cost O(2^K). `jet` composes with `grad`, `vmap`, `jit` and with
/// itself; its rules cover every primitive, including the matrix factorizations, the FFTs and the
/// control-flow primitives. A `customJVP` rule is respected at every order (see
/// ``customJVP(_:jvp:)``); a `customVJP` function has no forward rule and stops `jet`.
///
/// ```swift
/// // The first four derivatives of tanh at 0.3, in one pass.
/// let x = Tensor(0.3)
/// let (y, ds) = jet({ tanh($0) }, at: x, series: [Tensor(1.0), Tensor(0.0), Tensor(0.0), Tensor(0.0)])
/// // y = tanh(0.3); ds[0] = 1 - tanh²(0.3); ds[1] = tanh''(0.3); …
/// ```
public func jet<T: TensorTree, U: TensorTree>(_ f: (T) throws -> U, at x: T, series: [T]) rethrows
    -> (value: U, series: [U]) {
    let leaves = x.leaves
    let order = series.count
    requireInexact(leaves, "jet")
    var coefficients: [[Tensor?]] = leaves.map { _ in [] }
    for (k, term) in series.enumerated() {
        let termLeaves = term.leaves
        guard termLeaves.count == leaves.count else {
            shapeFailure("jet", "series term \(k + 1) has \(termLeaves.count) leaves, the point has \(leaves.count)")
        }
        let scale = 1 / factorial(k + 1)
        for (i, (leaf, t)) in zip(leaves, termLeaves).enumerated() {
            guard t.shape == leaf.shape else {
                shapeFailure("jet", "series term \(k + 1) of shape \(t.shape) for an input of shape \(leaf.shape)")
            }
            coefficients[i].append((scale * t).expandingShape(at: 0))
        }
    }
    let inputSeries = coefficients.map { order > 0 ? TaylorSeries(coefficients: $0) : nil }
    var structure: U?
    let (values, outSeries) = try taylorMode({ inputs in
        let y = try f(x.replacingLeaves(inputs))
        structure = y
        return y.leaves
    }, at: leaves, series: inputSeries, order: order)
    let shape = structure!
    let terms = stride(from: 1, through: order, by: 1).map { k in
        shape.replacingLeaves(zip(values, outSeries).map { value, s in
            s?[k].map { factorial(k) * $0.squeezed(axes: [0]) } ?? Tensor.zeros(like: value)
        })
    }
    return (shape.replacingLeaves(values), terms)
}

/// `k!` as a Double.
func factorial(_ k: Int) -> Double { (1...Swift.max(k, 1)).reduce(1.0) { $0 * Double($1) } }
