/// Differential operators built on Taylor mode: higher derivatives along a direction, the forward
/// Laplacian, the Hessian diagonal, the divergence, mixed partials, the biharmonic operator and
/// randomized Laplacians for high dimensions. Each is one pass (or a few) of ``jet`` with several
/// directions pushed together, and composes with `grad`, `vmap` and `jit`.

/// `x` as a tensor of unit directions `[n] + x.shape`, one per element.
private func unitDirections(_ x: Tensor) -> Tensor {
    let n = x.shape.reduce(1, *)
    return Tensor.eye(n, dtype: x.dtype).reshaped(to: [n] + x.shape)
}

/// Pushes the directions `[R] + x.shape` through `f` as R series `x + t v_r` of order `order`:
/// the value and, for each order k, the normalized coefficient `[R] + y.shape` (`[1] + y.shape`, the
/// mean over directions, for the top order when `collapsesTop`).
private func directionalTerms(_ f: (Tensor) throws -> Tensor, at x: Tensor, directions: Tensor, order: Int,
                              collapsesTop: Bool = false, transform: String) rethrows -> (value: Tensor, terms: [Tensor]) {
    requireInexact([x], transform)
    guard directions.rank == x.rank + 1, Array(directions.shape.dropFirst()) == x.shape else {
        shapeFailure(transform, "directions of shape \(directions.shape) for a point of shape \(x.shape)")
    }
    let seed = TaylorSeries(coefficients: [directions.cast(to: x.dtype)] + [Tensor?](repeating: nil, count: order - 1))
    let (values, series) = try taylorMode({ [try f($0[0])] }, at: [x], series: [seed], order: order, collapsesTop: collapsesTop)
    let y = values[0], r = directions.shape[0]
    let terms = (1...order).map { k -> Tensor in
        let lead = collapsesTop && k == order ? 1 : r
        guard let c = series[0]?[k] else { return Tensor.zeros([lead] + y.shape, dtype: y.dtype) }
        return c.shape[0] == lead ? c : c.broadcast(to: [lead] + y.shape)
    }
    return (y, terms)
}

/// A per-direction coefficient `[n] + y.shape` arranged as `y.shape + x.shape` (the layout of
/// ``jacfwd(_:)``).
private func arrangedLikeJacobian(_ c: Tensor, point x: Tensor) -> Tensor {
    let moved = c.rank > 1 ? c.movingAxis(0, to: c.rank - 1) : c
    return moved.reshaped(to: Array(c.shape.dropFirst()) + x.shape)
}

/// The derivatives `dᵏ/dtᵏ f(x + t v)` at `t = 0` for k = 0 … `order` (the value first), in one
/// Taylor-mode pass.
///
/// ```swift
/// let ds = directionalDerivatives({ x in (x * x * x).sum() }, at: Tensor([1.0, 2.0]), along: Tensor([1.0, 0.0]), order: 3)
/// // [9, 3, 6, 6]
/// ```
public func directionalDerivatives<T: TensorTree, U: TensorTree>(_ f: (T) throws -> U, at x: T, along v: T,
                                                                 order: Int) rethrows -> [U] {
    guard order >= 0 else { shapeFailure("directionalDerivatives", "order must be at least 0, got \(order)") }
    let zero = x.replacingLeaves(x.leaves.map { Tensor.zeros(like: $0) })
    let (value, series) = try jet(f, at: x, series: order == 0 ? [] : [v] + Array(repeating: zero, count: order - 1))
    return [value] + series
}

/// The derivatives `dᵏ/dtᵏ f(x + t vᵣ)` at `t = 0` for k = 0 … `order` along R directions at once,
/// `directions` shaped `[R] + x.shape`: the value first (shaped like `f(x)`), then one tensor
/// `[R] + f(x).shape` per order. One Taylor-mode pass carries all directions, so a matrix product
/// runs once over all of them. The PINN residuals are built from this: with `directions` the unit
/// vectors of (x, t), `u_x`, `u_t`, `u_xx`, … are its rows.
///
/// ```swift
/// let p = Tensor([0.3, 0.1])                                   // (x, t)
/// let d = directionalDerivatives({ p in sin(p[0]) * exp(p[1]) }, at: p, alongEach: Tensor.eye(2), order: 2)
/// let (ux, ut, uxx) = (d[1][0], d[1][1], d[2][0])
/// ```
public func directionalDerivatives(_ f: (Tensor) throws -> Tensor, at x: Tensor, alongEach directions: Tensor,
                                   order: Int) rethrows -> [Tensor] {
    guard order >= 1 else { shapeFailure("directionalDerivatives", "order must be at least 1, got \(order)") }
    let (y, terms) = try directionalTerms(f, at: x, directions: directions, order: order, transform: "directionalDerivatives")
    return [y] + terms.enumerated().map { k, c in factorial(k + 1) * c }
}

