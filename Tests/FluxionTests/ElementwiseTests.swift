import Testing
@testable import Fluxion
@testable import FluxionKernels
import FluxionTestSupport

@Suite("Elementwise operations")
struct ElementwiseTests {
    /// One row per real unary function: its name in reference.npz, the input it used, the function.
    static let unaryTable: [(String, String, @Sendable (Tensor) -> Tensor)] = [
        ("exp", "x", { exp($0) }), ("expm1", "x", { expm1($0) }), ("log", "p", { log($0) }),
        ("log1p", "p", { log1p($0) }), ("sin", "x", { sin($0) }), ("cos", "x", { cos($0) }),
        ("tan", "u", { tan($0) }), ("asin", "u", { asin($0) }), ("acos", "u", { acos($0) }),
        ("atan", "x", { atan($0) }), ("sinh", "x", { sinh($0) }), ("cosh", "x", { cosh($0) }),
        ("tanh", "x", { tanh($0) }), ("erf", "x", { erf($0) }), ("sqrt", "p", { sqrt($0) }),
        ("rsqrt", "p", { rsqrt($0) }), ("sigmoid", "x", { sigmoid($0) }), ("softplus", "x", { softplus($0) }),
        ("floor", "x", { floor($0) }), ("ceil", "x", { ceil($0) }), ("sign", "x", { sign($0) }),
        ("abs", "x", { abs($0) }),
    ]

    @Test("real unary functions match NumPy/SciPy", arguments: 0..<unaryTable.count)
    func unary(_ row: Int) {
        let (name, input, f) = Self.unaryTable[row]
        expectClose(f(Reference[input]), Reference["unary_" + name], rtol: 1e-13, atol: 1e-15, "\(name)")
        // float32 follows the same formula in single precision.
        let single = f(Reference[input].cast(to: .float32))
        #expect(single.dtype == .float32)
        expectClose(single.cast(to: .float64), Reference["unary_" + name], rtol: 1e-5, atol: 1e-6, "\(name) float32")
    }

    @Test func roundingTiesToEven() {
        expectClose(round(Reference["round_in"]), Reference["unary_round"], rtol: 0, atol: 0)
    }

    @Test func softplusIsStableAtItsEdges() {
        let y = softplus(Reference["softplus_edge_in"])
        #expect(y.doubles.allSatisfy { $0.isFinite })
        expectClose(y, Reference["softplus_edge"], rtol: 1e-14, atol: 1e-300)
        #expect(sigmoid(Tensor([-800.0, 800.0])).doubles == [0, 1])
    }

    @Test("complex functions match NumPy", arguments: ["exp", "log", "sqrt", "sin", "cos", "tanh", "abs"])
    func complexUnary(_ name: String) {
        let z = Reference["z"]
        let f: [String: (Tensor) -> Tensor] = ["exp": exp, "log": log, "sqrt": sqrt, "sin": sin, "cos": cos, "tanh": tanh, "abs": abs]
        let y = f[name]!(z)
        #expect(y.dtype == (name == "abs" ? .float64 : .complex128))
        expectClose(y, Reference["complex_" + name], rtol: 1e-13, atol: 1e-15, "\(name)")
    }

    @Test func complexPartsAndPower() {
        let z = Reference["z"]
        expectClose(pow(z, complex(Tensor(0.5), Tensor(0.25))), Reference["complex_pow"], rtol: 1e-12)
        expectClose(complex(real(z), imag(z)), z, rtol: 0, atol: 0)
        expectClose(real(z * conj(z)), abs(z) * abs(z), rtol: 1e-14)
        #expect(imag(Tensor([1.0, 2.0])).doubles == [0, 0])
    }

    @Test("binary functions broadcast like NumPy", arguments: ["add", "sub", "mul", "div", "max", "min", "atan2", "pow"])
    func binary(_ name: String) {
        let a = Reference["bin_a"], b = Reference["bin_b"]
        let f: [String: (Tensor, Tensor) -> Tensor] = [
            "add": (+), "sub": (-), "mul": (*), "div": (/), "max": maximum, "min": minimum, "atan2": atan2,
            "pow": { pow(abs($0), $1) },
        ]
        let y = f[name]!(a, b)
        #expect(y.shape == [3, 5, 4])
        expectClose(y, Reference["bin_" + name], rtol: 1e-14, atol: 1e-15, "\(name)")
    }

