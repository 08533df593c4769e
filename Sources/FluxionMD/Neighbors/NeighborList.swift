import Dispatch
import Fluxion
import Foundation

/// The pairs of atoms closer than `cutoff + skin`, each with the periodic image it is seen through,
/// kept until some atom has moved far enough to change which pairs interact.
///
/// Built with a cell list in fractional coordinates: cells at least `cutoff + skin` wide where the
/// cell allows, and a stencil reaching as many cells (and periodic images) as needed where it does
/// not, so a cell smaller than twice the cutoff — even smaller than the cutoff — is exact: an atom
/// sees every image of every neighbor, itself included. Each unordered pair (and image) is stored
/// once ("half list"). Storage grows with the number of pairs: no pair is ever dropped.
///
/// ```swift
/// var list = try NeighborList(positions: x, box: box, cutoff: 2.5, skin: 0.3)
/// let rebuilt = try list.update(x, box: box)        // rebuilds only when needed
/// ```
///
/// Rebuilding is needed once `2·max|Δxᵢ| + (cutoff + skin)·‖H₀⁻¹H − I‖ > skin`, where `Δxᵢ` is
/// the displacement since the last build and `H₀`, `H` the cells then and now: no pair that was
/// farther than `cutoff + skin` apart can then have come within `cutoff`.
public struct NeighborList: Sendable {
    /// The interaction range: pairs within it must be (and are) in the list.
    public let cutoff: Double
    /// The extra margin that lets the list be reused while atoms move.
    public let skin: Double
    /// The cell at the last build.
    public private(set) var box: SimulationBox
    /// Fractional positions at the last build (Cartesian in open space), wrapped into the cell.
    public private(set) var reference: [Double]
    /// Pairs of atom `i` are `neighbors[offsets[i]..<offsets[i+1]]`, with `j ≥ i`.
    public private(set) var offsets: [Int]
    /// Atom `i`'s pairs seen directly (image 0) are `offsets[i]..<directEnd[i]`; those through other
    /// images follow.
    public private(set) var directEnd: [Int] = []
    /// The partner `j` of each pair.
    public private(set) var neighbors: [Int32]
    /// The image of each pair: an index into ``images``.
    public private(set) var imageIndices: [UInt16]
    /// The distinct integer image vectors `n`: pair `(i, j, n)` is `x_j + n·H − x_i`.
    public private(set) var images: [[Int]]
    /// How many times the list has been built.
    public private(set) var buildCount = 0

    public var atomCount: Int { offsets.count - 1 }
    /// The index of the zero image in ``images`` (−1 when no pair is seen directly).
    var zeroImage: Int { images.firstIndex { $0.allSatisfy { $0 == 0 } } ?? -1 }
    public var pairCount: Int { neighbors.count }
    var dimension: Int { box.dimension }

    /// Builds the list for `positions` (`[N, d]`, flat `[Double]` or a tensor) in `box`.
    public init(positions: [Double], box: SimulationBox, cutoff: Double, skin: Double) throws(MDError) {
        guard cutoff > 0, cutoff.isFinite, skin >= 0, skin.isFinite else {
            throw MDError("neighbor list: the cutoff must be positive and the skin non-negative, got \(cutoff) and \(skin)")
        }
        self.cutoff = cutoff
        self.skin = skin
        self.box = box
        self.reference = []
        self.offsets = [0]
        self.neighbors = []
        self.imageIndices = []
        self.images = []
        try build(positions, box: box)
    }

    public init(positions: Tensor, box: SimulationBox, cutoff: Double, skin: Double) throws(MDError) {
        try self.init(positions: positions.doubles, box: box, cutoff: cutoff, skin: skin)
    }

    /// Rebuilds the list if atoms have moved (or the cell has changed) enough; returns whether it did.
    @discardableResult
    public mutating func update(_ positions: [Double], box: SimulationBox) throws(MDError) -> Bool {
        try refresh(positions, box: box).rebuilt
    }

    /// ``update(_:box:)``, returning the positions unwrapped against the (possibly new) reference.
    mutating func updateAndUnwrap(_ positions: [Double], box: SimulationBox) throws(MDError) -> [Double] {
        try refresh(positions, box: box).unwrapped
    }

