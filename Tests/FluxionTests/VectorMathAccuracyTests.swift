import Foundation
import FluxionTestSupport
import Testing
@testable import Fluxion
import CVectorMath

/// The vectorized float64 kernels (libmvec's AVX-512 or AVX2 variants, chosen at run time) against
/// scalar libm, in units in the last place: libmvec documents at most 4 ulp, libm at most 1; tanh is
/// Fluxion's own (within 4 ulp).
@Suite("Vector math accuracy")
struct VectorMathAccuracyTests {
    typealias Row = (name: String, vectorized: @Sendable (Tensor) -> Tensor, scalar: @Sendable (Double) -> Double,
                     sample: @Sendable (Double) -> Double)

    /// Uniform on [a, b].
    static func uniform(_ a: Double, _ b: Double) -> @Sendable (Double) -> Double { { u in a + u * (b - a) } }
    /// Log-spaced magnitudes on [a, b] (a > 0), with random signs when `signed`.
    static func logSpaced(_ a: Double, _ b: Double) -> @Sendable (Double) -> Double {
        { u in Foundation.exp(Foundation.log(a) + u * (Foundation.log(b) - Foundation.log(a))) }
    }

    static let rows: [Row] = [
        ("exp", { exp($0) }, { Foundation.exp($0) }, uniform(-700, 700)),
        ("expm1", { expm1($0) }, { Foundation.expm1($0) }, uniform(-40, 700)),
        ("expm1 near 0", { expm1($0) }, { Foundation.expm1($0) }, uniform(-1e-3, 1e-3)),
        ("log", { log($0) }, { Foundation.log($0) }, logSpaced(1e-300, 1e300)),
        ("log1p", { log1p($0) }, { Foundation.log1p($0) }, uniform(-0.999, 10)),
        ("log1p wide", { log1p($0) }, { Foundation.log1p($0) }, logSpaced(1e-12, 1e12)),
        ("sin", { sin($0) }, { Foundation.sin($0) }, uniform(-1e4, 1e4)),
        ("cos", { cos($0) }, { Foundation.cos($0) }, uniform(-1e4, 1e4)),
        ("tanh", { tanh($0) }, { Foundation.tanh($0) }, uniform(-20, 20)),
        ("tanh near 0", { tanh($0) }, { Foundation.tanh($0) }, uniform(-1e-3, 1e-3)),
        ("tanh wide", { tanh($0) }, { Foundation.tanh($0) }, logSpaced(1e-300, 1e300)),
    ]

    @Test(arguments: 0..<rows.count)
    func withinFiveUlps(_ index: Int) {
        let row = Self.rows[index]
        var rng = TestRandom(seed: UInt64(40 + index))
        // An odd count exercises the scalar tail after the last full vector.
        let xs = (0..<100_003).map { _ in row.sample(rng.uniform()) }
        let ys = row.vectorized(Tensor(xs)).doubles
        var worst = 0.0
        for (x, y) in zip(xs, ys) {
            let reference = row.scalar(x)
            let ulp = Swift.max(reference.magnitude.ulp, Double.leastNormalMagnitude)
            worst = Swift.max(worst, (y - reference).magnitude / ulp)
        }
        #expect(worst <= 5, "\(row.name): \(worst) ulp")
    }

    /// tanh in each vector width the CPU has (AVX-512, AVX2; the one in use is also in the table
    /// above): within 4 ulp of libm on the ranges that matter (the reduced argument's sign changes at
    /// |x| = ln2/4; large |x| saturates), and special values in every lane and in the masked tail.
    @Test(arguments: [512, 256])
    func tanhInEachWidth(_ bits: Int32) {
        var rng = TestRandom(seed: 44)
        let ranges: [(Double, Double)] = [(-20, 20), (-0.4, 0.4), (-1e-3, 1e-3), (0.15, 0.2), (17, 21)]
        for (low, high) in ranges {
            let xs = (0..<20_003).map { _ in low + rng.uniform() * (high - low) }
            var ys = [Double](repeating: .nan, count: xs.count)
            guard fluxion_vtanh_width(bits, xs, &ys, xs.count) != 0 else { return }  // the CPU lacks this width
            var worst = 0.0
            for (x, y) in zip(xs, ys) {
                let reference = Foundation.tanh(x)
                worst = Swift.max(worst, (y - reference).magnitude / Swift.max(reference.magnitude.ulp, Double.leastNormalMagnitude))
            }
            #expect(worst <= 4, "tanh, \(bits) bits, [\(low), \(high)]: \(worst) ulp")
        }
        let specials: [Double] = [0, -0.0, .infinity, -.infinity, .nan, 19.5, 20, -21, 710, -1e308, 5e-324, -1e-310, 0.5, -0.5, 1, 3,
                                  0.17328679513998632, -0.17328679513998632]
        for count in [specials.count, 9, 7, 3] {  // full vectors and masked tails
            let xs = Array(specials.prefix(count))
            var ys = [Double](repeating: 42, count: count)
            guard fluxion_vtanh_width(bits, xs, &ys, count) != 0 else { return }
            for (x, y) in zip(xs, ys) {
                let reference = Foundation.tanh(x)
                if x.isNaN { #expect(y.isNaN); continue }
                #expect(y.sign == reference.sign, "tanh(\(x)) = \(y), \(bits) bits")
                #expect((y - reference).magnitude <= 4 * Swift.max(reference.magnitude.ulp, Double.leastNonzeroMagnitude),
                        "tanh(\(x)) = \(y), \(bits) bits")
            }
        }
    }

