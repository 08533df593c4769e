import Fluxion

/// Limited-memory BFGS with a strong-Wolfe line search, in float64, over any tree of parameters
/// (through their raveled vector). Deterministic: the same problem gives the same iterates on every
/// run and machine, by one code path.
///
/// Stopping rules, checked after every iteration in this order:
/// - `gradientTolerance`: the largest gradient component is at most this (SciPy's `gtol`);
/// - `functionTolerance`: `(f_prev − f) / max(|f_prev|, |f|, 1) ≤` this (SciPy's `ftol`);
/// - `maxIterations` iterations or `maxEvaluations` function evaluations done;
/// - the line search finds no step satisfying the Wolfe conditions (the result says so; the
///   parameters are the best found), or the function becomes NaN along the search;
/// - the callback returns `false`.
///
/// ```swift
/// let result = LBFGS().minimize(loss, from: params)
/// print(result.value, result.iterations, result.stopReason)
/// ```
public struct LBFGS: Sendable {
    /// The number of correction pairs kept.
    public var memory = 10
    public var gradientTolerance = 1e-8
    public var functionTolerance = 2.220446049250313e-09
    public var maxIterations = 15_000
    public var maxEvaluations = 15_000
    /// Sufficient decrease (`c₁`) and curvature (`c₂`) constants of the strong Wolfe conditions
    /// (those of SciPy's L-BFGS-B).
    public var c1 = 1e-3
    public var c2 = 0.9
    /// The most function evaluations one line search may take.
    public var maxLineSearchEvaluations = 25

    public init(memory: Int = 10, gradientTolerance: Double = 1e-8, functionTolerance: Double = 2.220446049250313e-09,
                maxIterations: Int = 15_000, maxEvaluations: Int = 15_000) {
        precondition(memory >= 1, "LBFGS: memory must be at least 1")
        self.memory = memory
        self.gradientTolerance = gradientTolerance
        self.functionTolerance = functionTolerance
        self.maxIterations = maxIterations
        self.maxEvaluations = maxEvaluations
    }

    /// Why the minimization stopped.
    public enum StopReason: String, Sendable, Codable, CaseIterable {
        case gradientTolerance, functionTolerance, maxIterations, maxEvaluations, lineSearchFailed, nonFinite, callback
    }

    /// The progress reported to the callback after every iteration.
    public struct Progress: Sendable {
        public let iteration: Int
        public let evaluations: Int
        public let value: Double
        public let gradientNorm: Double
    }

    /// The outcome of a minimization.
    public struct Result<P: TensorTree> {
        public let parameters: P
        public let value: Double
        /// The largest gradient component at `parameters`.
        public let gradientNorm: Double
        public let iterations: Int
        public let evaluations: Int
        public let stopReason: StopReason
    }

    /// Minimizes a scalar function of a tree from `start`. The value and gradient are computed by one
    /// jitted function of the raveled parameters (compiled once).
    public func minimize<P: TensorTree>(_ f: @escaping (P) -> Tensor, from start: P,
                                        callback: ((Progress) -> Bool)? = nil) -> Result<P> {
        let (vector, unravel) = start.raveled()
        let evaluate = jit { (v: Tensor) in valueAndGrad { (u: Tensor) in f(unravel(u)).cast(to: .float64) }(v) }
        return minimize(raveled: vector, unravel: unravel, callback: callback) { evaluate($0) }
    }

    /// Minimizes a function given by its value and gradient at a tree (a gradient shaped like the
    /// tree): for a function computed in pieces, such as a sum over blocks of data evaluated
    /// concurrently (`concurrentMap`), which one jitted function cannot express. The algorithm and
    /// its stopping rules are those of ``minimize(_:from:callback:)``.
    public func minimize<P: TensorTree>(valueAndGradient: @escaping (P) -> (Tensor, P), from start: P,
                                        callback: ((Progress) -> Bool)? = nil) -> Result<P> {
        let (vector, unravel) = start.raveled()
        return minimize(raveled: vector, unravel: unravel, callback: callback) { v in
            let (value, gradient) = valueAndGradient(unravel(v))
            return (value.cast(to: .float64), gradient.raveled().vector.cast(to: .float64))
        }
    }

    /// Both forms on the raveled parameters: `evaluate` maps a float64 vector to the value and the
    /// gradient vector.
    private func minimize<P: TensorTree>(raveled vector: Tensor, unravel: @escaping (Tensor) -> P,
                                         callback: ((Progress) -> Bool)?,
                                         _ evaluate: @escaping (Tensor) -> (Tensor, Tensor)) -> Result<P> {
        let x0 = vector.cast(to: .float64)
        let shape = x0.shape
        let (x, value, gradient, iterations, evaluations, reason) = minimizeVector(x0.doubles, callback: callback) { x in
            let (v, g) = evaluate(Tensor(x, shape: shape))
            return (v.item, g.doubles)
        }
        return Result(parameters: unravel(Tensor(x, shape: shape).cast(to: vector.dtype)), value: value,
                      gradientNorm: gradient.map(Swift.abs).max() ?? 0, iterations: iterations,
                      evaluations: evaluations, stopReason: reason)
    }

