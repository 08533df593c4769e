import Fluxion
import Foundation

/// The FIRE minimizer (Bitzek et al. 2006, with JAX MD's and ASE's defaults): damped velocity
/// Verlet whose velocity is turned toward the force, `v ← (1 − α)v + α|v|F̂`; while the power
/// `F·v` stays positive the step grows (×`growth` up to `maximumTimeStep`) and α decays (×`alphaDecay`);
/// when it turns negative the velocity is zeroed, the step shrinks (×`shrink`) and α resets.
/// No atom moves more than `maximumDisplacement` in a step (LAMMPS's `dmax`, ASE's `maxstep`): without
/// it a start with overlapping atoms can fling them apart before the power turns negative.
/// ``MDState/extended`` holds `[dt, α, steps since the power was last negative]`.
public struct FIRE: Integrator {
    public let timeStep: Double
    public let maximumTimeStep: Double
    public var maximumDisplacement = 0.1
    public var minimumPositiveSteps = 5
    public var growth = 1.1, shrink = 0.5, alphaStart = 0.1, alphaDecay = 0.99

    public init(timeStep: Double = 0.1, maximumTimeStep: Double = 0.4) throws(MDError) {
        guard timeStep > 0, maximumTimeStep >= timeStep, maximumTimeStep.isFinite else {
            throw MDError("FIRE: the time steps must be positive with the maximum at least the start, got \(timeStep) and \(maximumTimeStep)")
        }
        self.timeStep = timeStep
        self.maximumTimeStep = maximumTimeStep
    }

    /// `[dt, α, steps since the power was last negative]` at the start.
    public var initialExtended: Tensor { Tensor([timeStep, alphaStart, 0]) }

    /// Starts at rest, whatever the velocities given.
    public func initialize(positions: Tensor, velocities: Tensor, masses: Tensor, box: SimulationBox, key: PRNGKey,
                           forces: Forces) rethrows -> MDState {
        try startingState(positions: positions, velocities: Tensor.zeros(like: positions), masses: masses, box: box, key: key,
                          forces: forces)
    }

    public func step(_ state: MDState, forces: Forces) rethrows -> MDState {
        var s = state
        // A state from another integrator starts FIRE afresh (and at rest).
        let fresh = s.extended.shape != [3]
        if fresh { s.velocities = Tensor.zeros(like: s.velocities) }
        let e = fresh ? [timeStep, alphaStart, 0] : s.extended.doubles
        var (dt, alpha, positive) = (e[0], e[1], e[2])
        var dx = dt * s.velocities + (0.5 * dt * dt) * s.forces / s.masses
        let largest = sqrt((dx * dx).sum(alongAxes: [1]).max()).item
        if largest > maximumDisplacement { dx = dx * (maximumDisplacement / largest) }
        let x = Space(s.box).shift(s.positions, by: dx)
        let f = try forces(x, s.box)
        var v = s.velocities + (0.5 * dt) * (s.forces + f.forces) / s.masses
        let power = (f.forces * v).sum().item
        let forceNorm = sqrt((f.forces * f.forces).sum()).item, speed = sqrt((v * v).sum()).item
        v = (1 - alpha) * v + (alpha * speed / max(forceNorm, .leastNormalMagnitude)) * f.forces
        if power > 0 {
            positive += 1
            if positive > Double(minimumPositiveSteps) {
                dt = min(dt * growth, maximumTimeStep)
                alpha *= alphaDecay
            }
        } else {
            positive = 0
            dt *= shrink
            alpha = alphaStart
            v = Tensor.zeros(like: v)
        }
        s = s.advanced(to: x, f)
        s.velocities = v
        s.extended = Tensor([dt, alpha, positive])
        return s
    }

    public func conservedEnergy(_ state: MDState) -> Double { state.potentialEnergy.item }
}

/// Steepest descent with a fixed step: `x ← x + step·F`.
public struct GradientDescent: Integrator {
    public let timeStep: Double

    public init(step: Double) throws(MDError) {
        guard step > 0, step.isFinite else { throw MDError("gradient descent: the step must be positive, got \(step)") }
        self.timeStep = step
    }

    public func step(_ state: MDState, forces: Forces) rethrows -> MDState {
        let x = Space(state.box).shift(state.positions, by: timeStep * state.forces)
        return state.advanced(to: x, try forces(x, state.box))
    }

    public func conservedEnergy(_ state: MDState) -> Double { state.potentialEnergy.item }
}

/// Why ``minimize(_:with:forces:forceTolerance:energyTolerance:maximumSteps:)`` stopped.
public enum MinimizationStop: String, Sendable {
    case forceTolerance, energyTolerance, maximumSteps
}

/// Runs a minimizer until the largest force component is below `forceTolerance`, or the relative
/// energy change over a step is below `energyTolerance` (LAMMPS's `etol`; 0 to disable), or
/// `maximumSteps`.
public func minimize<M: Integrator>(_ state: MDState, with minimizer: M, forces: Forces, forceTolerance: Double = 1e-8,
                                    energyTolerance: Double = 0, maximumSteps: Int = 100_000) throws -> (MDState, MinimizationStop) {
    var s = state
    var previous = s.potentialEnergy.item
    for _ in 0..<maximumSteps {
        if (abs(s.forces).max().item) < forceTolerance { return (s, .forceTolerance) }
        s = try minimizer.step(s, forces: forces)
        let energy = s.potentialEnergy.item
        if energyTolerance > 0, abs(energy - previous) <= energyTolerance * 0.5 * (abs(energy) + abs(previous) + 1e-300) {
            return (s, .energyTolerance)
        }
        previous = energy
    }
    return (s, .maximumSteps)
}