/// `f, f′, …, f⁽ᴷ⁾` at every element of `x`, for a function applied elementwise (in general, the
/// derivatives along the all-ones direction), in one Taylor-mode pass: O(K²) per element, where
/// nesting `grad` K times costs O(2^K).
///
/// ```swift
/// let d = derivatives({ x in tanh(x) * sin(x) }, at: Tensor([0.1, 0.5]), order: 8)   // d[8] = 8th derivative
/// ```
public func derivatives(_ f: (Tensor) throws -> Tensor, at x: Tensor, order: Int) rethrows -> [Tensor] {
    try directionalDerivatives(f, at: x, along: Tensor.ones(like: x), order: order)
}

/// The value, gradient and Laplacian of a function at one point.
public struct LaplacianResult: TensorTree {
    /// `f(x)`.
    public var value: Tensor
    /// `∂f/∂x`, shaped `value.shape + x.shape`.
    public var gradient: Tensor
    /// `Σᵢ ∂²f/∂xᵢ²`, shaped like the value.
    public var laplacian: Tensor
}

/// The forward Laplacian (Li et al., 2024): value, gradient and Laplacian of `f` at `x` in one
/// forward pass. The gradient is carried per input direction and the second-order part as one
/// collapsed sum (collapsed Taylor mode), so a matrix product costs `n + 2` products of the point's
/// size instead of the `2n + 1` of pushing n second-order series separately (and instead of the
/// forward-over-reverse passes of `trace(hessian)`).
///
/// `x` is one point (any shape; its elements are the coordinates); use `vmap` for a batch of points.
///
/// ```swift
/// let r = forwardLaplacian({ x in (x * x).sum() }, at: Tensor([1.0, 2.0, 3.0]))
/// // r.value = 14, r.gradient = [2, 4, 6], r.laplacian = 6
/// ```
public func forwardLaplacian(_ f: (Tensor) throws -> Tensor, at x: Tensor) rethrows -> LaplacianResult {
    let n = x.shape.reduce(1, *)
    let (y, terms) = try directionalTerms(f, at: x, directions: unitDirections(x), order: 2, collapsesTop: true,
                                          transform: "laplacian")
    // terms[1] is the mean over the n directions of y₂ = ½ eᵢᵀ H eᵢ: the Laplacian is 2n times it.
    return LaplacianResult(value: y, gradient: arrangedLikeJacobian(terms[0], point: x),
                           laplacian: (2 * Double(n)) * terms[1].squeezed(axes: [0]))
}

/// The Laplacian `Σᵢ ∂²f/∂xᵢ²` of `f` as a function (the forward Laplacian; see
/// ``forwardLaplacian(_:at:)``).
///
/// ```swift
/// let u = { (x: Tensor) in sin(x[0]) * exp(x[1]) }
/// let residual = laplacian(u)(Tensor([0.3, 0.2]))   // -sin(x)eʸ + sin(x)eʸ = 0
/// ```
public func laplacian(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
    { x in forwardLaplacian(f, at: x).laplacian }
}

/// The diagonal of the Hessian, `∂²f/∂xᵢ²` for each element `xᵢ`, shaped `f(x).shape + x.shape`:
/// n second-order series in one pass.
///
/// ```swift
/// let d = hessianDiagonal { x in (x * x * x).sum() }(Tensor([1.0, 2.0]))   // [6, 12]
/// ```
public func hessianDiagonal(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
    { x in
        let (_, terms) = directionalTerms(f, at: x, directions: unitDirections(x), order: 2, transform: "hessianDiagonal")
        return arrangedLikeJacobian(2 * terms[1], point: x)
    }
}

/// The divergence `Σᵢ ∂fᵢ/∂xᵢ` of a vector field `f` whose output has the shape of its input.
///
/// ```swift
/// let div = divergence { v in v * v }(Tensor([1.0, 2.0, 3.0]))   // 2 + 4 + 6 = 12
/// ```
public func divergence(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
    { x in
        let n = x.shape.reduce(1, *)
        let (y, terms) = directionalTerms(f, at: x, directions: unitDirections(x), order: 1, transform: "divergence")
        guard y.shape == x.shape else {
            shapeFailure("divergence", "the field maps a point of shape \(x.shape) to shape \(y.shape); they must agree")
        }
        return terms[0].reshaped(to: [n, n]).diagonal().sum()
    }
}

