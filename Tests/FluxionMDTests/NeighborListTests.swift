import Fluxion
@testable import FluxionMD
import Testing

@Suite("Neighbor lists")
struct NeighborListTests {
    /// Every (i, j, image) within `cutoff` by brute force over images, canonical: i < j, or i == j
    /// with a positive image.
    static func bruteForce(_ u: [Double], box: SimulationBox, cutoff: Double) -> Set<[Int]> {
        let d = box.dimension, n = u.count / d
        let widths = box.widths
        var out = Set<[Int]>()
        for i in 0..<n {
            for j in i..<n {
                // Only images whose fractional offset can be within the cutoff: |Δs_k + n_k| ≤ cutoff / width_k.
                var images: [[Int]] = [[]]
                for k in 0..<d {
                    let ds = (0..<d).reduce(0) { $0 + (u[j * d + $1] - u[i * d + $1]) * box.inverse[$1][k] }
                    let lo = box.periodic[k] ? Int((-cutoff / widths[k] - ds).rounded(.up)) : 0
                    let hi = box.periodic[k] ? Int((cutoff / widths[k] - ds).rounded(.down)) : 0
                    images = images.flatMap { im in stride(from: lo, through: hi, by: 1).map { im + [$0] } }
                }
                for image in images {
                    if i == j && !(image.first(where: { $0 != 0 }).map { $0 > 0 } ?? false) { continue }
                    var r2 = 0.0
                    for c in 0..<d {
                        let shift = (0..<d).reduce(0) { $0 + Double(image[$1]) * box.vectors[$1][c] }
                        let x = u[j * d + c] + shift - u[i * d + c]
                        r2 += x * x
                    }
                    if r2 < cutoff * cutoff { out.insert([i, j] + image) }
                }
            }
        }
        return out
    }

    /// The stored pairs in the canonical form of ``bruteForce(_:box:cutoff:)``.
    static func stored(_ list: NeighborList) -> Set<[Int]> {
        Set(list.pairs.map { $0.i <= $0.j ? [$0.i, $0.j] + $0.image : [$0.j, $0.i] + $0.image.map { -$0 } })
    }

    /// Each cell shape, at build and after moves that do and do not trigger a rebuild: every pair within
    /// the cutoff is in the list, with the image it is seen through, and no pair is stored twice.
    @Test(arguments: try! Cells.all().map(\.0))
    func neverDropsAPair(cell name: String) throws {
        let box = try #require(try Cells.all().first { $0.0 == name }?.1)
        let cutoff = 2.5, skin = 0.4
        let n = box.isFree ? 80 : max(8, Int(box.volume * 0.4))
        var x = Cells.randomPositions(n, in: box, seed: 7)
        var list = try NeighborList(positions: x, box: box, cutoff: cutoff, skin: skin)
        #expect(list.pairCount == Self.stored(list).count, "\(name): a pair stored twice")
        var rng = Lcg(3)
        var rebuilds = 0
        for step in 0..<8 {
            let (u, _) = list.unwrapped(x, box: box)
            let expected = Self.bruteForce(u, box: box, cutoff: cutoff)
            let missing = expected.subtracting(Self.stored(list))
            #expect(missing.isEmpty, "\(name), step \(step): \(missing.count) pairs within the cutoff missing, e.g. \(missing.first!)")
            // Small random moves (a rebuild every few steps), wrapped back into the cell.
            x = box.wrap(x.map { $0 + (rng.next() - 0.5) * 0.16 })
            if try list.update(x, box: box) { rebuilds += 1 }
        }
        #expect(rebuilds >= 1 && rebuilds < 8, "\(name): \(rebuilds) rebuilds in 8 steps")
    }

    /// Compressing the cell by 25% and then packing half the atoms into a small region: the list grows
    /// (it has no fixed capacity) and still misses nothing.
    @Test(arguments: ["cubic", "triclinic", "smaller than twice the cutoff", "open space"])
    func compressionAndDensitySpike(cell name: String) throws {
        var box = try #require(try Cells.all().first { $0.0 == name }?.1)
        let cutoff = 2.5
        let n = box.isFree ? 60 : Int(box.volume * 0.3)
        var x = Cells.randomPositions(n, in: box, seed: 11)
        var list = try NeighborList(positions: x, box: box, cutoff: cutoff, skin: 0.3)
        let before = list.pairCount
        if !box.isFree {
            box = try box.scaled(by: 0.75)
            x = x.map { $0 * 0.75 }
            #expect(try list.update(x, box: box), "\(name): compressing by 25% must rebuild")
            let (u, _) = list.unwrapped(x, box: box)
            #expect(Self.bruteForce(u, box: box, cutoff: cutoff).isSubset(of: Self.stored(list)), "\(name): compressed")
        }
        // Half the atoms into a sphere of radius 1 around the first atom.
        var rng = Lcg(5)
        let d = box.dimension
        for a in stride(from: 0, to: n, by: 2) {
            for c in 0..<d { x[a * d + c] = x[c] + (rng.next() - 0.5) * 1.2 }
        }
        x = box.wrap(x)
        try list.update(x, box: box)
        let (u, _) = list.unwrapped(x, box: box)
        let expected = Self.bruteForce(u, box: box, cutoff: cutoff)
        #expect(expected.isSubset(of: Self.stored(list)), "\(name): density spike")
        #expect(list.pairCount > before, "\(name): the spike must add pairs (\(before) → \(list.pairCount))")
    }

    /// The same reference gives the same list, pair for pair (what bit-for-bit restarts rely on).
    @Test func rebuildingFromTheReferenceIsExact() throws {
        let box = try SimulationBox(lengths: [7, 6.5, 7.5], tilts: (xy: 2.1, xz: -1.3, yz: 1.7))
        let x = Cells.randomPositions(250, in: box, seed: 2)
        let list = try NeighborList(positions: x, box: box, cutoff: 2.5, skin: 0.3)
        let again = try NeighborList(fractional: list.reference, box: box, cutoff: 2.5, skin: 0.3)
        #expect(again.offsets == list.offsets && again.neighbors == list.neighbors && again.imageIndices == list.imageIndices)
        #expect(again.images == list.images)
    }

    @Test func badInputIsAThrownError() throws {
        #expect(throws: MDError.self) { try NeighborList(positions: [0, 0, 0], box: .cubic(5), cutoff: -1, skin: 0.3) }
        #expect(throws: MDError.self) { try NeighborList(positions: [0, .nan, 0], box: .cubic(5), cutoff: 2, skin: 0.3) }
        var list = try NeighborList(positions: [0, 0, 0, 1, 1, 1], box: .cubic(5), cutoff: 2, skin: 0.3)
        #expect(throws: MDError.self) { try list.update([0, 0, 0], box: .cubic(5)) }
        #expect(throws: MDError.self) { try SimulationBox(vectors: [[1, 0, 0], [0, 1, 0], [0, 0, 0]]) }
        #expect(throws: MDError.self) { try SimulationBox(vectors: [[1, 0, 0], [0, 1, 0], [0, 0, -1]]) }
    }
}
