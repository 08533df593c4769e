import Fluxion
@testable import FluxionPINN
import Foundation
import Testing

@Suite("PINN geometry")
struct GeometryTests {
    static let lShape = try! Polygon(vertices: [[-1, -1], [1, -1], [1, 0], [0, 0], [0, 1], [-1, 1]])

    /// Every geometry shipped, in 1, 2 and 3 dimensions, with set operations.
    static func all() throws -> [(String, any Geometry)] {
        let square = try Rectangle(x: -1...1, y: -1...1)
        let disk = try Disk(center: [0.5, 0.5], radius: 0.4)
        return [
            ("interval", try Interval(-1, 2)), ("rectangle", square), ("box3", try Box(lower: [0, 0, 0], upper: [1, 2, 3])),
            ("disk", disk), ("ball3", try Ball(center: [0, 0, 0], radius: 2)), ("L-shape", lShape),
            ("square minus disk", square.subtracting(disk)), ("square ∪ disk", square.union(try Disk(center: [1, 1], radius: 0.5))),
            ("square ∩ disk", square.intersection(try Disk(center: [1, 1], radius: 0.8))),
            ("disk × time", try SpaceTime(disk, time: 0...1)),
        ]
    }

    /// Boundary points are on the boundary, and their outward normal points out: a small step along
    /// it leaves the domain, a small step against it stays inside.
    @Test func boundaryPointsAndOutwardNormals() throws {
        for (name, g) in try Self.all() {
            let points = g.boundaryPoints(200, key: PRNGKey(seed: 1))
            #expect(points.count == 200, "\(name)")
            for p in points {
                #expect(g.isOnBoundary(p), "\(name): \(p) not on the boundary")
                let n = g.normal(at: p)
                #expect(abs(Vec.norm(n) - 1) < 1e-12, "\(name): normal \(n) at \(p)")
                if g is SpaceTime { continue }   // the lateral normal has no time component; checked below
                let out = zip(p, n).map { $0 + 1e-6 * $1 }, inward = zip(p, n).map { $0 - 1e-6 * $1 }
                #expect(!g.contains(out), "\(name): stepping along the normal at \(p) stays inside")
                #expect(g.contains(inward), "\(name): stepping against the normal at \(p) leaves")
            }
        }
    }

    @Test func insideOutsideAndMeasures() throws {
        #expect(Self.lShape.contains([-0.5, 0.5]) && Self.lShape.contains([0.5, -0.5]) && !Self.lShape.contains([0.5, 0.5]))
        #expect(Self.lShape.boundaryMeasure == 8)
        #expect(Self.lShape.normal(at: [0.5, 0]) == [0, 1])
        #expect(Self.lShape.normal(at: [0, 0.5]) == [1, 0])
        let box = try Box(lower: [0, 0, 0], upper: [1, 2, 3])
        #expect(box.boundaryMeasure == 2 * (2 + 3 + 6))
        #expect(abs(try Ball(center: [0, 0, 0], radius: 2).boundaryMeasure - 16 * Double.pi) < 1e-12)
        // A square with a hole: the outer perimeter plus the circle.
        let holed = try Rectangle(x: -1...1, y: -1...1).subtracting(try Disk(center: [0, 0], radius: 0.5))
        #expect(abs(holed.boundaryMeasure - (8 + Double.pi)) < 0.15)
        #expect(!holed.contains([0, 0]) && holed.contains([0.9, 0.9]) && holed.contains([0.5, 0]))
    }

    @Test func badDefinitionsThrow() {
        #expect(throws: GeometryError.self) { try Interval(1, 1) }
        #expect(throws: GeometryError.self) { try Box(lower: [0, 0], upper: [1]) }
        #expect(throws: GeometryError.self) { try Ball(center: [0], radius: -1) }
        #expect(throws: GeometryError.self) { try Polygon(vertices: [[0, 0], [1, 1], [2, 2]]) }
        #expect(throws: GeometryError.self) { try SpaceTime(Interval(0, 1), time: 1...1) }
    }
}

@Suite("PINN sampling")
struct SamplingTests {
    @Test func sobolMatchesSciPy() throws {
        let url = Bundle.module.url(forResource: "sobol", withExtension: "json", subdirectory: "Reference")!
        let reference = try JSONDecoder().decode([String: [[Double]]].self, from: Data(contentsOf: url))["sobol21"]!
        let ours = try Sobol(dimension: 21, key: nil).points(256)
        #expect(ours == reference)
        // Drawing from an offset continues the same sequence.
        #expect(try Sobol(dimension: 21, key: nil).points(56, offset: 200) == Array(reference[200...]))
    }

    /// A digitally shifted Sobol sequence is still a (0, m, 2)-net in its first two coordinates: each
    /// of 2^m points lies in its own elementary box of every shape 2^-a × 2^-(m-a).
    @Test func shiftedSobolKeepsTheNetProperty() throws {
        let m = 6, n = 1 << m
        let points = try Sampler.sobol.unitCube(n, dimension: 2, key: PRNGKey(seed: 3))
        for a in 0...m {
            let boxes = Set(points.map { p in Int(p[0] * Double(1 << a)) * (1 << (m - a)) + Int(p[1] * Double(1 << (m - a))) })
            #expect(boxes.count == n, "boxes 2^-\(a) × 2^-\(m - a)")
        }
    }

    @Test func haltonAndLatinHypercube() throws {
        #expect(Halton.radicalInverse(6, base: 2) == 0.375 && abs(Halton.radicalInverse(5, base: 3) - 7.0 / 9) < 1e-15)
        let n = 50
        let lhs = try Sampler.latinHypercube.unitCube(n, dimension: 3, key: PRNGKey(seed: 4))
        for j in 0..<3 { #expect(Set(lhs.map { Int($0[j] * Double(n)) }) == Set(0..<n)) }
    }

    @Test func samplersAreDeterministicAndInside() throws {
        for sampler in Sampler.allCases {
            let a = try GeometryTests.lShape.interiorPoints(300, sampler: sampler, key: PRNGKey(seed: 5))
            let b = try GeometryTests.lShape.interiorPoints(300, sampler: sampler, key: PRNGKey(seed: 5))
            #expect(a == b, "\(sampler)")
            #expect(a.allSatisfy(GeometryTests.lShape.contains), "\(sampler)")
            #expect(sampler == .grid ? a.count > 150 : a.count == 300, "\(sampler)")
            if sampler != .grid {
                let c = try GeometryTests.lShape.interiorPoints(300, sampler: sampler, key: PRNGKey(seed: 6))
                #expect(a != c, "\(sampler): another key, the same points")
            }
        }
    }

    @Test func anEmptyDomainIsAnErrorNotAHang() throws {
        let empty = try Rectangle(x: 0...1, y: 0...1).intersection(try Disk(center: [5, 5], radius: 1))
        #expect(throws: GeometryError.self) { try empty.interiorPoints(10, key: PRNGKey(seed: 0)) }
    }
}