    /// The algorithm on a flat vector, given a function returning value and gradient.
    func minimizeVector(_ start: [Double], callback: ((Progress) -> Bool)?,
                        _ evaluate: ([Double]) -> (Double, [Double]))
        -> (x: [Double], value: Double, gradient: [Double], iterations: Int, evaluations: Int, reason: StopReason) {
        var x = start
        var (f, g) = evaluate(x)
        var evaluations = 1
        guard f.isFinite, g.allSatisfy(\.isFinite) else { return (x, f, g, 0, evaluations, .nonFinite) }
        if infinityNorm(g) <= gradientTolerance { return (x, f, g, 0, evaluations, .gradientTolerance) }
        var history = CorrectionHistory(capacity: memory)
        var iteration = 0
        while true {
            if iteration >= maxIterations { return (x, f, g, iteration, evaluations, .maxIterations) }
            if evaluations >= maxEvaluations { return (x, f, g, iteration, evaluations, .maxEvaluations) }
            var d = history.direction(g)
            var slope = dot(g, d)
            if !(slope < 0) {
                // Not a descent direction (a stale pair): restart from steepest descent.
                history.clear()
                d = g.map { -$0 }
                slope = dot(g, d)
            }
            // The first step of a (re)start has length 1, as SciPy's L-BFGS-B: steepest descent
            // carries no scale of its own.
            let initialStep = history.isEmpty ? 1 / Swift.max(dot(d, d).squareRoot(), 1e-300) : 1
            let search = WolfeLineSearch(c1: c1, c2: c2, maxEvaluations: Swift.min(maxLineSearchEvaluations, maxEvaluations - evaluations))
            let outcome = search.run(x: x, f: f, g: g, direction: d, slope: slope, initialStep: initialStep, evaluate)
            evaluations += outcome.evaluations
            guard let step = outcome.step else {
                return (x, f, g, iteration, evaluations, outcome.nonFinite ? .nonFinite : .lineSearchFailed)
            }
            let s = d.map { step.alpha * $0 }
            let y = zip(step.gradient, g).map { $0 - $1 }
            history.append(s: s, y: y)
            let previous = f
            x = zip(x, s).map { $0 + $1 }
            (f, g) = (step.value, step.gradient)
            iteration += 1
            if let callback, !callback(Progress(iteration: iteration, evaluations: evaluations, value: f,
                                                gradientNorm: infinityNorm(g))) {
                return (x, f, g, iteration, evaluations, .callback)
            }
            if infinityNorm(g) <= gradientTolerance { return (x, f, g, iteration, evaluations, .gradientTolerance) }
            if (previous - f) / Swift.max(Swift.abs(previous), Swift.abs(f), 1) <= functionTolerance {
                return (x, f, g, iteration, evaluations, .functionTolerance)
            }
        }
    }
}

/// The most recent correction pairs `(s, y)` and the two-loop recursion that applies the inverse
/// Hessian approximation they define (Nocedal and Wright, Algorithm 7.4).
struct CorrectionHistory {
    let capacity: Int
    private var pairs: [(s: [Double], y: [Double], rho: Double)] = []

    init(capacity: Int) { self.capacity = capacity }

    var isEmpty: Bool { pairs.isEmpty }
    mutating func clear() { pairs.removeAll() }

    /// Keeps a pair only when its curvature is safely positive, `yᵀs > ε·yᵀy` (as L-BFGS-B; the
    /// Wolfe conditions make `yᵀs > 0`, rounding can make it tiny).
    mutating func append(s: [Double], y: [Double]) {
        let ys = dot(y, s)
        guard ys > Double.ulpOfOne * dot(y, y) else { return }
        if pairs.count == capacity { pairs.removeFirst() }
        pairs.append((s, y, 1 / ys))
    }

    /// `−H g`, with the initial inverse Hessian `γI`, `γ = sᵀy / yᵀy` of the newest pair.
    func direction(_ g: [Double]) -> [Double] {
        var q = g
        var alphas = [Double](repeating: 0, count: pairs.count)
        for i in pairs.indices.reversed() {
            alphas[i] = pairs[i].rho * dot(pairs[i].s, q)
            axpy(-alphas[i], pairs[i].y, &q)
        }
        if let last = pairs.last {
            let gamma = dot(last.s, last.y) / dot(last.y, last.y)
            for i in q.indices { q[i] *= gamma }
        }
        for i in pairs.indices {
            let beta = pairs[i].rho * dot(pairs[i].y, q)
            axpy(alphas[i] - beta, pairs[i].s, &q)
        }
        return q.map { -$0 }
    }
}

func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in a.indices { s += a[i] * b[i] }
    return s
}

func axpy(_ a: Double, _ x: [Double], _ y: inout [Double]) {
    for i in y.indices { y[i] += a * x[i] }
}

func infinityNorm(_ a: [Double]) -> Double { a.reduce(0) { Swift.max($0, Swift.abs($1)) } }
