import Fluxion

/// How a system measures displacements and moves atoms, as differentiable tensor functions (JAX MD's
/// `space`): ``displacement(from:to:)`` and ``shift(_:by:)``. Positions are `[N, d]` tensors.
///
/// ```swift
/// let space = Space(SimulationBox.cubic(5))
/// let r = space.displacement(from: x[0], to: x[1])     // the minimum image of x₁ − x₀
/// let y = space.shift(x, by: dt * v)                   // moved, and wrapped into the cell
/// ```
///
/// In a periodic cell the displacement is the fractional difference rounded to the nearest image
/// (`Δs − round(Δs)`); in a strongly tilted cell that is not always the shortest image, which is why
/// energies over a ``NeighborList`` use the list's stored images instead (exact in every cell).
public struct Space: Sendable {
    public let box: SimulationBox
    let h: Tensor
    let hInverse: Tensor

    public init(_ box: SimulationBox) {
        self.box = box
        self.h = box.matrix
        self.hInverse = box.inverseMatrix
    }

    /// The space of `box`'s periodicity with the cell given as a tensor — inside an
    /// ``EnergyFunction``, pass its `cell` argument, so the energy's derivative with respect to a
    /// deformation of the cell (the virial) is taken through every displacement.
    public init(_ box: SimulationBox, cell: Tensor) {
        self.box = box
        self.h = cell
        self.hInverse = cellInverse(cell)
    }

    /// Open space (`b − a`, no wrapping).
    public static func free(dimension: Int = 3) -> Space { Space(.free(dimension: dimension)) }

    /// The displacement `b − a` to the nearest periodic image (broadcast over leading axes).
    public func displacement(from a: Tensor, to b: Tensor) -> Tensor {
        if box.isFree { return b - a }
        return nearestImage(matmul(b - a, hInverse))
    }

    /// A fractional difference reduced to the nearest image along the periodic directions, in Cartesian.
    func nearestImage(_ ds: Tensor) -> Tensor {
        // round() has derivative zero: the image choice is piecewise constant, so gradients flow
        // through `ds` only, as they should.
        matmul(ds - round(ds) * periodicMask, h)
    }

    var periodicMask: Tensor { Tensor(box.periodic.map { $0 ? 1.0 : 0.0 }) }

    /// `positions + step`, wrapped back into the cell along periodic directions.
    public func shift(_ positions: Tensor, by step: Tensor) -> Tensor { wrap(positions + step) }

    /// Positions wrapped into the cell (`0 ≤ s < 1` along periodic directions).
    public func wrap(_ positions: Tensor) -> Tensor {
        if box.isFree { return positions }
        let s = matmul(positions, hInverse)
        return matmul(s - floor(s) * periodicMask, h)
    }

    /// All pairwise displacements `x_j − x_i` as an `[N, N, d]` tensor (small systems, tests, brute force).
    public func pairwiseDisplacements(_ positions: Tensor) -> Tensor {
        displacement(from: positions.expandingShape(at: 1), to: positions.expandingShape(at: 0))
    }
}
