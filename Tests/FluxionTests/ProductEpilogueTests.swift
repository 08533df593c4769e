import Testing
@testable import Fluxion
import FluxionTestSupport

/// Epilogue fusion: a product whose result only a fused chain reads runs the chain on its rows as
/// they are finished. Every path of the product (the small kernel reporting groups of rows, BLAS,
/// rows split over threads, halves of a long contraction, batched matrices) gives the same bits as
/// the product and the chain evaluated one after the other.
@Suite("Product epilogues")
struct ProductEpilogueTests {
    static func matrix(_ rows: Int, _ cols: Int, _ low: Double, _ high: Double) -> Tensor {
        Tensor.linspace(low, high, count: rows * cols).reshaped(to: [rows, cols])
    }

    @Test(arguments: [(64, 3, 64), (8192, 64, 64), (512, 3, 512), (300, 256, 128), (37, 20, 20), (5, 64, 3)])
    func denseLayerEqualsEagerBitForBit(_ m: Int, _ k: Int, _ n: Int) {
        // Small kernel (groups of rows), rows over threads (8192×64×64), one thread then the chain over
        // the threads (512×3×512: the shape of a kernel matrix), BLAS (k·n > 2¹⁴), odd row
        // counts, fewer than 4 columns (BLAS).
        let x = Self.matrix(m, k, -1, 1), w = sin(Self.matrix(k, n, 0, 9)) / Double(k).squareRoot()
        let b = Tensor.linspace(-0.5, 0.5, count: n)
        let f = jit { (x: Tensor, w: Tensor, b: Tensor) in tanh(matmul(x, w) + b) * 2 }
        #expect(f.program(for: x, w, b).primitiveNames == ["dot_general→fused[add,tanh,mul]"])
        #expect(f(x, w, b).doubles == (tanh(matmul(x, w) + b) * 2).doubles, "\(m)×\(k)·\(k)×\(n)")
    }

    @Test func transposedOperandsLongContractionsAndBatches() {
        let g = Self.matrix(8192, 64, -1, 1), q = cos(Self.matrix(8192, 64, 0, 5))
        let t = Self.matrix(64, 64, -0.3, 0.4)
        // A weight gradient qᵀ·g (a long contraction split in halves), then a chain reading another
        // array. Against the unfused product, which the jitted program reads transposed in place.
        let weight = jit { (q: Tensor, g: Tensor, t: Tensor) in (tanh(matmul(q.transposed(), g)) + 1) * t }
        #expect(weight.program(for: q, g, t).primitiveNames == ["dot_general→fused[tanh,add,mul]"])
        let unfusedWeight = jit { (q: Tensor, g: Tensor) in matmul(q.transposed(), g) }
        #expect(weight(q, g, t).doubles == ((tanh(unfusedWeight(q, g)) + 1) * t).doubles)
        // ȳ·Wᵀ (the right operand read transposed), the backward chain of a tanh layer.
        let backward = jit { (g: Tensor, w: Tensor, q: Tensor) in matmul(g, w.transposed()) * (1 - q * q) }
        #expect(backward.program(for: g, t, q).primitiveNames == ["dot_general→fused[mul,sub,mul]"])
        let unfusedBackward = jit { (g: Tensor, w: Tensor) in matmul(g, w.transposed()) }
        #expect(backward(g, t, q).doubles == (unfusedBackward(g, t) * (1 - q * q)).doubles)
        // Batched matrices (a product with a batch axis), through a reshape to the chain's shape.
        let xs = sin(Tensor.linspace(0, 20, count: 6 * 50 * 16)).reshaped(to: [6, 50, 16])
        let ws = cos(Tensor.linspace(0, 7, count: 6 * 16 * 24)).reshaped(to: [6, 16, 24])
        let batched = jit { (x: Tensor, w: Tensor) in exp(matmul(x, w).reshaped(to: [300, 24]) * 0.1) + 1 }
        #expect(batched.program(for: xs, ws).primitiveNames == ["dot_general→fused[mul,exp,add]"])
        #expect(batched(xs, ws).doubles == (exp(matmul(xs, ws).reshaped(to: [300, 24]) * 0.1) + 1).doubles)
    }

    /// Not fused when the product's result is read elsewhere too, or returned.
    @Test func resultUsedElsewhereStaysAProduct() {
        let x = Self.matrix(64, 8, -1, 1), w = Self.matrix(8, 16, 0, 1)
        let f = jit { (x: Tensor, w: Tensor) -> [Tensor] in
            let y = matmul(x, w)
            return [tanh(y) * 3, y]
        }
        #expect(f.program(for: x, w).primitiveNames == ["dot_general", "fused[tanh,mul]"])
        #expect(f(x, w)[0].doubles == (tanh(matmul(x, w)) * 3).doubles)
    }

    /// The transforms of an optimized program run the two equations the primitive replaced.
    @Test func transformsRunTheOriginalEquations() {
        let w = sin(Self.matrix(3, 5, 0, 4)), b = Tensor.linspace(-1, 1, count: 5)
        let staged = StagingInterpreter.stage([TensorType(shape: [4, 3], dtype: .float64)]) { xs in
            [tanh(matmul(xs[0], w) + b) * xs[0].sum()]
        }
        let optimized = Passes.optimize(staged)
        // The elementwise tail follows the sum, so that the product's epilogue takes the whole chain.
        #expect(optimized.primitiveNames == ["reduce_sum", "dot_general→fused[add,tanh,mul]"])
        let direct: (Tensor) -> Tensor = { x in tanh(matmul(x, w) + b) * x.sum() }
        let x = Self.matrix(4, 3, -1, 2)
        let loss: (Tensor) -> Tensor = { x in (interpret(optimized, [x])[0] * interpret(optimized, [x])[0]).sum() }
        expectClose(grad(loss)(x), grad { (x: Tensor) in (direct(x) * direct(x)).sum() }(x), rtol: 1e-13)
        let v = Self.matrix(4, 3, 0.5, -0.5)
        expectClose(jvp({ interpret(optimized, [$0])[0] }, at: x, tangent: v).tangent, jvp(direct, at: x, tangent: v).tangent, rtol: 1e-13)
        let batch = Tensor.linspace(-1, 1, count: 2 * 12).reshaped(to: [2, 4, 3])
        expectClose(vmap({ (x: Tensor) in interpret(optimized, [x])[0] })(batch), vmap(direct)(batch), rtol: 1e-14)
    }

    /// A jitted MLP's value and gradient over blocks of rows fuses the forward and backward layers
    /// into their products and equals eager evaluation.
    @Test func mlpGradientUnderBlocks() {
        let x = Self.matrix(4096, 2, -1, 1), y = sin(Self.matrix(4096, 1, 0, 3))
        let w1 = sin(Self.matrix(2, 32, 0, 5)), w2 = cos(Self.matrix(32, 32, 0, 7)) / 6, w3 = Self.matrix(32, 1, -0.2, 0.2)
        let loss: ([Tensor]) -> Tensor = { p in
            let h = tanh(matmul(tanh(matmul(x, p[0]) + 0.1), p[1]))
            let r = matmul(h, p[2]) - y
            return (r * r).mean()
        }
        let f = jit { (p: [Tensor]) in grad(loss)(p) }
        #expect(f.program(for: [w1, w2, w3]).description.contains("dot_general→fused[mul,sub,mul]"))
        for (a, b) in zip(f([w1, w2, w3]), grad(loss)([w1, w2, w3])) { expectClose(a, b, rtol: 1e-12, atol: 1e-15) }
    }
}
