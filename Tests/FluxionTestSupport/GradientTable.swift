import Fluxion
import Testing

/// One row per primitive and composite: the function, inputs inside its domain, and the order to
/// which `checkGrads` compares forward and reverse mode with central finite differences (float64).
public struct GradientCase: Sendable, CustomTestStringConvertible {
    public let name: String
    public let order: Int
    public let inputs: [Tensor]
    public let f: @Sendable ([Tensor]) -> Tensor
    public var modes: Set<GradientCheckMode> = [.forward, .reverse]
    public var tolerance: Double = 1e-6
    public var epsilon: Double = 1e-5
    public var testDescription: String { name }

    public init(name: String, order: Int, inputs: [Tensor], modes: Set<GradientCheckMode> = [.forward, .reverse],
         tolerance: Double = 1e-6, epsilon: Double = 1e-5, _ f: @escaping @Sendable ([Tensor]) -> Tensor) {
        self.epsilon = epsilon
        self.name = name
        self.order = order
        self.inputs = inputs
        self.modes = modes
        self.tolerance = tolerance
        self.f = f
    }
}

public enum GradientTable {
    public static func r(_ shape: [Int], _ seed: UInt64, low: Double = -1, high: Double = 1) -> Tensor {
        var rng = TestRandom(seed: seed)
        return Tensor((0..<shape.reduce(1, *)).map { _ in low + (high - low) * rng.uniform() }, shape: shape)
    }
    public static func c(_ shape: [Int], _ seed: UInt64) -> Tensor { complex(r(shape, seed), r(shape, seed + 100)) }
    /// A well-conditioned symmetric positive-definite matrix built from `x`.
    public static func spd(_ x: Tensor) -> Tensor { matmul(x, x.mT) + Tensor.eye(x.shape[x.rank - 1]) * Double(x.shape[x.rank - 1]) }

    public static let elementwise: [GradientCase] = [
        .init(name: "exp", order: 3, inputs: [r([5], 1)]) { exp($0[0]) },
        .init(name: "expm1", order: 3, inputs: [r([5], 2)]) { expm1($0[0]) },
        .init(name: "log", order: 3, inputs: [r([5], 3, low: 0.5, high: 2)]) { log($0[0]) },
        .init(name: "log1p", order: 3, inputs: [r([5], 4, low: -0.5, high: 2)]) { log1p($0[0]) },
        .init(name: "sin", order: 3, inputs: [r([5], 5)]) { sin($0[0]) },
        .init(name: "cos", order: 3, inputs: [r([5], 6)]) { cos($0[0]) },
        .init(name: "tan", order: 3, inputs: [r([5], 7)]) { tan($0[0]) },
        .init(name: "asin", order: 3, inputs: [r([5], 8, low: -0.8, high: 0.8)]) { asin($0[0]) },
        .init(name: "acos", order: 3, inputs: [r([5], 9, low: -0.8, high: 0.8)]) { acos($0[0]) },
        .init(name: "atan", order: 3, inputs: [r([5], 10)]) { atan($0[0]) },
        .init(name: "sinh", order: 3, inputs: [r([5], 11)]) { sinh($0[0]) },
        .init(name: "cosh", order: 3, inputs: [r([5], 12)]) { cosh($0[0]) },
        .init(name: "tanh", order: 3, inputs: [r([5], 13)]) { tanh($0[0]) },
        .init(name: "sqrt", order: 3, inputs: [r([5], 14, low: 0.5, high: 2)]) { sqrt($0[0]) },
        .init(name: "rsqrt", order: 3, inputs: [r([5], 15, low: 0.5, high: 2)]) { rsqrt($0[0]) },
        .init(name: "erf", order: 3, inputs: [r([5], 16)]) { erf($0[0]) },
        .init(name: "sigmoid", order: 3, inputs: [r([5], 17, low: -4, high: 4)]) { sigmoid($0[0]) },
        .init(name: "softplus", order: 3, inputs: [r([5], 18, low: -4, high: 4)]) { softplus($0[0]) },
        .init(name: "abs", order: 3, inputs: [r([5], 19, low: 0.2, high: 1) * Tensor([1.0, -1, 1, -1, 1])]) { abs($0[0]) },
        .init(name: "negate", order: 3, inputs: [r([5], 20)]) { -$0[0] },
        .init(name: "add (broadcast)", order: 3, inputs: [r([3, 1], 21), r([4], 22)]) { $0[0] + $0[1] },
        .init(name: "subtract (broadcast)", order: 3, inputs: [r([3, 4], 23), r([1, 4], 24)]) { $0[0] - $0[1] },
        .init(name: "multiply (broadcast)", order: 3, inputs: [r([3, 1], 25), r([4], 26)]) { $0[0] * $0[1] },
        .init(name: "divide", order: 3, inputs: [r([4], 27), r([4], 28, low: 0.5, high: 2)]) { $0[0] / $0[1] },
        .init(name: "pow", order: 3, inputs: [r([4], 29, low: 0.5, high: 2), r([4], 30)]) { pow($0[0], $0[1]) },
        .init(name: "pow by constant", order: 3, inputs: [r([4], 31, low: 0.5, high: 2)]) { pow($0[0], 3.5) },
        .init(name: "atan2", order: 3, inputs: [r([4], 32), r([4], 33, low: 0.3, high: 1)]) { atan2($0[0], $0[1]) },
        .init(name: "maximum", order: 2, inputs: [r([6], 34), r([6], 35)]) { maximum($0[0], $0[1]) },
        .init(name: "minimum", order: 2, inputs: [r([6], 36), r([6], 37)]) { minimum($0[0], $0[1]) },
        .init(name: "where", order: 2, inputs: [r([6], 38), r([6], 39)]) { `where`($0[0] .> 0, $0[0] * $0[0], sin($0[1])) },
        .init(name: "clip", order: 2, inputs: [r([6], 40, low: -2, high: 2)]) { clip($0[0], min: -1.3, max: 1.1) },
        .init(name: "cast float32 round trip", order: 2, inputs: [r([3], 41)], tolerance: 1e-3) { ($0[0].cast(to: .float32) * 2).cast(to: .float64) },
    ]

