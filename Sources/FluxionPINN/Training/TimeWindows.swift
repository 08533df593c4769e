import Fluxion
import FluxionNN

/// Time marching (sequence-to-sequence training, as in Krishnapriyan et al. 2021 and Wang et al.'s
/// PirateNets): the time interval is cut into `count` equal windows trained one after another, each
/// with Adam then L-BFGS. The first window has the problem's initial condition; window k > 0 starts
/// from the network of window k − 1 and fits, as a loss term named like the initial condition, that
/// network's solution at its end time, at the condition's number of points (drawn by the sampler).
/// A network then has only a short stretch of the evolution to represent, which is what lets a
/// small one follow Allen–Cahn's sharp fronts; the price is that errors of earlier windows carry over.
public struct TimeWindows: Sendable, Equatable {
    public var count: Int
    /// The weight of the initial term in every window (in the first, the problem's initial condition;
    /// when a hard constraint fixed the initial value and removed that term, an added one, zero there).
    public var initialWeight: Double

    /// L-BFGS iterations of the hand-over to the second window when the first had a hard constraint
    /// that fixes the initial value: the later windows' field has another form (`u = N`, or zero
    /// walls times `N`, instead of `u₀ + t·N`), so the network the first window leaves does not give
    /// its solution there; it is first fitted (mean square) to the first window's field, extended
    /// over the second window's points, and trained from there. 0: no hand-over.
    public var handOverIterations: Int

    public init(count: Int, initialWeight: Double = 100, handOverIterations: Int = 1000) {
        self.count = count
        self.initialWeight = initialWeight
        self.handOverIterations = handOverIterations
    }
}

/// Why a problem cannot be trained in time windows.
public enum TimeWindowError: Error, CustomStringConvertible, Equatable {
    case needsTime(problem: String)
    case needsInitialCondition(problem: String)

    public var description: String {
        switch self {
        case let .needsTime(problem): return "problem \(problem): time windows need a time-dependent domain (SpaceTime)"
        case let .needsInitialCondition(problem):
            return "problem \(problem): time windows need an initial condition (a condition .initial, or a hard constraint that fixes the initial value)"
        }
    }
}

extension Problem {
    /// The problem as time windows train it: its `.initial` term weighted `initialWeight`, or one
    /// added (target the hard constraint's value) when a hard constraint fixed the initial value and
    /// removed the problem's own, so that every window has the same loss terms.
    func forTimeWindows(initialWeight: Double) throws(TimeWindowError) -> Problem {
        guard domain is SpaceTime else { throw .needsTime(problem: name) }
        if let i = initialConditionIndex {
            var p = self
            p.conditions[i].weight = initialWeight
            return p
        }
        if let constraint = hardConstraint {
            if case .unchanged = constraint.laterWindows {} else {
                var p = self
                let value = constraint.value
                p.conditions.append(.initial("initial", weight: initialWeight) { point in value(Tensor(point)).item })
                return p
            }
        }
        throw .needsInitialCondition(problem: name)
    }

    /// The index of the initial condition among the conditions.
    var initialConditionIndex: Int? {
        conditions.firstIndex { if case .initial = $0.kind { return true } else { return false } }
    }

    /// Window `k` of `count` of a problem made by ``forTimeWindows(initialWeight:)``: the domain
    /// restricted to `[start + kΔ, start + (k+1)Δ]`; for k > 0 the initial condition becomes
    /// observations at the window's start time (`initialPoints`, `initialValues`, weight
    /// `initialWeight`) and the hard constraint what it leaves in later windows.
    func window(_ k: Int, of count: Int, initialPoints: [[Double]] = [], initialValues: [Double] = [],
                initialWeight: Double = 1) throws -> Problem {
        guard let st = domain as? SpaceTime else { throw TimeWindowError.needsTime(problem: name) }
        let (start, end) = Problem.windowBounds(k, of: count, st)
        var p = self
        p.domain = try SpaceTime(st.space, time: start...end)
        guard k > 0 else { return p }
        guard let i = initialConditionIndex else { throw TimeWindowError.needsInitialCondition(problem: name) }
        p.conditions[i] = .observations(conditions[i].name, points: initialPoints, values: initialValues, weight: initialWeight)
        p.hardConstraint = hardConstraint?.inLaterWindows
        return p
    }

    /// The time interval of window `k` of `count`.
    static func windowBounds(_ k: Int, of count: Int, _ st: SpaceTime) -> (start: Double, end: Double) {
        let length = st.end - st.start
        return (st.start + length * Double(k) / Double(count), k + 1 == count ? st.end : st.start + length * Double(k + 1) / Double(count))
    }

    /// The window a time falls in (the later one at a boundary between two; the last at the end).
    static func windowIndex(time t: Double, of count: Int, _ st: SpaceTime) -> Int {
        Swift.max(0, Swift.min(count - 1, Int(((t - st.start) / (st.end - st.start) * Double(count)).rounded(.down))))
    }
}
