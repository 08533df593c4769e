import Fluxion
import Foundation

/// NVT: a Nosé–Hoover chain of `chainLength` thermostats (Martyna–Klein–Tuckerman 1992), integrated
/// by the Trotter splitting of Martyna–Tuckerman–Tobias–Klein (1996): a half step of the chain,
/// velocity Verlet, another half step of the chain. The chain variables (`ξ_k`, `v_ξk`) live in
/// ``MDState/extended`` as a `[2, M]` tensor. Deterministic, and it conserves
/// `H = K + U + Σ Q_k v_ξk²/2 + N_f kT ξ₁ + kT Σ_{k≥2} ξ_k` (see ``conservedEnergy(_:)``).
///
/// Thermostat masses: `Q₁ = N_f kT τ²`, `Q_k = kT τ²`, with `τ` the thermostat's time scale.
public struct NoseHooverChain: Integrator {
    public let timeStep: Double
    public let temperature: Double
    /// The chain's time scale τ (LAMMPS's `Tdamp`; about 100 time steps is usual).
    public let timeScale: Double
    public let chainLength: Int

    public init(timeStep: Double, temperature: Double, timeScale: Double? = nil, chainLength: Int = 3) throws(MDError) {
        guard timeStep > 0, temperature > 0, [timeStep, temperature].allSatisfy(\.isFinite), (1...10).contains(chainLength) else {
            throw MDError("Nosé–Hoover chain: the time step and temperature must be positive and the chain 1...10 long")
        }
        let tau = timeScale ?? 100 * timeStep
        guard tau > 0, tau.isFinite else { throw MDError("Nosé–Hoover chain: the time scale must be positive, got \(tau)") }
        self.timeStep = timeStep
        self.temperature = temperature
        self.timeScale = tau
        self.chainLength = chainLength
    }

    func masses(_ dof: Int) -> [Double] {
        let q = temperature * timeScale * timeScale
        return [Double(dof) * q] + Array(repeating: q, count: chainLength - 1)
    }

    /// The chain at rest: `ξ_k = v_ξk = 0`.
    public var initialExtended: Tensor { Tensor.zeros([2, chainLength]) }

    public func step(_ state: MDState, forces: Forces) rethrows -> MDState {
        var s = state
        var (xi, vxi) = chain(s)
        let dof = degreesOfFreedom(atoms: s.atomCount, dimension: s.dimension)
        var scale = halfStep(&xi, &vxi, kinetic: s.kineticEnergy.item, dof: dof)
        s.velocities = s.velocities * scale
        s.velocities = s.velocities + (0.5 * timeStep) * s.forces / s.masses
        let x = Space(s.box).shift(s.positions, by: timeStep * s.velocities)
        s = try finishVerlet(s, x, forces)
        scale = halfStep(&xi, &vxi, kinetic: s.kineticEnergy.item, dof: dof)
        s.velocities = s.velocities * scale
        s.extended = Tensor(xi + vxi, shape: [2, chainLength])
        return s
    }

    /// The chain's variables; a state from another integrator (no chain, or one of another length)
    /// starts the chain at rest.
    func chain(_ s: MDState) -> (xi: [Double], vxi: [Double]) {
        guard s.extended.shape == [2, chainLength] else {
            return (Array(repeating: 0, count: chainLength), Array(repeating: 0, count: chainLength))
        }
        let e = s.extended.doubles
        return (Array(e[0..<chainLength]), Array(e[chainLength...]))
    }

    /// Half a time step of the chain; returns the factor that scales the particle velocities.
    func halfStep(_ xi: inout [Double], _ vxi: inout [Double], kinetic: Double, dof: Int) -> Double {
        let m = chainLength, kT = temperature, q = masses(dof)
        let quarter = timeStep / 4, eighth = timeStep / 8
        var kinetic2 = 2 * kinetic
        func force(_ k: Int) -> Double {
            k == 0 ? (kinetic2 - Double(dof) * kT) / q[0] : (q[k - 1] * vxi[k - 1] * vxi[k - 1] - kT) / q[k]
        }
        // From the end of the chain to its start...
        vxi[m - 1] += quarter * force(m - 1)
        for k in stride(from: m - 2, through: 0, by: -1) {
            let damp = exp(-eighth * vxi[k + 1])
            vxi[k] = (vxi[k] * damp + quarter * force(k)) * damp
        }
        // ...the particles' velocities scale...
        let scale = exp(-0.5 * timeStep * vxi[0])
        kinetic2 *= scale * scale
        for k in 0..<m { xi[k] += 0.5 * timeStep * vxi[k] }
        // ...and back up the chain.
        for k in 0..<(m - 1) {
            let damp = exp(-eighth * vxi[k + 1])
            vxi[k] = (vxi[k] * damp + quarter * force(k)) * damp
        }
        vxi[m - 1] += quarter * force(m - 1)
        return scale
    }

    /// `K + U` plus the chain's energy: conserved by the exact dynamics, so its drift measures the
    /// integration error.
    public func conservedEnergy(_ state: MDState) -> Double {
        let (xi, vxi) = chain(state)
        let dof = degreesOfFreedom(atoms: state.atomCount, dimension: state.dimension)
        let q = masses(dof)
        var h = state.totalEnergy.item
        for k in 0..<chainLength { h += 0.5 * q[k] * vxi[k] * vxi[k] + temperature * (k == 0 ? Double(dof) : 1) * xi[k] }
        return h
    }
}