    public static let complexNumbers: [GradientCase] = [
        .init(name: "complex exp", order: 2, inputs: [c([3], 50)]) { exp($0[0]) },
        .init(name: "complex log", order: 2, inputs: [c([3], 51) + 2]) { log($0[0]) },
        .init(name: "complex sqrt", order: 2, inputs: [c([3], 52) + 2]) { sqrt($0[0]) },
        .init(name: "complex sin", order: 2, inputs: [c([3], 53)]) { sin($0[0]) },
        .init(name: "complex multiply", order: 2, inputs: [c([3], 54), c([3], 55)]) { $0[0] * $0[1] },
        .init(name: "complex divide", order: 2, inputs: [c([3], 56), c([3], 57) + 2]) { $0[0] / $0[1] },
        .init(name: "conj", order: 2, inputs: [c([3], 58)]) { conj($0[0]) * $0[0] },
        .init(name: "real and imag", order: 2, inputs: [c([3], 59)]) { real($0[0]) * imag($0[0]) },
        .init(name: "abs of complex", order: 2, inputs: [c([3], 60)]) { abs($0[0]) },
        .init(name: "complex from parts", order: 2, inputs: [r([3], 61), r([3], 62)]) { exp(complex($0[0], $0[1])) },
    ]

    public static let structure: [GradientCase] = [
        .init(name: "reshape", order: 2, inputs: [r([2, 6], 70)]) { sin($0[0]).reshaped(to: [3, 4]) },
        .init(name: "transpose", order: 2, inputs: [r([2, 3, 4], 71)]) { sin($0[0]).transposed(permutation: [2, 0, 1]) },
        .init(name: "broadcast", order: 2, inputs: [r([3, 1], 72)]) { sin($0[0]).broadcast(to: [2, 3, 4]) },
        .init(name: "strided slice", order: 2, inputs: [r([7, 5], 73)]) { sin($0[0])[1..<7, .stride(from: 4, by: -2)] },
        .init(name: "integer index", order: 2, inputs: [r([3, 4], 74)]) { sin($0[0])[1, 2...] },
        .init(name: "flip", order: 2, inputs: [r([3, 4], 75)]) { sin($0[0]).flipped(axes: [1]) },
        .init(name: "pad", order: 2, inputs: [r([3, 2], 76)]) { sin($0[0]).padded([(1, 2), (0, 1)], value: 0.5) },
        .init(name: "concatenate", order: 2, inputs: [r([2, 3], 77), r([2, 1], 78)]) { Tensor.concatenate([sin($0[0]), $0[1] * $0[1]], axis: 1) },
        .init(name: "stack and split", order: 2, inputs: [r([4], 79), r([4], 80)]) { Tensor.stack([$0[0], $0[1] * $0[0]]).split(count: 2, axis: 1)[1] },
        .init(name: "gather", order: 2, inputs: [r([5, 2], 81)]) { sin($0[0]).gathering(Tensor([Int64(4), 0, 4, -2]), alongAxis: 0) },
        .init(name: "scatter-add", order: 2, inputs: [r([5], 82), r([3], 83)]) { sin($0[0]).scatterAdding($0[1] * $0[1], at: Tensor([Int64(1), 3, 1]), alongAxis: 0) },
        .init(name: "take along axis", order: 2, inputs: [r([3, 4], 84)]) { sin($0[0]).takingAlongAxis(Tensor([Int64(3), 0, 1, 1, 2, 2], shape: [3, 2]), axis: 1) },
        .init(name: "sort", order: 2, inputs: [r([3, 5], 85)]) { sin($0[0]).sorted(axis: 1) },
        .init(name: "cumsum", order: 2, inputs: [r([3, 4], 86)]) { sin($0[0]).cumsum(axis: 1) + $0[0].cumsum(axis: 0, reverse: true) },
        .init(name: "tile and repeat", order: 2, inputs: [r([2, 3], 87)]) { sin($0[0]).tiled([2, 1]) * $0[0].repeating(2, axis: 0) },
        .init(name: "roll", order: 2, inputs: [r([5], 88)]) { sin($0[0]).rolled(by: 2, axis: 0) * $0[0] },
        .init(name: "diagonal", order: 2, inputs: [r([3, 3], 89)]) { sin($0[0]).diagonal() },
    ]