/// The mixed partial derivative `∂^|α| f / ∂x₀^α₀ ∂x₁^α₁ …` for the multi-index `orders` (one entry
/// per element of `x`, flattened), by nesting one univariate Taylor series per coordinate: the cost
/// is polynomial, the product of `(αᵢ + 1)²` over the coordinates involved.
///
/// ```swift
/// // ∂⁴u/∂x²∂y² of u = x²y²: 4
/// let d = partialDerivative({ p in p[0] * p[0] * p[1] * p[1] }, orders: [2, 2])(Tensor([0.5, 0.7]))
/// ```
public func partialDerivative(_ f: @escaping (Tensor) -> Tensor, orders: [Int]) -> (Tensor) -> Tensor {
    { x in
        let n = x.shape.reduce(1, *)
        guard orders.count == n, orders.allSatisfy({ $0 >= 0 }) else {
            shapeFailure("partialDerivative", "orders \(orders) must give one non-negative order per element of the point (\(n))")
        }
        var g = f
        for (i, m) in orders.enumerated() where m > 0 {
            let inner = g
            let e = Tensor.eye(n, dtype: x.dtype)[i].reshaped(to: x.shape)
            g = { p in directionalDerivatives(inner, at: p, along: e, order: m)[m] }
        }
        return g(x)
    }
}

/// The biharmonic operator `Δ²f = Σᵢⱼ ∂⁴f/∂xᵢ²∂xⱼ²` in one fourth-order pass of `n²` directions,
/// by polarization: with `D⁴[v]` the fourth derivative along `v`,
/// `Δ²f = (1 − (n−1)/3) Σᵢ D⁴[eᵢ] + (1/6) Σᵢ<ⱼ (D⁴[eᵢ+eⱼ] + D⁴[eᵢ−eⱼ])`.
///
/// ```swift
/// let b = biharmonic { p in (p * p).sum() * (p * p).sum() }(Tensor([0.3, -0.2]))   // 64 in 2-D
/// ```
public func biharmonic(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
    { x in
        let n = x.shape.reduce(1, *)
        var directions: [[Double]] = [], weights: [Double] = []
        for i in 0..<n {
            var e = [Double](repeating: 0, count: n); e[i] = 1
            directions.append(e); weights.append(1 - Double(n - 1) / 3)
        }
        for i in 0..<n { for j in (i + 1)..<n {
            for s in [1.0, -1.0] {
                var e = [Double](repeating: 0, count: n); e[i] = 1; e[j] = s
                directions.append(e); weights.append(1.0 / 6)
            }
        } }
        let v = Tensor(directions.flatMap { $0 }, shape: [directions.count] + x.shape)
        let (y, terms) = directionalTerms(f, at: x, directions: v, order: 4, transform: "biharmonic")
        // D⁴[v] = 4! y₄.
        let w = Tensor(weights.map { 24 * $0 }).reshaped(to: [weights.count] + [Int](repeating: 1, count: y.rank))
        return (w * terms[3]).sum(alongAxes: [0])
    }
}

/// How ``laplacianEstimate(_:at:key:samples:estimator:)`` samples directions.
public enum LaplacianEstimator: Sendable {
    /// Hutchinson's estimator: Rademacher directions `v` (entries ±1), `E[vᵀHv] = tr H`.
    case hutchinson
    /// Sparse random jets (STDE, Shi et al. 2024): unit directions `eᵢ` with `i` uniform, scaled by the
    /// dimension, `E[n eᵢᵀHeᵢ] = tr H`; each sample touches one coordinate.
    case sparse
}

/// An unbiased estimate of the Laplacian of `f` at `x` from `samples` random directions pushed
/// through one collapsed second-order pass: for functions of many variables (10³ to 10⁶), where
/// the exact forward Laplacian's n directions cost too much. The standard error falls as
/// `1/√samples`.
///
/// ```swift
/// let est = laplacianEstimate({ x in (x * x).sum() }, at: Tensor.ones([1000]), key: PRNGKey(seed: 0), samples: 16)
/// ```
public func laplacianEstimate(_ f: (Tensor) throws -> Tensor, at x: Tensor, key: PRNGKey, samples: Int,
                              estimator: LaplacianEstimator = .hutchinson) rethrows -> Tensor {
    guard samples >= 1 else { shapeFailure("laplacianEstimate", "samples must be at least 1, got \(samples)") }
    let n = x.shape.reduce(1, *)
    let directions: Tensor
    let scale: Double
    switch estimator {
    case .hutchinson:
        directions = 2 * Random.bernoulli(key, probability: 0.5, shape: [samples] + x.shape).cast(to: x.dtype) - 1
        scale = 2
    case .sparse:
        let index = Random.integers(key, shape: [samples], low: 0, high: n)
        directions = Tensor.eye(n, dtype: x.dtype).takingAlongAxis(index.reshaped(to: [samples, 1]).broadcast(to: [samples, n]), axis: 0)
            .reshaped(to: [samples] + x.shape)
        scale = 2 * Double(n)
    }
    let (_, terms) = try directionalTerms(f, at: x, directions: directions, order: 2, collapsesTop: true,
                                          transform: "laplacianEstimate")
    return scale * terms[1].squeezed(axes: [0])
}