    /// Broadcasts with rows of 16 elements or more run the arithmetic kernels row by row (an operand
    /// broadcast along the row as its one value), split over threads when large: the same bits as
    /// the operands broadcast first and combined element by element.
    @Test func broadcastRowsThroughTheVectorKernels() {
        let cases: [([Int], [Int])] = [([3, 40], [7, 1, 40]), ([1, 40], [5, 40]), ([6, 1], [6, 33]), ([2, 1, 50], [1, 3, 1]),
                                       ([700, 1, 64], [1, 3, 64]), ([1, 3, 64], [700, 1, 64]), ([900, 1], [900, 100])]
        let ops: [(String, (Tensor, Tensor) -> Tensor)] = [("add", (+)), ("sub", (-)), ("mul", (*)), ("div", (/))]
        for (sa, sb) in cases {
            let a = Tensor.linspace(-2, 3, count: sa.reduce(1, *)).reshaped(to: sa)
            let b = Tensor.linspace(0.5, 4, count: sb.reduce(1, *)).reshaped(to: sb)
            let shape = Broadcasting.shape([sa, sb])!
            let (wa, wb) = (a.broadcast(to: shape).doubles, b.broadcast(to: shape).doubles)
            for (name, op) in ops {
                let y = op(a, b)
                #expect(y.shape == shape)
                let expected: [Double] = zip(wa, wb).map { x, z in
                    switch name {
                    case "add": x + z
                    case "sub": x - z
                    case "mul": x * z
                    default: x / z
                    }
                }
                #expect(y.doubles == expected, "\(name) \(sa) \(sb)")
            }
        }
    }

    @Test func powerOfNegativeBaseFollowsC() {
        expectClose(pow(Tensor([-2.0, -3.0, -0.5]), Tensor([2.0, 3.0, -2.0])), Reference["pow_negative_base"], rtol: 0)
        #expect(pow(Tensor([-8.0]), 1.0 / 3).doubles[0].isNaN)
    }

    @Test func maximumAndMinimumPropagateNaN() {
        let a = Tensor([1.0, .nan, 3.0]), b = Tensor([.nan, 2.0, 1.0])
        let mx = maximum(a, b).doubles, mn = minimum(a, b).doubles
        #expect(mx[0].isNaN && mx[1].isNaN && mx[2] == 3)
        #expect(mn[0].isNaN && mn[1].isNaN && mn[2] == 1)
    }

    @Test func promotionFollowsNumPy() {
        let i32 = Tensor([Int32(1), 2]), i64 = Tensor([Int64(1), 2]), f32 = Tensor([Float(1), 2])
        let f64 = Tensor([1.0, 2.0]), b = Tensor([true, false])
        #expect((i32 + i64).dtype == .int64)
        #expect((i32 + f32).dtype == .float64)
        #expect((i64 + f32).dtype == .float64)
        #expect((f32 + f64).dtype == .float64)
        #expect((b + i32).dtype == .int32)
        #expect((f32 + complex(f32, f32)).dtype == .complex64)
        #expect((f64 + complex(f32, f32)).dtype == .complex128)
        // Swift scalars are weak.
        #expect((f32 * 2.5).dtype == .float32)
        #expect((i32 + 1).dtype == .int32)
        #expect((i32 * 1.5).dtype == .float64)
        #expect((b + 1).dtype == .int64)
        // True division gives float64 for integers.
        let q = Tensor([Int64(7), 8]) / Tensor([Int64(2)])
        #expect(q.dtype == .float64 && q.doubles == [3.5, 4])
        #expect(DType.promote(.int32, .complex64) == .complex128)
    }

    @Test func integerArithmeticWraps() {
        let big = Tensor([Int32.max]) + 1
        #expect(big.scalars(as: Int32.self) == [Int32.min])
        #expect((-Tensor([Int64(3)])).scalars(as: Int64.self) == [-3])
        #expect(abs(Tensor([Int32(-4), 5])).scalars(as: Int32.self) == [4, 5])
    }

    @Test func comparisonsAndLogic() {
        let x = Tensor([1.0, 2.0, 3.0, .nan])
        #expect((x .> 1.5).scalars(as: Bool.self) == [false, true, true, false])
        #expect((x .<= 2).scalars(as: Bool.self) == [true, true, false, false])
        #expect((x .== x).scalars(as: Bool.self) == [true, true, true, false])
        #expect((x .!= 2).scalars(as: Bool.self) == [true, false, true, true])
        let m = (x .> 1) .& (x .< 3)
        #expect(m.scalars(as: Bool.self) == [false, true, false, false])
        #expect((.!m .| (x .> 2)).scalars(as: Bool.self) == [true, false, true, true])
        #expect((m .^ (x .>= 2)).scalars(as: Bool.self) == [false, false, true, false])
        #expect(isnan(x).scalars(as: Bool.self) == [false, false, false, true])
        #expect(isfinite(Tensor([1.0, .infinity, -.infinity, .nan])).scalars(as: Bool.self) == [true, false, false, false])
    }

    @Test func whereAndClip() {
        let x = Tensor([-2.0, -0.5, 0.5, 2.0])
        #expect(`where`(x .> 0, x, 0).doubles == [0, 0, 0.5, 2])
        #expect(clip(x, min: -1, max: 1).doubles == [-1, -0.5, 0.5, 1])
        // The condition broadcasts against the branches.
        let w = `where`(Tensor([true, false], shape: [2, 1]), Tensor.ones([2, 3]), Tensor.zeros([3]))
        #expect(w.doubles == [1, 1, 1, 0, 0, 0] && w.shape == [2, 3])
    }