    public static let reductions: [GradientCase] = [
        .init(name: "sum", order: 2, inputs: [r([3, 4], 90)]) { sin($0[0]).sum(alongAxes: [1]) },
        .init(name: "mean", order: 2, inputs: [r([3, 4], 91)]) { sin($0[0]).mean(alongAxes: [0], keepingDims: true) },
        .init(name: "prod", order: 2, inputs: [r([3, 4], 92)]) { $0[0].prod(alongAxes: [1]) },
        .init(name: "prod with a zero", order: 2, inputs: [r([4], 93) * Tensor([1.0, 0, 1, 1])]) { $0[0].prod() },
        .init(name: "max", order: 2, inputs: [r([3, 4], 94)]) { sin($0[0]).max(alongAxes: [1]) },
        .init(name: "min over two axes", order: 2, inputs: [r([2, 3, 2], 95)]) { sin($0[0]).min(alongAxes: [0, 2]) },
        .init(name: "variance", order: 2, inputs: [r([3, 5], 96)]) { $0[0].variance(alongAxes: [1], ddof: 1) },
        .init(name: "logsumexp", order: 2, inputs: [r([3, 4], 97)]) { $0[0].logSumExp(alongAxes: [1]) },
        .init(name: "norm", order: 2, inputs: [r([3, 4], 98)]) { $0[0].norm(alongAxes: [1]) },
        .init(name: "norm over all", order: 2, inputs: [r([3, 4], 99)]) { $0[0].norm() },
    ]