    /// Checks the positions, rebuilds when the rule above says so, and unwraps against the reference.
    private mutating func refresh(_ positions: [Double], box: SimulationBox) throws(MDError) -> (rebuilt: Bool, unwrapped: [Double]) {
        guard positions.count == reference.count, box.dimension == dimension else {
            throw MDError("neighbor list: built for \(atomCount) atoms in \(dimension)-D, updated with \(positions.count) numbers in \(box.dimension)-D")
        }
        let (u, largest) = try checkedUnwrap(positions, box: box)
        if !exceedsSkin(largestMove: largest, box: box) { return (false, u) }
        try build(positions, box: box)
        return (true, unwrapped(positions, box: box).positions)
    }

    /// Whether ``update(_:box:)`` would rebuild.
    public func needsRebuild(_ positions: [Double], box: SimulationBox) throws(MDError) -> Bool {
        exceedsSkin(largestMove: try checkedUnwrap(positions, box: box).largestMove, box: box)
    }

    /// The rebuild rule: `2·max|Δx| + (cutoff + skin)·‖H₀⁻¹H − I‖ > skin`.
    private func exceedsSkin(largestMove: Double, box: SimulationBox) -> Bool {
        2 * largestMove + (cutoff + skin) * cellChange(box) > skin
    }

    private func checkedUnwrap(_ positions: [Double], box: SimulationBox) throws(MDError) -> (positions: [Double], largestMove: Double) {
        guard positions.allSatisfy(\.isFinite) else { throw MDError("neighbor list: a position is not finite (the simulation has blown up)") }
        return unwrapped(positions, box: box)
    }

    /// `‖H₀⁻¹H − I‖_F`: how much the cell has deformed since the build.
    func cellChange(_ current: SimulationBox) -> Double {
        if current == box { return 0 }
        let d = dimension
        var sum = 0.0
        for r in 0..<d {
            for c in 0..<d {
                let m = (0..<d).reduce(0) { $0 + box.inverse[r][$1] * current.vectors[$1][c] } - (r == c ? 1 : 0)
                sum += m * m
            }
        }
        return sum.squareRoot()
    }

    /// Positions made continuous with the reference (each atom the nearest image of where it was at
    /// the build, in Cartesian coordinates of the current cell), and the largest move since the build.
    public func unwrapped(_ positions: [Double], box current: SimulationBox) -> (positions: [Double], largestMove: Double) {
        let d = dimension, n = atomCount
        var out = [Double](repeating: 0, count: n * d)
        var largest = 0.0
        var s = [Double](repeating: 0, count: d)
        for a in 0..<n {
            for k in 0..<d {
                var v = 0.0
                for c in 0..<d { v += positions[a * d + c] * current.inverse[c][k] }
                var delta = v - reference[a * d + k]
                if current.periodic[k] { delta -= delta.rounded() }
                s[k] = delta
            }
            var move = 0.0
            for c in 0..<d {
                var dx = 0.0, u = 0.0
                for k in 0..<d {
                    dx += s[k] * current.vectors[k][c]
                    u += (reference[a * d + k] + s[k]) * current.vectors[k][c]
                }
                move += dx * dx
                out[a * d + c] = u
            }
            largest = max(largest, move.squareRoot())
        }
        return (out, largest)
    }

    /// The image vectors `n·H` in Cartesian coordinates of `box`, flat, one per entry of ``images``.
    func imageShifts(_ current: SimulationBox) -> [Double] {
        let d = dimension
        var out = [Double](repeating: 0, count: images.count * d)
        for (m, n) in images.enumerated() {
            for c in 0..<d { out[m * d + c] = (0..<d).reduce(0) { $0 + Double(n[$1]) * current.vectors[$1][c] } }
        }
        return out
    }

    /// Builds the list from fractional positions (wrapped into the cell along periodic directions),
    /// as saved in ``reference``: the same reference gives the same list, pair for pair.
    public init(fractional: [Double], box: SimulationBox, cutoff: Double, skin: Double) throws(MDError) {
        try self.init(positions: [], box: box, cutoff: cutoff, skin: skin)
        guard fractional.count % box.dimension == 0, fractional.allSatisfy(\.isFinite) else {
            throw MDError("neighbor list: the reference must be finite rows of \(box.dimension) numbers")
        }
        try build(fractional: fractional, box: box)
    }

