import Fluxion
import Foundation

/// NPT: Langevin (BAOAB) for the temperature and stochastic cell rescaling (Bernetti & Bussi 2020)
/// for the pressure, isotropic or anisotropic.
///
/// Isotropic: the log-volume `ε = ln V` follows
/// `dε = −(β_T/τ_p)(P₀ − P) dt + √(2kT β_T/(V τ_p)) dW`, with `P = (2K + tr W)/(3V)` the instantaneous
/// pressure; lengths scale by `e^{dε/3}`, velocities by `e^{−dε/3}`. Anisotropic: each Cartesian
/// direction's log-length `ε_α` follows the same equation with `P_αα` and a third of the rate and
/// of the noise's variance (the cell's rows scale along x, y, z independently; tilts follow).
///
/// Why these drifts (Itô): the stationary density of `ε` is `(1/D) exp ∫(a/D) dε` for drift `a` and
/// diffusion `D = kTβ_T/(Vτ_p)`; with `⟨2K/3⟩ = NkT` at fixed volume this is `V^{N+1} e^{−βP₀V}` in
/// `ε`, i.e. `V^N e^{−βP₀V}` in `V` — the isothermal–isobaric ensemble (for an ideal gas,
/// `⟨V⟩ = (N+1)kT/P₀`, which the tests check). The same argument per direction gives
/// `V^N e^{−βP₀V}` in the box lengths.
///
/// The cell is rescaled once per step, between the drifts and the force evaluation, with the
/// pressure of the step's start; ``MDState/box`` carries the cell.
public struct LangevinNPT: Integrator {
    public let timeStep: Double
    public let temperature: Double
    public let friction: Double
    public let pressure: Double
    /// The isothermal compressibility β_T guessed for the system (only β_T/τ_p matters).
    public let compressibility: Double
    /// The barostat's time scale τ_p.
    public let timeScale: Double
    public let anisotropic: Bool

    public init(timeStep: Double, temperature: Double, pressure: Double, friction: Double = 1, compressibility: Double = 0.1,
                timeScale: Double = 1, anisotropic: Bool = false) throws(MDError) {
        guard timeStep > 0, temperature > 0, friction > 0, compressibility > 0, timeScale > 0,
              [timeStep, temperature, pressure, friction, compressibility, timeScale].allSatisfy(\.isFinite) else {
            throw MDError("NPT: the time step, temperature, friction, compressibility and time scale must be positive and finite")
        }
        self.timeStep = timeStep
        self.temperature = temperature
        self.friction = friction
        self.pressure = pressure
        self.compressibility = compressibility
        self.timeScale = timeScale
        self.anisotropic = anisotropic
    }

    public func step(_ state: MDState, forces: Forces) rethrows -> MDState {
        var s = state
        guard !s.box.isFree else { return try Langevin(unchecked: self).step(s, forces: forces) }
        let half = 0.5 * timeStep
        let d = s.dimension
        // The pressure tensor at the step's start (kinetic part and virial), for the barostat.
        let p = pressureTensor(s).doubles
        let volume = s.box.volume
        s.velocities = s.velocities + half * s.forces / s.masses
        var x = s.positions + half * s.velocities
        let (afterNoise, noiseKey, cellKey) = { () -> (PRNGKey, PRNGKey, PRNGKey) in
            let keys = s.key.split(3)
            return (keys[0], keys[1], keys[2])
        }()
        let c = exp(-friction * timeStep)
        s.velocities = c * s.velocities + sqrt((1 - c * c) * temperature / s.masses) * Random.normal(noiseKey, shape: s.velocities.shape)
        s.key = afterNoise
        x = x + half * s.velocities
        // Cell rescaling.
        let noise = Random.normal(cellKey, shape: [d]).doubles
        let rate = compressibility / timeScale
        var scale = [Double](repeating: 1, count: d)
        if anisotropic {
            for a in 0..<d {
                let de = -(rate / Double(d)) * (pressure - p[a * d + a]) * timeStep
                    + (2 * temperature * rate / (Double(d) * volume) * timeStep).squareRoot() * noise[a]
                scale[a] = exp(de)
            }
        } else {
            let trace = (0..<d).reduce(0) { $0 + p[$1 * d + $1] } / Double(d)
            let de = -rate * (pressure - trace) * timeStep + (2 * temperature * rate / volume * timeStep).squareRoot() * noise[0]
            scale = Array(repeating: exp(de / Double(d)), count: d)
        }
        let deformation = (0..<d).map { r in (0..<d).map { c in r == c ? scale[r] : 0 } }
        s.box = try! s.box.deformed(by: deformation)
        let m = Tensor(scale)
        x = Space(s.box).wrap(x * m)
        s.velocities = s.velocities / m
        return try finishVerlet(s, x, forces)
    }

    /// `K + U + P₀V`: the enthalpy (not conserved: the dynamics is stochastic).
    public func conservedEnergy(_ state: MDState) -> Double { state.totalEnergy.item + pressure * state.box.volume }
}

extension Langevin {
    /// The thermostat part of an NPT integrator (open space has no cell to rescale).
    init(unchecked npt: LangevinNPT) {
        self = try! Langevin(timeStep: npt.timeStep, temperature: npt.temperature, friction: npt.friction)
    }
}
