import Fluxion
import Foundation

/// NVE: velocity Verlet (`v += ½dt·F/m; x += dt·v; F(x); v += ½dt·F/m`) — symplectic and time
/// reversible, so the energy error stays bounded (O(dt²)) over long runs.
public struct VelocityVerlet: Integrator {
    public let timeStep: Double

    public init(timeStep: Double) throws(MDError) {
        guard timeStep > 0, timeStep.isFinite else { throw MDError("velocity Verlet: the time step must be positive, got \(timeStep)") }
        self.timeStep = timeStep
    }

    public func step(_ state: MDState, forces: Forces) rethrows -> MDState {
        var s = state
        s.velocities = s.velocities + (0.5 * timeStep) * s.forces / s.masses
        let x = Space(s.box).shift(s.positions, by: timeStep * s.velocities)
        return try finishVerlet(s, x, forces)
    }
}

/// NVT: Langevin dynamics by the BAOAB splitting (Leimkuhler–Matthews): half kick, half drift, the
/// exact Ornstein–Uhlenbeck step `v ← c·v + √((1 − c²)kT/m)·ξ` with `c = e^{−γ dt}`, half drift,
/// forces, half kick. Samples configurations with an error of O(dt²) that is small at large γ.
public struct Langevin: Integrator {
    public let timeStep: Double
    public let temperature: Double
    /// γ, in inverse time units.
    public let friction: Double

    public init(timeStep: Double, temperature: Double, friction: Double = 1) throws(MDError) {
        guard timeStep > 0, timeStep.isFinite, temperature >= 0, temperature.isFinite, friction > 0, friction.isFinite else {
            throw MDError("Langevin: the time step and friction must be positive and the temperature non-negative, got \(timeStep), \(friction), \(temperature)")
        }
        self.timeStep = timeStep
        self.temperature = temperature
        self.friction = friction
    }

    public func step(_ state: MDState, forces: Forces) rethrows -> MDState {
        var s = state
        let space = Space(s.box)
        let half = 0.5 * timeStep
        s.velocities = s.velocities + half * s.forces / s.masses
        var x = space.shift(s.positions, by: half * s.velocities)
        let (next, noiseKey) = s.key.split()
        let c = exp(-friction * timeStep)
        let noise = Random.normal(noiseKey, shape: s.velocities.shape)
        s.velocities = c * s.velocities + sqrt((1 - c * c) * temperature / s.masses) * noise
        s.key = next
        x = space.shift(x, by: half * s.velocities)
        return try finishVerlet(s, x, forces)
    }
}

/// Overdamped (Brownian) dynamics: `x += dt·F/(γm) + √(2kT·dt/(γm))·ξ` (JAX MD's `brownian`).
/// Velocities are set to the drift `F/(γm)`.
public struct Brownian: Integrator {
    public let timeStep: Double
    public let temperature: Double
    public let friction: Double

    public init(timeStep: Double, temperature: Double, friction: Double = 1) throws(MDError) {
        guard timeStep > 0, temperature >= 0, friction > 0, [timeStep, temperature, friction].allSatisfy(\.isFinite) else {
            throw MDError("Brownian: the time step and friction must be positive and the temperature non-negative")
        }
        self.timeStep = timeStep
        self.temperature = temperature
        self.friction = friction
    }

    public func step(_ state: MDState, forces: Forces) rethrows -> MDState {
        var s = state
        let mobility = 1 / (friction * s.masses)
        let (next, noiseKey) = s.key.split()
        let noise = Random.normal(noiseKey, shape: s.positions.shape)
        let x = Space(s.box).shift(s.positions, by: timeStep * mobility * s.forces + sqrt(2 * temperature * timeStep * mobility) * noise)
        s.key = next
        s = s.advanced(to: x, try forces(x, s.box))
        s.velocities = mobility * s.forces
        return s
    }

    /// Brownian dynamics conserves nothing; the potential energy is reported.
    public func conservedEnergy(_ state: MDState) -> Double { state.potentialEnergy.item }
}