    mutating func build(_ positions: [Double], box: SimulationBox) throws(MDError) {
        let d = box.dimension
        guard positions.count % d == 0 else { throw MDError("neighbor list: \(positions.count) numbers are not rows of \(d)") }
        guard positions.allSatisfy(\.isFinite) else { throw MDError("neighbor list: a position is not finite (the simulation has blown up)") }
        let n = positions.count / d
        // Fractional coordinates, wrapped along periodic directions.
        var s = [Double](repeating: 0, count: n * d)
        for a in 0..<n {
            for k in 0..<d {
                var v = 0.0
                for c in 0..<d { v += positions[a * d + c] * box.inverse[c][k] }
                if box.periodic[k] { v -= v.rounded(.down); if v >= 1 { v = 0 } }
                s[a * d + k] = v
            }
        }
        try build(fractional: s, box: box)
    }

    mutating func build(fractional s: [Double], box: SimulationBox) throws(MDError) {
        let d = box.dimension
        let n = s.count / d
        let reach = cutoff + skin
        // Cells along each direction: fractional range [lo, lo + span), physical width per unit of s.
        let widths = box.widths
        var lo = [Double](repeating: 0, count: d), span = [Double](repeating: 1, count: d)
        var cells = [Int](repeating: 1, count: d), stencil = [Int](repeating: 0, count: d)
        for k in 0..<d where !box.periodic[k] {
            let column = stride(from: k, to: n * d, by: d).map { s[$0] }
            lo[k] = column.min() ?? 0
            span[k] = max((column.max() ?? 0) - lo[k], 1e-12) * (1 + 1e-12)
        }
        // At most about 2 cells per atom, so a sparse system does not allocate a huge grid.
        let budget = Double(max(2 * n, 27))
        var perCellWidth = (0..<d).map { span[$0] * widths[$0] / reach }
        let total = perCellWidth.reduce(1) { $0 * max($1, 1) }
        if total > budget { perCellWidth = perCellWidth.map { max($0 / pow(total / budget, 1 / Double(d)), 1) } }
        for k in 0..<d {
            cells[k] = max(1, Int(perCellWidth[k].rounded(.down)))
            let physical = span[k] * widths[k] / Double(cells[k])
            // Enough cells on each side that every point within `reach` is visited.
            stencil[k] = Int((reach / physical).rounded(.up))
            if !box.periodic[k] { stencil[k] = min(stencil[k], cells[k] - 1) }
        }
        // Atoms by cell (counting sort: atoms in ascending order within a cell, deterministic).
        func cellIndex(_ a: Int) -> Int {
            var index = 0
            for k in 0..<d {
                let c = min(cells[k] - 1, max(0, Int((s[a * d + k] - lo[k]) / span[k] * Double(cells[k]))))
                index = index * cells[k] + c
            }
            return index
        }
        let cellCount = cells.reduce(1, *)
        var cellOf = [Int](repeating: 0, count: n)
        var start = [Int](repeating: 0, count: cellCount + 1)
        for a in 0..<n { cellOf[a] = cellIndex(a); start[cellOf[a] + 1] += 1 }
        for c in 0..<cellCount { start[c + 1] += start[c] }
        var fill = start, members = [Int](repeating: 0, count: n)
        for a in 0..<n { members[fill[cellOf[a]]] = a; fill[cellOf[a]] += 1 }
        // The stencil offsets, in a fixed order.
        var offsetsList: [[Int]] = [[]]
        for k in 0..<d { offsetsList = offsetsList.flatMap { o in (-stencil[k]...stencil[k]).map { o + [$0] } } }
        // When the stencil does not wrap around the cell (2·reach + 1 ≤ cells along periodic
        // directions), each pair of atoms is at one cell offset: visit half the stencil (offsets whose
        // first non-zero component is positive, and in the own cell only partners after the atom).
        // Otherwise visit all of it and keep i < j (or an atom's positive images of itself).
        let half = (0..<d).allSatisfy { !box.periodic[$0] || 2 * stencil[$0] + 1 <= cells[$0] }
        if half { offsetsList = offsetsList.filter { o in (o.first { $0 != 0 } ?? 0) >= 0 } }

        // Image vectors are numbered in order of first use; a flat table indexed by the packed vector
        // finds the number (components are within ±bound, so the table is small: 27 entries for a
        // cell that fits three stencil cells per direction).
        let bound = (0..<d).map { stencil[$0] / cells[$0] + 1 }.max()!
        let side = 2 * bound + 1
        let tableSize = Double(side) * Double(side) * Double(side)
        guard tableSize <= 16_777_216 else {
            throw MDError("neighbor list: the cutoff reaches \(bound) cells beyond the box; the cell is far too small for it")
        }
        var imageTable = [Int32](repeating: -1, count: (0..<d).reduce(1) { r, _ in r * side })
        var images: [[Int]] = []
        let flatOffsets = offsetsList.flatMap { $0 }
        let reach2 = reach * reach
        // Cartesian positions of the wrapped fractional ones, and the cell as one flat row-major array.
        let h = box.vectors.flatMap { $0 }
        var cart = [Double](repeating: 0, count: n * d)
        for a in 0..<n { for c in 0..<d { for k in 0..<d { cart[a * d + c] += s[a * d + k] * h[k * d + c] } } }
        let periodic = box.periodic
        let offsetCount = offsetsList.count
        let atomsByCell = members, cellStart = start, cellOfAtom = cellOf, cellCounts = cells, cartesian = cart
        // The Cartesian positions in cell order (3-D), for the candidate loop.
        var sortedPositions = [Double](repeating: 0, count: d == 3 ? 3 * n : 0)
        if d == 3 { for (m, a) in members.enumerated() { for c in 0..<3 { sortedPositions[3 * m + c] = cart[3 * a + c] } } }
        let sorted = sortedPositions

        /// The pairs of atoms in `atoms`, each with its packed image key, and each atom's pair count.
        let zeroKey = Int32((0..<d).reduce(0) { key, _ in key * side + bound })
        @Sendable func search(_ atoms: Range<Int>) -> (partners: [Int32], keys: [Int32], counts: [Int], direct: [Int]) {
            var partners: [Int32] = [], keys: [Int32] = [], counts: [Int] = [], direct: [Int] = []
            var scratch: [(Int32, Int32)] = []
            partners.reserveCapacity(atoms.count * 48)
            keys.reserveCapacity(atoms.count * 48)
            var cell = [Int](repeating: 0, count: d), image = [Int](repeating: 0, count: d)
            var shift = [Double](repeating: 0, count: d)
            cartesian.withUnsafeBufferPointer { x in
                for i in atoms {
                    let before = partners.count
                    var rest = cellOfAtom[i]
                    for k in stride(from: d - 1, through: 0, by: -1) { cell[k] = rest % cellCounts[k]; rest /= cellCounts[k] }
                    for o in 0..<offsetCount {
                        var other = 0, outside = false
                        for k in 0..<d {
                            var c = cell[k] + flatOffsets[o * d + k]
                            if periodic[k] {
                                image[k] = c >= 0 ? c / cellCounts[k] : -((-c + cellCounts[k] - 1) / cellCounts[k])
                                c -= image[k] * cellCounts[k]
                            } else {
                                image[k] = 0
                                if c < 0 || c >= cellCounts[k] { outside = true; break }
                            }
                            other = other * cellCounts[k] + c
                        }
                        if outside || cellStart[other] == cellStart[other + 1] { continue }
                        // zero: image 0; positive: the first non-zero component is positive.
                        var zero = true, positive = false
                        for k in 0..<d where image[k] != 0 { positive = image[k] > 0; zero = false; break }
                        let sameCell = other == cellOfAtom[i] && zero
                        for c in 0..<d { shift[c] = 0; for k in 0..<d { shift[c] += Double(image[k]) * h[k * d + c] } }
                        let first = partners.count
                        if d == 3 && half && !sameCell {
                            // Every atom of the other cell is a candidate: read the cell-ordered copy of
                            // the positions sequentially.
                            let xi = x[3 * i] - shift[0], yi = x[3 * i + 1] - shift[1], zi = x[3 * i + 2] - shift[2]
                            sorted.withUnsafeBufferPointer { y in
                                for m in cellStart[other]..<cellStart[other + 1] {
                                    let dx = y[3 * m] - xi, dy = y[3 * m + 1] - yi, dz = y[3 * m + 2] - zi
                                    if dx * dx + dy * dy + dz * dz < reach2 { partners.append(Int32(atomsByCell[m])) }
                                }
                            }
                        } else if d == 3 {
                            let xi = x[3 * i] - shift[0], yi = x[3 * i + 1] - shift[1], zi = x[3 * i + 2] - shift[2]
                            for m in cellStart[other]..<cellStart[other + 1] {
                                let j = atomsByCell[m]
                                // Each unordered (pair, image) once: i < j, or the atom with a positive image of itself.
                                if half ? (sameCell && j <= i) : (j < i || (j == i && (zero || !positive))) { continue }
                                let dx = x[3 * j] - xi, dy = x[3 * j + 1] - yi, dz = x[3 * j + 2] - zi
                                if dx * dx + dy * dy + dz * dz < reach2 { partners.append(Int32(j)) }
                            }
                        } else {
                            for m in cellStart[other]..<cellStart[other + 1] {
                                let j = atomsByCell[m]
                                if half ? (sameCell && j <= i) : (j < i || (j == i && (zero || !positive))) { continue }
                                var r2 = 0.0
                                for c in 0..<d { let v = x[j * d + c] + shift[c] - x[i * d + c]; r2 += v * v }
                                if r2 < reach2 { partners.append(Int32(j)) }
                            }
                        }
                        if partners.count > first {
                            var key = 0
                            for k in 0..<d { key = key * side + image[k] + bound }
                            keys.append(contentsOf: repeatElement(Int32(key), count: partners.count - first))
                        }
                    }
                    // The atom's pairs seen directly (image 0) first, in their order, then the others:
                    // the force loop needs no image shift for the first run.
                    scratch.removeAll(keepingCapacity: true)
                    var directCount = 0
                    for p in before..<partners.count where keys[p] == zeroKey { scratch.append((partners[p], keys[p])); directCount += 1 }
                    for p in before..<partners.count where keys[p] != zeroKey { scratch.append((partners[p], keys[p])) }
                    for (k, item) in scratch.enumerated() { partners[before + k] = item.0; keys[before + k] = item.1 }
                    counts.append(partners.count - before)
                    direct.append(directCount)
                }
            }
            return (partners, keys, counts, direct)
        }

        // Atom ranges searched in parallel, joined in order: the list does not depend on the threads.
        let chunks = n < 2000 ? 1 : 4
        let results = Slots<(partners: [Int32], keys: [Int32], counts: [Int], direct: [Int])>(chunks, ([], [], [], []))
        let ranges = (0..<chunks).map { (n * $0 / chunks)..<(n * ($0 + 1) / chunks) }
        DispatchQueue.concurrentPerform(iterations: chunks) { results.slots[$0] = search(ranges[$0]) }
        var rowStart = [0], partners: [Int32] = [], imageIndex: [UInt16] = [], directEnd: [Int] = []
        directEnd.reserveCapacity(n)
        let pairTotal = results.slots.reduce(0) { $0 + $1.partners.count }
        partners.reserveCapacity(pairTotal)
        imageIndex.reserveCapacity(pairTotal)
        rowStart.reserveCapacity(n + 1)
        for part in results.slots {
            partners.append(contentsOf: part.partners)
            for (c, direct) in zip(part.counts, part.direct) {
                directEnd.append(rowStart.last! + direct)
                rowStart.append(rowStart.last! + c)
            }
            // Image numbers in order of first use.
            for key in part.keys {
                if imageTable[Int(key)] < 0 {
                    guard images.count < Int(UInt16.max) else {
                        throw MDError("neighbor list: more than \(UInt16.max) periodic images are within the cutoff; the cell is far too small for it")
                    }
                    imageTable[Int(key)] = Int32(images.count)
                    var rest = Int(key), image = [Int](repeating: 0, count: d)
                    for k in stride(from: d - 1, through: 0, by: -1) { image[k] = rest % side - bound; rest /= side }
                    images.append(image)
                }
                imageIndex.append(UInt16(imageTable[Int(key)]))
            }
        }
        self.box = box
        self.reference = s
        self.offsets = rowStart
        self.directEnd = directEnd
        self.neighbors = partners
        self.imageIndices = imageIndex
        self.images = images.isEmpty ? [Array(repeating: 0, count: d)] : images
        self.buildCount += 1
    }

    /// Every stored pair as `(i, j, image)`, in storage order.
    public var pairs: [(i: Int, j: Int, image: [Int])] {
        var out: [(i: Int, j: Int, image: [Int])] = []
        out.reserveCapacity(pairCount)
        for i in 0..<atomCount {
            for p in offsets[i]..<offsets[i + 1] { out.append((i, Int(neighbors[p]), images[Int(imageIndices[p])])) }
        }
        return out
    }
}