    /// `where` on every element size (bool, int32, float64, complex128) with an irregular condition,
    /// large enough to be split over threads, whole, against scalars, and broadcast: the plain loop.
    @Test func whereOnEveryElementSize() {
        var rng = TestRandom(seed: 31)
        let n = 1 << 17
        let x = rng.tensor([n]), y = rng.tensor([n]), mask = rng.tensor([n]) .> 0
        let (xs, ys, ms) = (x.doubles, y.doubles, mask.scalars(as: Bool.self))
        let expected = (0..<n).map { ms[$0] ? xs[$0] : ys[$0] }
        #expect(`where`(mask, x, y).doubles == expected)
        #expect(`where`(mask, x, 7).doubles == (0..<n).map { ms[$0] ? xs[$0] : 7 })
        #expect(`where`(mask, -3, y).doubles == (0..<n).map { ms[$0] ? -3 : ys[$0] })
        #expect(`where`(mask, x.cast(to: .int32), y.cast(to: .int32)).scalars(as: Int32.self)
                == expected.indices.map { ms[$0] ? Int32(xs[$0]) : Int32(ys[$0]) })
        #expect(`where`(mask, x .> 1, y .> 1).scalars(as: Bool.self) == expected.indices.map { ms[$0] ? xs[$0] > 1 : ys[$0] > 1 })
        let z = `where`(mask, complex(x, y), complex(y, x))
        #expect(real(z).doubles == expected && imag(z).doubles == (0..<n).map { ms[$0] ? ys[$0] : xs[$0] })
        // A condition per row, broadcast along the columns, with complex branches.
        let rows = Tensor([true, false, true], shape: [3, 1]), a = rng.tensor([3, 4]), b = rng.tensor([3, 4])
        let w = `where`(rows, complex(a, b), complex(b, a))
        let (av, bv) = (a.doubles, b.doubles)
        #expect(real(w).doubles == (0..<12).map { [0, 2].contains($0 / 4) ? av[$0] : bv[$0] })
        #expect(imag(w).doubles == (0..<12).map { [0, 2].contains($0 / 4) ? bv[$0] : av[$0] })
    }

    @Test func castsConvertLikeNumPy() {
        let x = Tensor([-1.7, 0.0, 2.9, .nan])
        #expect(x.cast(to: .int64).scalars(as: Int64.self) == [-1, 0, 2, 0])
        #expect(x.cast(to: .bool).scalars(as: Bool.self) == [true, false, true, true])
        #expect(Tensor([Int64(1) << 40]).cast(to: .int32).scalars(as: Int32.self) == [0])
        #expect(Tensor([Int64.max]).cast(to: .int64).scalars(as: Int64.self) == [Int64.max])
        #expect(complex(Tensor([1.5]), Tensor([2.0])).cast(to: .float64).doubles == [1.5])
    }

    /// Eager arithmetic on concrete operands takes a direct path (no interpreter lists; a Swift
    /// scalar goes to the vector kernel as it is): every result must equal the same operation bound
    /// as a primitive inside a compiled program, bit for bit, and promotion and errors are unchanged.
    @Test func directEagerArithmeticEqualsTheBoundPrimitive() {
        let a = Random.normal(PRNGKey(seed: 3), shape: [37]), b = Random.normal(PRNGKey(seed: 4), shape: [37]) + 3
        let s = Tensor(1.7)
        let direct: [(String, Tensor)] = [("a+b", a + b), ("a-b", a - b), ("a*b", a * b), ("a/b", a / b),
                                          ("a+s", a + 1.7), ("s-a", 1.7 - a), ("s*a", 1.7 * a), ("a/s", a / 1.7),
                                          ("s/b", 1.7 / b), ("a*S", a * s), ("S-a", s - a)]
        let bound = jit { (a: Tensor, b: Tensor, s: Tensor) -> [Tensor] in
            [a + b, a - b, a * b, a / b, a + s, s - a, s * a, a / s, s / b, a * s, s - a]
        }(a, b, s)
        for ((name, d), j) in zip(direct, bound) { #expect(d.doubles == j.doubles, "\(name)") }
        // Integers wrap, mixed dtypes promote, and a bad pair still stops with the operation's message.
        #expect((Tensor([Int32.max]) + Tensor([Int32(1)])).scalars(as: Int32.self) == [Int32.min])
        #expect((Tensor([1.0]).cast(to: .float32) * Tensor([2.0])).dtype == .float64)
        #expect((Tensor([Int32(3)]) / Tensor([Int32(2)])).doubles == [1.5])
    }
}
