import Fluxion

/// A learning rate (or any hyperparameter) as a function of the step count, evaluated on a traced
/// scalar so that a jitted training step does not retrace as the step advances. The formulas are
/// Optax's, so a schedule here and there give the same values.
///
/// ```swift
/// let lr: Schedule = .warmupCosineDecay(initial: 0, peak: 1e-3, warmupSteps: 100, decaySteps: 10_000)
/// let fixed: Schedule = 1e-3          // a constant
/// ```
public struct Schedule: Sendable, ExpressibleByFloatLiteral {
    private let value: @Sendable (Tensor) -> Tensor

    /// A schedule from a function of the step (a float64 scalar tensor).
    public init(_ value: @escaping @Sendable (_ step: Tensor) -> Tensor) { self.value = value }

    public init(floatLiteral value: Double) { self = .constant(value) }

    /// The value at `step` (any numeric scalar tensor: the optimizer's int32 count).
    public func callAsFunction(_ step: Tensor) -> Tensor { value(step.cast(to: .float64)) }

    /// The same value at every step.
    public static func constant(_ value: Double) -> Schedule { Schedule { _ in Tensor(value) } }

    /// `initial · rate^((step − begin)/transitionSteps)` (the exponent floored when `staircase`),
    /// `initial` before `begin`, bounded by `end` when given (Optax's `exponential_decay`).
    public static func exponentialDecay(initial: Double, transitionSteps: Int, rate: Double, begin: Int = 0,
                                        staircase: Bool = false, end: Double? = nil) -> Schedule {
        guard transitionSteps > 0, rate != 0 else { return .constant(initial) }
        let begin = Swift.max(begin, 0)
        return Schedule { step in
            let count = step - Double(begin)
            var p = count / Double(transitionSteps)
            if staircase { p = floor(p) }
            var decayed = `where`(count .<= 0, Tensor(initial), initial * pow(Tensor(rate), p))
            if let end { decayed = rate < 1 ? maximum(decayed, Tensor(end)) : minimum(decayed, Tensor(end)) }
            return decayed
        }
    }

    /// Cosine decay from `initial` to `alpha · initial` over `decaySteps`, constant after (Optax's
    /// `cosine_decay_schedule`).
    public static func cosineDecay(initial: Double, decaySteps: Int, alpha: Double = 0, exponent: Double = 1) -> Schedule {
        precondition(decaySteps > 0, "cosineDecay: decaySteps must be positive, got \(decaySteps)")
        return Schedule { step in
            let count = minimum(step, Tensor(Double(decaySteps)))
            let cosine = 0.5 * (1 + cos(Double.pi * count / Double(decaySteps)))
            return initial * ((1 - alpha) * pow(cosine, exponent) + alpha)
        }
    }

    /// `(initial − end)·(1 − t)^power + end`, `t` the fraction of `transitionSteps` done after `begin`
    /// (Optax's `polynomial_schedule`; power 1 is `linear_schedule`, a warm-up).
    public static func polynomial(initial: Double, end: Double, power: Double = 1, transitionSteps: Int,
                                  begin: Int = 0) -> Schedule {
        guard transitionSteps > 0 else { return .constant(initial) }
        let begin = Swift.max(begin, 0)
        return Schedule { step in
            let count = clip(step - Double(begin), min: 0, max: Double(transitionSteps))
            let fraction = 1 - count / Double(transitionSteps)
            return (initial - end) * pow(fraction, power) + end
        }
    }

    /// A linear ramp from `initial` to `end` over `transitionSteps` (Optax's `linear_schedule`).
    public static func linear(initial: Double, end: Double, transitionSteps: Int, begin: Int = 0) -> Schedule {
        polynomial(initial: initial, end: end, power: 1, transitionSteps: transitionSteps, begin: begin)
    }

    /// A linear warm-up from `initial` to `peak` over `warmupSteps`, then cosine decay to `end` at
    /// `decaySteps` (Optax's `warmup_cosine_decay_schedule`).
    public static func warmupCosineDecay(initial: Double, peak: Double, warmupSteps: Int, decaySteps: Int,
                                         end: Double = 0, exponent: Double = 1) -> Schedule {
        .joined([.linear(initial: initial, end: peak, transitionSteps: warmupSteps),
                 .cosineDecay(initial: peak, decaySteps: decaySteps - warmupSteps, alpha: peak == 0 ? 0 : end / peak,
                              exponent: exponent)],
                boundaries: [warmupSteps])
    }

    /// `initial`, multiplied by each scale once the step reaches its boundary (Optax's
    /// `piecewise_constant_schedule`).
    public static func piecewiseConstant(initial: Double, boundariesAndScales: [Int: Double]) -> Schedule {
        precondition(boundariesAndScales.values.allSatisfy { $0 >= 0 }, "piecewiseConstant: scales must be non-negative")
        let sorted = boundariesAndScales.sorted { $0.key < $1.key }
        return Schedule { step in
            var v = Tensor(initial)
            for (boundary, scale) in sorted {
                let indicator = maximum(Tensor(0.0), sign(Double(boundary) - step))
                v = v * indicator + (1 - indicator) * scale * v
            }
            return v
        }
    }

    /// `schedules[0]` until `boundaries[0]`, then `schedules[1]` counted from that boundary, and so on
    /// (Optax's `join_schedules`).
    public static func joined(_ schedules: [Schedule], boundaries: [Int]) -> Schedule {
        precondition(schedules.count == boundaries.count + 1, "joined: one boundary between each two schedules")
        return Schedule { step in
            var output = schedules[0](step)
            for (boundary, schedule) in zip(boundaries, schedules.dropFirst()) {
                output = `where`(step .< Double(boundary), output, schedule(step - Double(boundary)))
            }
            return output
        }
    }
}
