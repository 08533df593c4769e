import Fluxion

/// An error in a system's definition: a degenerate box, mismatched shapes, a bad parameter.
public struct MDError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A simulation cell: its lattice vectors (the rows of ``vectors``, any orientation, so boxes of
/// every triclinic shape) and which of them are periodic. A point is `s·H` with fractional
/// coordinates `s` and `H` the matrix of rows; the cell holds `0 ≤ s < 1`.
///
/// ```swift
/// let cubic = SimulationBox.cubic(10)
/// let tilted = try SimulationBox(lengths: [10, 10, 10], tilts: (xy: 2, xz: 1, yz: 0))   // LAMMPS's convention
/// let cluster = SimulationBox.free(dimension: 3)                                         // no periodicity
/// ```
public struct SimulationBox: Codable, Equatable, Sendable {
    /// The lattice vectors, one per row (`dimension` rows of `dimension` numbers).
    public let vectors: [[Double]]
    /// Per lattice vector, whether the system repeats along it.
    public let periodic: [Bool]
    /// The inverse of the matrix of rows (maps Cartesian rows to fractional rows).
    public let inverse: [[Double]]

    public var dimension: Int { vectors.count }
    /// True when no direction is periodic: positions are Cartesian and never wrapped.
    public var isFree: Bool { !periodic.contains(true) }

    /// A cell from its lattice vectors (rows); throws for a degenerate (flat or inverted) cell.
    public init(vectors: [[Double]], periodic: [Bool]? = nil) throws(MDError) {
        let d = vectors.count
        guard d == 2 || d == 3, vectors.allSatisfy({ $0.count == d }) else {
            throw MDError("box: the lattice vectors must be 2 rows of 2 or 3 rows of 3 numbers, got \(vectors.map(\.count))")
        }
        guard vectors.joined().allSatisfy(\.isFinite) else { throw MDError("box: the lattice vectors must be finite") }
        let periodic = periodic ?? Array(repeating: true, count: d)
        guard periodic.count == d else { throw MDError("box: \(d) periodicity flags are needed, got \(periodic.count)") }
        let det = SimulationBox.determinant(vectors)
        guard det > 1e-300 else {
            throw MDError("box: the lattice vectors must span a cell of positive volume (right-handed), got volume \(det)")
        }
        self.vectors = vectors
        self.periodic = periodic
        self.inverse = SimulationBox.invert(vectors, det)
    }

    /// A cube of side `length`, periodic in every direction.
    public static func cubic(_ length: Double, dimension: Int = 3) -> SimulationBox {
        // A positive length gives a valid cell; anything else is a programming error.
        precondition(length > 0 && length.isFinite, "SimulationBox.cubic: the side must be positive and finite, got \(length)")
        return try! SimulationBox(lengths: Array(repeating: length, count: dimension))
    }

    /// An orthorhombic (or, with tilts, LAMMPS-style triclinic) periodic cell: `a = (lx, 0, 0)`,
    /// `b = (xy, ly, 0)`, `c = (xz, yz, lz)`.
    public init(lengths: [Double], tilts: (xy: Double, xz: Double, yz: Double) = (0, 0, 0),
                periodic: [Bool]? = nil) throws(MDError) {
        switch lengths.count {
        case 2: try self.init(vectors: [[lengths[0], 0], [tilts.xy, lengths[1]]], periodic: periodic)
        case 3:
            try self.init(vectors: [[lengths[0], 0, 0], [tilts.xy, lengths[1], 0], [tilts.xz, tilts.yz, lengths[2]]],
                          periodic: periodic)
        default: throw MDError("box: 2 or 3 lengths are needed, got \(lengths.count)")
        }
    }

    /// Open space: no periodic direction, positions are Cartesian (the unit cell only names the axes).
    public static func free(dimension: Int = 3) -> SimulationBox {
        try! SimulationBox(vectors: (0..<dimension).map { i in (0..<dimension).map { $0 == i ? 1 : 0 } },
                 periodic: Array(repeating: false, count: dimension))
    }

    /// The cell's volume (area in 2-D).
    public var volume: Double { SimulationBox.determinant(vectors) }

    /// The distances between opposite faces: the largest sphere that fits has diameter `min(widths)`.
    public var widths: [Double] {
        // width_k = V / |area of the face spanned by the other vectors| = 1 / |row k of H⁻ᵀ| = 1 / |column k of H⁻¹|.
        (0..<dimension).map { k in 1 / (0..<dimension).map { inverse[$0][k] * inverse[$0][k] }.reduce(0, +).squareRoot() }
    }

    /// The matrix of rows as a `[d, d]` tensor.
    public var matrix: Tensor { Tensor(vectors.flatMap { $0 }, shape: [dimension, dimension]) }
    /// Its inverse as a `[d, d]` tensor.
    public var inverseMatrix: Tensor { Tensor(inverse.flatMap { $0 }, shape: [dimension, dimension]) }

    /// The cell scaled by `factor` in every direction.
    public func scaled(by factor: Double) throws(MDError) -> SimulationBox {
        try SimulationBox(vectors: vectors.map { $0.map { $0 * factor } }, periodic: periodic)
    }

    /// The cell deformed by `matrix` (rows map as `h ↦ h·matrix`, as positions do).
    public func deformed(by m: [[Double]]) throws(MDError) -> SimulationBox {
        let d = dimension
        return try SimulationBox(vectors: vectors.map { row in (0..<d).map { c in (0..<d).reduce(0) { $0 + row[$1] * m[$1][c] } } },
                       periodic: periodic)
    }

    /// Wraps positions (rows of `d` numbers, flat) into the cell along its periodic directions.
    public func wrap(_ positions: [Double]) -> [Double] {
        if isFree { return positions }
        let d = dimension
        var out = positions
        var s = [Double](repeating: 0, count: d)
        for a in 0..<(positions.count / d) {
            for k in 0..<d { s[k] = (0..<d).reduce(0) { $0 + positions[a * d + $1] * inverse[$1][k] } }
            for k in 0..<d where periodic[k] { s[k] -= s[k].rounded(.down) }
            for c in 0..<d { out[a * d + c] = (0..<d).reduce(0) { $0 + s[$1] * vectors[$1][c] } }
        }
        return out
    }

    static func determinant(_ m: [[Double]]) -> Double {
        if m.count == 2 { return m[0][0] * m[1][1] - m[0][1] * m[1][0] }
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    }

    static func invert(_ m: [[Double]], _ det: Double) -> [[Double]] {
        if m.count == 2 { return [[m[1][1] / det, -m[0][1] / det], [-m[1][0] / det, m[0][0] / det]] }
        // The adjugate over the determinant.
        var r = [[Double]](repeating: [0, 0, 0], count: 3)
        for i in 0..<3 {
            for j in 0..<3 {
                let (i1, i2, j1, j2) = ((j + 1) % 3, (j + 2) % 3, (i + 1) % 3, (i + 2) % 3)
                r[i][j] = (m[i1][j1] * m[i2][j2] - m[i1][j2] * m[i2][j1]) / det
            }
        }
        return r
    }
}
