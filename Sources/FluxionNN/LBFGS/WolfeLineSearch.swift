/// A line search for a step `α > 0` along a descent direction `d` satisfying the strong Wolfe
/// conditions: sufficient decrease `φ(α) ≤ φ(0) + c₁ α φ'(0)` and curvature `|φ'(α)| ≤ c₂ |φ'(0)|`
/// (Nocedal and Wright, Algorithms 3.5 and 3.6: bracketing by expansion, then zoom by safeguarded
/// cubic interpolation).
struct WolfeLineSearch {
    let c1: Double
    let c2: Double
    let maxEvaluations: Int

    struct Step {
        let alpha: Double
        let value: Double
        let gradient: [Double]
    }

    struct Outcome {
        let step: Step?
        let evaluations: Int
        /// The search stopped because the function was NaN or infinite along the line.
        let nonFinite: Bool
    }

    /// A point on the line: `α`, `φ(α)` and `φ'(α)`, with the full gradient.
    private struct Point {
        let alpha: Double, value: Double, slope: Double, gradient: [Double]
    }

    func run(x: [Double], f: Double, g: [Double], direction d: [Double], slope: Double, initialStep: Double,
             _ evaluate: ([Double]) -> (Double, [Double])) -> Outcome {
        var evaluations = 0
        var nonFinite = false
        func point(_ alpha: Double) -> Point? {
            guard evaluations < maxEvaluations else { return nil }
            evaluations += 1
            let (v, gradient) = evaluate(zip(x, d).map { $0 + alpha * $1 })
            guard v.isFinite, gradient.allSatisfy(\.isFinite) else { nonFinite = true; return nil }
            return Point(alpha: alpha, value: v, slope: dot(gradient, d), gradient: gradient)
        }
        func done(_ p: Point?) -> Outcome {
            Outcome(step: p.map { Step(alpha: $0.alpha, value: $0.value, gradient: $0.gradient) }, evaluations: evaluations,
                    nonFinite: p == nil && nonFinite)
        }
        let start = Point(alpha: 0, value: f, slope: slope, gradient: g)
        var previous = start
        var alpha = initialStep
        var first = true
        while true {
            guard let current = point(alpha) else {
                // NaN ahead: retreat toward the start rather than give up at once.
                if nonFinite && evaluations < maxEvaluations && alpha > 1e-20 {
                    nonFinite = false
                    alpha = (previous.alpha + alpha) / 2 == previous.alpha ? alpha / 10 : (previous.alpha + alpha) / 2
                    continue
                }
                return done(nil)
            }
            if current.value > f + c1 * current.alpha * slope || (!first && current.value >= previous.value) {
                return done(zoom(previous, current, start, point))
            }
            if Swift.abs(current.slope) <= -c2 * slope { return done(current) }
            if current.slope >= 0 { return done(zoom(current, previous, start, point)) }
            // Still descending: expand the step, at most to 4α, by cubic extrapolation when it helps.
            let next = Self.cubicMinimizer(previous, current) ?? 2 * current.alpha
            previous = current
            alpha = Swift.min(Swift.max(next, 1.1 * current.alpha), 4 * current.alpha)
            first = false
        }
    }

    /// Narrows the bracket `[lo, hi]` (lo: the lower value, satisfying sufficient decrease) until a
    /// point satisfies both conditions.
    private func zoom(_ lo: Point, _ hi: Point, _ start: Point, _ point: (Double) -> Point?) -> Point? {
        var lo = lo, hi = hi
        for _ in 0..<maxEvaluations {
            let (a, b) = (Swift.min(lo.alpha, hi.alpha), Swift.max(lo.alpha, hi.alpha))
            let width = b - a
            guard width > 1e-16 * Swift.max(b, 1) else { return nil }
            // Cubic interpolation, kept away from the ends of the bracket; bisection otherwise.
            var trial = Self.cubicMinimizer(lo, hi) ?? (a + b) / 2
            if !(trial > a + 0.1 * width && trial < b - 0.1 * width) { trial = (a + b) / 2 }
            guard let p = point(trial) else { return nil }
            if p.value > start.value + c1 * p.alpha * start.slope || p.value >= lo.value {
                hi = p
            } else {
                if Swift.abs(p.slope) <= -c2 * start.slope { return p }
                if p.slope * (hi.alpha - lo.alpha) >= 0 { hi = lo }
                lo = p
            }
        }
        return nil
    }

    /// The minimizer of the cubic through two points with their slopes, when it exists.
    private static func cubicMinimizer(_ p: Point, _ q: Point) -> Double? {
        let d1 = p.slope + q.slope - 3 * (p.value - q.value) / (p.alpha - q.alpha)
        let radicand = d1 * d1 - p.slope * q.slope
        guard radicand >= 0, p.alpha != q.alpha else { return nil }
        let d2 = (q.alpha > p.alpha ? 1.0 : -1.0) * radicand.squareRoot()
        let denominator = q.slope - p.slope + 2 * d2
        guard denominator != 0 else { return nil }
        let t = q.alpha - (q.alpha - p.alpha) * (q.slope + d2 - d1) / denominator
        return t.isFinite ? t : nil
    }
}