    public static let products: [GradientCase] = [
        .init(name: "matmul", order: 2, inputs: [r([3, 4], 110), r([4, 2], 111)]) { matmul($0[0], $0[1]) },
        .init(name: "batched matmul with broadcast", order: 2, inputs: [r([2, 3, 4], 112), r([4, 2], 113)]) { matmul($0[0], sin($0[1])) },
        .init(name: "batched matmul", order: 2, inputs: [r([2, 3, 4], 114), r([2, 4, 2], 115)]) { matmul($0[0], $0[1]) },
        .init(name: "matrix-vector", order: 2, inputs: [r([3, 4], 116), r([4], 117)]) { matmul($0[0], $0[1]) },
        .init(name: "dot", order: 2, inputs: [r([4], 118), r([4], 119)]) { dot($0[0], $0[1]) },
        .init(name: "einsum bij,bkj->bik", order: 2, inputs: [r([2, 3, 4], 120), r([2, 5, 4], 121)]) { einsum("bij,bkj->bik", $0[0], $0[1]) },
        .init(name: "tensordot", order: 2, inputs: [r([2, 3, 4], 122), r([4, 3, 5], 123)]) { tensordot($0[0], $0[1], axes: [1, 2], [1, 0]) },
        .init(name: "dotGeneral with batch in the middle", order: 2, inputs: [r([3, 2, 4], 124), r([4, 2, 5], 125)]) {
            dotGeneral($0[0], $0[1], contracting: ([2], [0]), batch: ([1], [1]))
        },
        .init(name: "complex matmul", order: 2, inputs: [c([2, 3], 126), c([3, 2], 127)]) { matmul($0[0], $0[1]) },
    ]

    public static let linalg: [GradientCase] = [
        .init(name: "cholesky", order: 2, inputs: [r([3, 3], 130)]) { try! Linalg.cholesky(spd($0[0])) },
        .init(name: "batched cholesky", order: 2, inputs: [r([2, 3, 3], 131)]) { try! Linalg.cholesky(spd($0[0])) },
        .init(name: "solve", order: 2, inputs: [r([3, 3], 132) + Tensor.eye(3) * 3, r([3, 2], 133)]) { try! Linalg.solve($0[0], $0[1]) },
        .init(name: "triangular solve", order: 2, inputs: [r([3, 3], 134) + Tensor.eye(3) * 3, r([3, 2], 135)]) {
            Linalg.triangularSolve($0[0], $0[1], lower: true)
        },
        .init(name: "triangular solve, transposed, unit, right side", order: 2, inputs: [r([3, 3], 136), r([2, 3], 137)]) {
            Linalg.triangularSolve($0[0], $0[1], lower: false, transposeA: true, unitDiagonal: true, leftSide: false)
        },
        .init(name: "choSolve", order: 2, inputs: [r([3, 3], 138), r([3], 139)]) { Linalg.choSolve(try! Linalg.cholesky(spd($0[0])), $0[1]) },
        .init(name: "inv", order: 2, inputs: [r([3, 3], 140) + Tensor.eye(3) * 3]) { try! Linalg.inv($0[0]) },
        .init(name: "det", order: 2, inputs: [r([3, 3], 141) + Tensor.eye(3) * 2]) { Linalg.det($0[0]) },
        .init(name: "slogdet", order: 2, inputs: [r([2, 3, 3], 142) + Tensor.eye(3) * 2]) { Linalg.slogdet($0[0]).logAbsDet },
        .init(name: "eigh values", order: 2, inputs: [r([4, 4], 143)]) { Linalg.eigh($0[0] + $0[0].mT).values },
        .init(name: "eigh vectors (sign-fixed)", order: 2, inputs: [r([3, 3], 144)]) {
            let v = Linalg.eigh($0[0] + $0[0].mT).vectors
            return v * sign(v[0, .all]).expandingShape(at: 0)
        },
        .init(name: "svd values", order: 2, inputs: [r([4, 3], 145)]) { Linalg.svd($0[0]).s },
        .init(name: "svd U diag(s) Vt", order: 2, inputs: [r([3, 4], 146)]) {
            let (u, s, vt) = Linalg.svd($0[0])
            return matmul(u * s.expandingShape(at: 0), vt) + matmul(u, vt) * 0.3
        },
        .init(name: "qr", order: 2, inputs: [r([4, 3], 147)]) {
            let (q, rr) = Linalg.qr($0[0])
            return matmul(q, rr) + q * 0.5 + Tensor.concatenate([rr, rr[..<1]]) * 0.25
        },
        .init(name: "lstsq", order: 2, inputs: [r([5, 3], 148), r([5], 149)]) { Linalg.lstsq($0[0], $0[1]) },
        .init(name: "pinv", order: 2, inputs: [r([4, 3], 150)], epsilon: 1e-6) { Linalg.pinv($0[0]) },
        .init(name: "nuclear norm", order: 2, inputs: [r([3, 4], 151)]) { Linalg.norm($0[0], .nuclear, alongAxes: [0, 1]) },
        .init(name: "spectral norm", order: 2, inputs: [r([3, 4], 152)]) { Linalg.norm($0[0], .p(2), alongAxes: [0, 1]) },
    ]

