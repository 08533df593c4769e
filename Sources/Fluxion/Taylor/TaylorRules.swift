/// Taylor mode: the rule family that pushes a truncated Taylor series through a primitive.
///
/// Along a curve `x(t) = x₀ + x₁t + x₂t² + … + x_K t^K` (normalized coefficients: `x_k` is the k-th
/// derivative divided by k!), a primitive's output is `y(t) = y₀ + y₁t + … + y_K t^K + O(t^{K+1})`.
/// The rule computes `y₁ … y_K` from `x₀ … x_K` and `y₀`, in O(K²) operations per element (the
/// recurrences of Griewank & Walther, *Evaluating Derivatives*, ch. 13), instead of the O(2^K) terms
/// of nested first-order differentiation.
///
/// Coefficients carry a leading *direction* axis: extent 1 for a single series, or R when R series
/// (directions) are pushed at once. An extent of 1 broadcasts against R. This is what makes the
/// collapsed forward Laplacian a special case of the same rules: the lower coefficients are carried
/// per direction, the top one as the mean over directions (see ``JetInterpreter``).
///
/// Rules are written with public `Tensor` operations, so `grad`, `vmap`, `jit` and `jet` itself
/// compose with them.
protocol TaylorRules {
    /// The output series of orders 1…K given the input series (nil: no series, a constant), at
    /// `primals` with `outputs`. An output series of nil is a zero series.
    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?]
}

/// The normalized Taylor coefficients of orders 1…K of one tensor. `coefficients[k - 1]` is the
/// coefficient of `t^k`, nil when it is zero; a present coefficient has shape `[R] + shape` (R
/// directions, R = 1 for one series).
///
/// A series made by a linear rule keeps its coefficients stacked on one leading axis as they came
/// out of the batched product, and splits them only when a rule reads them one by one: a chain of
/// linear primitives passes the stack along without copies.
struct TaylorSeries {
    /// The stacked form: present orders, the direction count of each, and the coefficients of those
    /// orders concatenated on axis 0.
    struct Stack {
        let tensor: Tensor
        let orders: [Int]
        let leads: [Int]
    }

    private final class Storage {
        let order: Int
        let stack: Stack?
        var split: [Tensor?]?
        init(order: Int, stack: Stack?, split: [Tensor?]?) {
            self.order = order
            self.stack = stack
            self.split = split
        }
    }

    private let storage: Storage

    init(coefficients: [Tensor?]) {
        storage = Storage(order: coefficients.count, stack: nil, split: coefficients)
    }

    /// A series of `order` from a stack of the given orders (the others zero).
    init(stack: Stack, order: Int) {
        storage = Storage(order: order, stack: stack, split: nil)
    }

    /// The stacked form, when the series was made as one.
    var stack: Stack? { storage.stack }

    /// The coefficients of orders 1…K (nil: zero), split from the stack on first use.
    var coefficients: [Tensor?] {
        if let split = storage.split { return split }
        let stack = storage.stack!
        let parts = stack.orders.count == 1 ? [stack.tensor] : stack.tensor.split(sizes: stack.leads, axis: 0)
        var c = [Tensor?](repeating: nil, count: storage.order)
        for (k, part) in zip(stack.orders, parts) { c[k - 1] = part }
        storage.split = c
        return c
    }

    /// The truncation order K.
    var order: Int { storage.order }

    /// The coefficient of `t^k` (k in 1…K); nil is zero.
    subscript(k: Int) -> Tensor? { coefficients[k - 1] }

    /// The value followed by the coefficients: index k is the coefficient of `t^k`.
    func terms(from value: Tensor) -> [Tensor?] { [value] + coefficients }

    /// The series of the terms at indices 1…K, or nil when all are zero.
    static func from(terms: [Tensor?]) -> TaylorSeries? {
        let c = Array(terms.dropFirst())
        return c.allSatisfy({ $0 == nil }) ? nil : TaylorSeries(coefficients: c)
    }

    /// The direction count of coefficient k (1 when it is zero).
    func lead(_ k: Int) -> Int {
        if let stack = storage.stack, storage.split == nil {
            return stack.orders.firstIndex(of: k).map { stack.leads[$0] } ?? 1
        }
        return self[k]?.shape[0] ?? 1
    }

    /// Whether coefficient k is present (without splitting a stack).
    func has(_ k: Int) -> Bool {
        if let stack = storage.stack, storage.split == nil { return stack.orders.contains(k) }
        return self[k] != nil
    }
}

// MARK: families

extension NonDifferentiable {
    /// Piecewise constant or integer valued: the series of the output is zero.
    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        outputs.map { _ in nil }
    }
}

extension LinearPrimitive {
    /// Linear: the primitive applies to each coefficient, all directions of an order at once (a
    /// product is one GEMM per order; see ``Taylor/perCoefficient(_:primals:outputs:_:)``).
    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        coefficientsThroughForwardRule(primals, series, outputs)
    }
}

/// A primitive that is linear in its inputs' perturbations wherever it is differentiable (`max`,
/// `abs` of reals, `sort`, `where`): its derivative depends on the point only through a choice (which
/// operand is larger, which permutation sorts), so the Taylor coefficients pass through the forward
/// rule one by one, and the higher-order terms vanish.
protocol PiecewiseLinear: Primitive {}

extension PiecewiseLinear {
    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        coefficientsThroughForwardRule(primals, series, outputs)
    }
}

/// A primitive whose Taylor coefficients come from its first-order rule (the matrix factorizations,
/// user `customJVP` rules): see ``Taylor/integratingForwardRule(primals:series:outputs:apply:jvp:)``.
protocol TaylorFromForwardRule: Primitive {}

extension TaylorFromForwardRule {
    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        coefficientsFromForwardRule(primals, series, outputs)
    }
}

extension Primitive {
    /// Each coefficient through the forward rule, which must be linear in the perturbation at this
    /// point (see ``Taylor/perCoefficient(_:primals:outputs:_:)``).
    func coefficientsThroughForwardRule(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        Taylor.perCoefficient(series, primals: primals, outputs: outputs) { jvp(primals, $0, outputs) }
    }

    /// The coefficients integrated from the first-order rule (see
    /// ``Taylor/integratingForwardRule(primals:series:outputs:apply:jvp:)``).
    func coefficientsFromForwardRule(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        Taylor.integratingForwardRule(primals: primals, series: series, outputs: outputs,
                                      apply: { bind(self, $0) }, jvp: { jvp($0, $1, $2) })
    }
}