    /// Column sums of row-major arrays: in every width the plain loop's sums bit for bit (added
    /// from 0 in row order), for widths that fill whole vectors, masked tails and several groups of
    /// eight vectors, signed zeros and infinities included.
    @Test(arguments: [Int32(512), 256, 64])
    func columnSumsInEachWidth(_ bits: Int32) {
        var rng = TestRandom(seed: 45)
        for (m, n) in [(1, 1), (3, 7), (17, 8), (64, 64), (5, 65), (9, 130), (1024, 3), (2, 200)] {
            var xs = (0..<(m * n)).map { _ in (rng.uniform() - 0.5) * 1e3 }
            if m * n > 4 { (xs[0], xs[1], xs[2], xs[3]) = (-0.0, .infinity, 1e300, -1e-310) }
            var sums = [Double](repeating: .nan, count: n)
            guard fluxion_vsum_rows_width(bits, xs, m, n, &sums) != 0 else { return }  // the CPU lacks this width
            var reference = [Double](repeating: 0, count: n)
            for i in 0..<m { for j in 0..<n { reference[j] += xs[i * n + j] } }
            #expect(sums.map(\.bitPattern) == reference.map(\.bitPattern), "\(m)×\(n), \(bits) bits")
        }
    }

    /// sqrt is the vector instruction, correctly rounded: the same bits as scalar sqrt everywhere,
    /// on log-spaced magnitudes across the whole range and on special values (in every lane).
    @Test func sqrtIsCorrectlyRounded() {
        var rng = TestRandom(seed: 41)
        let xs = (0..<100_003).map { _ in Foundation.exp(Foundation.log(1e-320) + rng.uniform() * (Foundation.log(1e308) - Foundation.log(1e-320))) }
            + [0, -0.0, .infinity, -.infinity, .nan, -1, -1e-300, 5e-324, 2, 4, 1e308, .greatestFiniteMagnitude]
        let ys = sqrt(Tensor(xs)).doubles
        for (x, y) in zip(xs, ys) {
            let reference = Foundation.sqrt(x)
            #expect(y.bitPattern == reference.bitPattern || (y.isNaN && reference.isNaN), "sqrt(\(x)) = \(y)")
        }
    }

    /// Arithmetic by the vector kernels (fused chains and eager same-shape operations) is the scalar
    /// arithmetic bit for bit: every operation, every kind of operand (arrays, a scalar on either
    /// side, two scalars), lengths covering every tail, special values in every lane.
    @Test func arithmeticKernelsEqualScalarArithmetic() {
        var rng = TestRandom(seed: 43)
        let specials: [Double] = [0, -0.0, .infinity, -.infinity, .nan, 5e-324, -1e308, 1e-310]
        let kernels: [(String, FusedLoop.BinaryKernel, (Double, Double) -> Double)] = [
            ("add", VectorMath.add, { $0 + $1 }), ("sub", VectorMath.subtract, { $0 - $1 }),
            ("mul", VectorMath.multiply, { $0 * $1 }), ("div", VectorMath.divide, { $0 / $1 }),
        ]
        func same(_ x: Double, _ y: Double) -> Bool { x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN) }
        for n in [0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 33, 517] {
            let a = (0..<n).map { i in i % 5 == 4 ? specials[i % specials.count] : (rng.uniform() - 0.5) * 1e3 }
            let b = (0..<n).map { i in i % 7 == 6 ? specials[(i / 7) % specials.count] : (rng.uniform() - 0.5) * 1e-2 }
            let (sa, sb) = (rng.uniform() * 3 - 1, rng.uniform() - 2)
            var d = [Double](repeating: 0, count: n)
            for (name, kernel, op) in kernels {
                a.withUnsafeBufferPointer { pa in
                    b.withUnsafeBufferPointer { pb in
                        let cases: [(FusedLoop.Operand, FusedLoop.Operand, (Int) -> Double)] = [
                            ((pa.baseAddress, 0), (pb.baseAddress, 0), { op(a[$0], b[$0]) }),
                            ((pa.baseAddress, 0), (nil, sb), { op(a[$0], sb) }),
                            ((nil, sa), (pb.baseAddress, 0), { op(sa, b[$0]) }),
                            ((nil, sa), (nil, sb), { _ in op(sa, sb) }),
                        ]
                        for (k, (x, y, expected)) in cases.enumerated() {
                            d.withUnsafeMutableBufferPointer { kernel(x, y, $0.baseAddress!, n) }
                            for i in 0..<n where !same(d[i], expected(i)) {
                                Issue.record("\(name), operands \(k), n = \(n), element \(i): \(d[i]) vs \(expected(i))")
                            }
                        }
                    }
                }
            }
        }
        // Eagerly, same shapes and a scalar operand go through the kernels too.
        let x = Tensor((0..<1001).map { 0.1 * Double($0) + 0.013 }), y = Tensor((0..<1001).map { -3.7 / Double($0 + 1) })
        #expect((x * y).doubles == zip(x.doubles, y.doubles).map { $0 * $1 })
        #expect((x / 3).doubles == x.doubles.map { $0 / 3 })
        #expect((2 - y).doubles == y.doubles.map { 2 - $0 })
    }
}