    public static let fft: [GradientCase] = [
        .init(name: "fft", order: 2, inputs: [c([6], 160)]) { FFT.fft($0[0]) },
        .init(name: "ifft ortho", order: 2, inputs: [c([5], 161)]) { FFT.ifft($0[0], norm: .ortho) },
        .init(name: "fft of real", order: 2, inputs: [r([6], 162)]) { FFT.fft($0[0]) },
        .init(name: "fft2", order: 2, inputs: [c([3, 4], 163)]) { FFT.fft2($0[0]) },
        .init(name: "rfft even", order: 2, inputs: [r([6], 164)]) { FFT.rfft($0[0]) },
        .init(name: "rfft odd", order: 2, inputs: [r([7], 165)]) { FFT.rfft($0[0], norm: .forward) },
        .init(name: "irfft even", order: 2, inputs: [c([4], 166)]) { FFT.irfft($0[0], n: 6) },
        .init(name: "irfft odd", order: 2, inputs: [c([4], 167)]) { FFT.irfft($0[0], n: 7) },
        .init(name: "rfftn", order: 2, inputs: [r([3, 4, 5], 168)]) { FFT.rfftn($0[0]) },
        .init(name: "irfft2", order: 2, inputs: [c([3, 3], 169)]) { FFT.irfft2($0[0], s: [3, 4]) },
        .init(name: "fft with padding n", order: 2, inputs: [c([5], 170)]) { FFT.fft($0[0], n: 8) },
    ]

    public static let trigonometric: [GradientCase] = (1...4).flatMap { type -> [GradientCase] in
        [GradientCase(name: "dct\(type)", order: 2, inputs: [r([2, 6], UInt64(180 + type))]) { FFT.dct($0[0], type: type) },
         GradientCase(name: "dst\(type)", order: 2, inputs: [r([2, 6], UInt64(190 + type))]) { FFT.dst($0[0], type: type) },
         GradientCase(name: "dct\(type) ortho axis 0", order: 2, inputs: [r([5, 2], UInt64(200 + type))]) { FFT.dct($0[0], type: type, axis: 0, norm: .ortho) },
         GradientCase(name: "idst\(type)", order: 2, inputs: [r([6], UInt64(210 + type))]) { FFT.idst($0[0], type: type) }]
    }

    public static let composites: [GradientCase] = [
        .init(name: "custom JVP", order: 3, inputs: [r([4], 221, low: -3, high: 3)]) {
            customJVP({ x in log1p(exp(x)) }, jvp: { x, t in (log1p(exp(x)), t * sigmoid(x)) })($0[0])
        },
        .init(name: "custom VJP", order: 2, inputs: [r([4], 222)], modes: [.reverse]) {
            customVJP(forward: { x in (sin(x), [cos(x)]) }, backward: { r, ct in ct * r[0] })($0[0])
        },
        .init(name: "gaussian process log likelihood", order: 2, inputs: [r([3], 223, low: -0.5, high: 0.5)]) {
            GradientTable.gpNegativeLogLikelihood($0[0])
        },
    ]

    /// Negative log marginal likelihood of a Gaussian process with an RBF kernel; `theta` holds the
    /// logs of the lengthscale, signal variance and noise variance.
    public static func gpNegativeLogLikelihood(_ theta: Tensor) -> Tensor {
        let x = r([8, 2], 224), y = r([8], 225)
        let lengthscale = exp(theta[0]), signal = exp(theta[1]), noise = exp(theta[2])
        let diff = x.expandingShape(at: 1) - x.expandingShape(at: 0)
        let d2 = (diff * diff).sum(alongAxes: [-1])
        let k = signal * exp(-0.5 * d2 / (lengthscale * lengthscale)) + noise * Tensor.eye(8)
        let l = try! Linalg.cholesky(k)
        let alpha = Linalg.choSolve(l, y)
        return 0.5 * dot(y, alpha) + log(l.diagonal()).sum() + 4 * 1.8378770664093453
    }

    public static let all = elementwise + complexNumbers + structure + reductions + products + linalg + fft + trigonometric + composites
}

