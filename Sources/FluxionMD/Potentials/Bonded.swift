import Fluxion

/// Harmonic bonds: `E = Σ_b ½ k_b (|x_j − x_i| − r₀_b)²` over listed atom pairs (nearest periodic
/// image). Combine with pair potentials by adding force fields:
/// `ForceField.pairs(wca) + ForceField.energy(bonds.energy(box))`.
public struct HarmonicBonds: TensorTree, Sendable {
    /// `[B, 2]` atom indices (int64).
    public let atoms: Tensor
    /// Per bond or one for all: stiffness `k` and rest length `r₀`.
    public var stiffness: Tensor
    public var length: Tensor

    public init(_ bonds: [(Int, Int)], stiffness: Tensor, length: Tensor) throws(MDError) {
        guard !bonds.isEmpty, bonds.allSatisfy({ $0.0 >= 0 && $0.1 >= 0 && $0.0 != $0.1 }) else {
            throw MDError("bonds: at least one bond between two different, non-negative atom indices is needed")
        }
        for (name, p) in [("stiffness", stiffness), ("length", length)] where !(p.rank == 0 || p.shape == [bonds.count]) {
            throw MDError("bonds: \(name) must be a scalar or one per bond (\(bonds.count)), got shape \(p.shape)")
        }
        self.atoms = Tensor(bonds.flatMap { [Int64($0.0), Int64($0.1)] }, shape: [bonds.count, 2])
        self.stiffness = stiffness
        self.length = length
    }

    public init(_ bonds: [(Int, Int)], stiffness: Double, length: Double) throws(MDError) {
        try self.init(bonds, stiffness: Tensor(stiffness), length: Tensor(length))
    }

    /// The energy in `box` (displacements to the nearest image through the given cell, so the
    /// virial is its derivative like any other energy's).
    public func energy(_ box: SimulationBox) -> EnergyFunction {
        { positions, cell in
            let space = Space(box, cell: cell)
            let d = space.displacement(from: positions.gathering(atoms[.all, 0], alongAxis: 0),
                                       to: positions.gathering(atoms[.all, 1], alongAxis: 0))
            let stretch = sqrt((d * d).sum(alongAxes: [1])) - length
            return (0.5 * stiffness * stretch * stretch).sum()
        }
    }
}

/// Harmonic angles: `E = Σ_a ½ k_a (θ_a − θ₀_a)²`, `θ` the angle at the middle atom `j` of `(i, j, k)`.
public struct HarmonicAngles: TensorTree, Sendable {
    /// `[A, 3]` atom indices `(i, j, k)`, the vertex in the middle (int64).
    public let atoms: Tensor
    public var stiffness: Tensor
    /// The rest angle θ₀ in radians.
    public var angle: Tensor

    public init(_ angles: [(Int, Int, Int)], stiffness: Tensor, angle: Tensor) throws(MDError) {
        guard !angles.isEmpty, angles.allSatisfy({ Set([$0.0, $0.1, $0.2]).count == 3 && min($0.0, $0.1, $0.2) >= 0 }) else {
            throw MDError("angles: at least one angle of three different, non-negative atom indices is needed")
        }
        for (name, p) in [("stiffness", stiffness), ("angle", angle)] where !(p.rank == 0 || p.shape == [angles.count]) {
            throw MDError("angles: \(name) must be a scalar or one per angle (\(angles.count)), got shape \(p.shape)")
        }
        self.atoms = Tensor(angles.flatMap { [Int64($0.0), Int64($0.1), Int64($0.2)] }, shape: [angles.count, 3])
        self.stiffness = stiffness
        self.angle = angle
    }

    public init(_ angles: [(Int, Int, Int)], stiffness: Double, angle: Double) throws(MDError) {
        try self.init(angles, stiffness: Tensor(stiffness), angle: Tensor(angle))
    }

    public func energy(_ box: SimulationBox) -> EnergyFunction {
        { positions, cell in
            let space = Space(box, cell: cell)
            let vertex = positions.gathering(atoms[.all, 1], alongAxis: 0)
            let a = space.displacement(from: vertex, to: positions.gathering(atoms[.all, 0], alongAxis: 0))
            let b = space.displacement(from: vertex, to: positions.gathering(atoms[.all, 2], alongAxis: 0))
            // θ = atan2(|a × b|, a·b): accurate at every angle (acos loses it near 0 and π, and its
            // derivative is infinite there). A straight angle is a cusp of θ: the tiny term under the
            // root makes its force 0 there instead of NaN.
            let cross = Tensor.stack([a[.all, 1] * b[.all, 2] - a[.all, 2] * b[.all, 1],
                                      a[.all, 2] * b[.all, 0] - a[.all, 0] * b[.all, 2],
                                      a[.all, 0] * b[.all, 1] - a[.all, 1] * b[.all, 0]], axis: 1)
            let theta = atan2(sqrt((cross * cross).sum(alongAxes: [1]) + 1e-300), (a * b).sum(alongAxes: [1]))
            let bend = theta - angle
            return (0.5 * stiffness * bend * bend).sum()
        }
    }
}
