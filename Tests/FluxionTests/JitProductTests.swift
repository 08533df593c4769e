import FluxionTestSupport
import Testing
@testable import Fluxion
@testable import FluxionKernels

/// The compiled programs around matrix products: transposes sunk into gemm's flags, products with
/// a long contraction split in halves, and fused chains with short broadcast rows (a bias).
@Suite("jit and products")
struct JitProductTests {
    static let a = Random.normal(PRNGKey(seed: 1), shape: [300, 40])
    static let b = Random.normal(PRNGKey(seed: 2), shape: [300, 30])
    static let c = Random.normal(PRNGKey(seed: 3), shape: [40, 30])

    /// The product by sums of elementwise products, which shares no code with gemm.
    static func reference(_ x: Tensor, _ y: Tensor) -> Tensor {
        (x.expandingShape(at: 2) * y.expandingShape(at: 0)).sum(alongAxes: [1])
    }

    @Test func transposedOperandsAreReadInPlace() {
        let (a, b, c) = (Self.a, Self.b, Self.c)
        let left = jit { (a: Tensor, b: Tensor) in matmul(a.mT, b) }
        #expect(left.program(for: a, b).primitiveNames == ["dot_general"])
        expectClose(left(a, b), Self.reference(a.mT, b), rtol: 1e-12)
        let right = jit { (b: Tensor, c: Tensor) in matmul(c, b.mT) }           // [40, 300]
        #expect(right.program(for: b, c).primitiveNames == ["dot_general"])
        expectClose(right(b, c), Self.reference(c, b.mT), rtol: 1e-12)
        let both = jit { (a: Tensor, c: Tensor) in matmul(c.mT, a.mT) }        // [30, 300]
        #expect(both.program(for: a, c).primitiveNames == ["dot_general"])
        expectClose(both(a, c), Self.reference(c.mT, a.mT), rtol: 1e-12)
        // Batched: the transpose of the last two axes of a stack.
        let stack = Random.normal(PRNGKey(seed: 4), shape: [3, 5, 4])
        let batched = jit { (s: Tensor) in matmul(s.mT, s) }
        #expect(batched.program(for: stack).primitiveNames == ["dot_general"])
        for i in 0..<3 { expectClose(batched(stack)[i], Self.reference(stack[i].mT, stack[i]), rtol: 1e-12) }
    }

    @Test func transposedProductsSwapTheirOperands() {
        let (a, c) = (Self.a, Self.c)
        let f = jit { (a: Tensor, c: Tensor) in matmul(a, c).mT }           // [30, 300] = cᵀ aᵀ
        #expect(f.program(for: a, c).primitiveNames == ["dot_general"])
        expectClose(f(a, c), Self.reference(a, c).mT, rtol: 1e-12)
        // A product also used untransposed keeps its transpose (swapping would compute it twice).
        let g = jit { (a: Tensor, c: Tensor) -> [Tensor] in
            let p = matmul(a, c)
            return [p.mT, p]
        }
        #expect(g.program(for: a, c).primitiveNames == ["dot_general", "transpose"])
        let out = g(a, c)
        expectClose(out[0], Self.reference(a, c).mT, rtol: 1e-12)
        expectClose(out[1], Self.reference(a, c), rtol: 1e-12)
        // The weight gradients of a dense layer come out of the products with no transpose.
        let layer = jit(grad { (w: Tensor) in tanh(matmul(a, w)).sum() })
        #expect(!layer.program(for: c).primitiveNames.contains("transpose"))
        expectClose(layer(c), matmul(a.mT, 1 - tanh(matmul(a, c)) * tanh(matmul(a, c))), rtol: 1e-12)
    }

    /// A long contraction into a small result is computed as two halves, added: checked against
    /// elementwise sums, in float64 and float32, for even and odd lengths, transposed or not.
    @Test(arguments: [4096, 4097])
    func longContractionsInHalves(_ k: Int) {
        let x = Random.normal(PRNGKey(seed: 5), shape: [k, 40]), y = Random.normal(PRNGKey(seed: 6), shape: [k, 36])
        #expect(BLASKernels.split(batch: 1, m: 40, n: 36, k: k) == .contraction)
        expectClose(matmul(x.mT, y), Self.reference(x.mT, y), rtol: 1e-11, atol: 1e-11)
        let xr = x.mT, yr = y.mT                                                    // [40, k], [36, k] in memory
        expectClose(matmul(xr, yr.mT), Self.reference(xr, yr.mT), rtol: 1e-11, atol: 1e-11)
        expectClose(matmul(xr, y), Self.reference(xr, y), rtol: 1e-11, atol: 1e-11)
        let single = matmul(x.mT.cast(to: .float32), y.cast(to: .float32))
        #expect(single.dtype == .float32)
        expectClose(single.cast(to: .float64), Self.reference(x.mT, y), rtol: 1e-3, atol: 1e-3)
    }

    /// A chain with a bias of a short row (the rows of the chain are 5 long, its blocks 512) and a
    /// result exported twice.
    @Test func fusedChainsWithShortBroadcastRows() {
        let x = Random.normal(PRNGKey(seed: 7), shape: [3001, 5]), bias = Tensor([0.1, -0.2, 0.3, 0.4, -0.5])
        let column = Random.normal(PRNGKey(seed: 8), shape: [3001, 1])
        let f = jit { (x: Tensor, bias: Tensor, column: Tensor) -> [Tensor] in
            let h = tanh(x + bias) * column
            return [h, exp(h) - bias, h]
        }
        let names = f.program(for: x, bias, column).primitiveNames
        #expect(names.count == 1 && names[0].hasPrefix("fused["), "\(names)")
        let out = f(x, bias, column)
        let h = tanh(x + bias) * column
        expectClose(out[0], h, rtol: 1e-15, atol: 1e-15)
        expectClose(out[1], exp(h) - bias, rtol: 1e-15, atol: 1e-15)
        expectClose(out[2], h, rtol: 1e-15, atol: 1e-15)
    }

    /// Transposes copy in tiles of the plane of the source's contiguous axis: every permutation of
    /// a `[19, 33, 5]` array (sizes not multiples of the tile), element by element.
    @Test(arguments: [[0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]])
    func transposesInTiles(_ permutation: [Int]) {
        let shape = [19, 33, 5]
        let x = Tensor.arange(0, Double(shape.reduce(1, *))).reshaped(to: shape)
        let y = x.transposed(permutation: permutation)
        #expect(y.shape == permutation.map { shape[$0] })
        let values = y.doubles
        var k = 0
        for i in 0..<y.shape[0] {
            for j in 0..<y.shape[1] {
                for l in 0..<y.shape[2] {
                    var source = [0, 0, 0]
                    (source[permutation[0]], source[permutation[1]], source[permutation[2]]) = (i, j, l)
                    #expect(values[k] == Double((source[0] * 33 + source[1]) * 5 + source[2]))
                    k += 1
                }
            }
        }
    }

    /// `where` with whole operands and scalars runs flat loops; against the broadcasting path.
    @Test func selectWithScalars() {
        let x = Random.normal(PRNGKey(seed: 9), shape: [300, 200])
        let mask = x .> 0
        let viaScalar = `where`(mask, x, Tensor(0.0))
        let viaBroadcast = `where`(mask, x, Tensor.zeros([1, 200]))
        #expect(viaScalar.doubles == viaBroadcast.doubles)
        #expect(viaScalar.doubles == x.doubles.map { $0 > 0 ? $0 : 0 })
        #expect(`where`(mask, Tensor(1.0), x).doubles == x.doubles.map { $0 > 0 ? 1 : $0 })
    }

    /// `jacfwd` pushes an identity basis through the first product; jit removes that product (and
    /// the transposes that only move unit axes). Values against eager evaluation, which multiplies.
    @Test func identityBasisProductsAreRemoved() {
        let w = Random.normal(PRNGKey(seed: 10), shape: [6, 6]), x = Random.normal(PRNGKey(seed: 11), shape: [6])
        let functions: [(String, (Tensor) -> Tensor)] = [
            ("w·x", { x in tanh(matmul(w, x)) }),
            ("x·w", { x in sin(matmul(x, w)) }),
            ("hessian", { x in hessian { x in tanh(matmul(w, x)).sum() + 0.5 * dot(x, x) }(x) }),
        ]
        for (name, f) in functions {
            let jacobian = { (x: Tensor) in jacfwd(f)(x) }
            let program = jit(jacobian).program(for: x)
            let basisProducts = program.equations.filter { e in
                e.primitive is DotGeneral && e.inputs.contains { o in
                    guard case .constant(let c) = o, c.count > 1 else { return false }
                    return c.doubles.allSatisfy { $0 == 0 || $0 == 1 }                 // a basis, not the captured w
                }
            }
            #expect(basisProducts.isEmpty, "\(name): \(program)")
            expectClose(jit(jacobian)(x), jacobian(x), rtol: 1e-13, atol: 1e-14, "\(name)")
        }
        let unitMoves = jit { (x: Tensor) in x.reshaped(to: [6, 1, 6]).transposed(permutation: [1, 0, 2]) * 2 }
        #expect(!unitMoves.program(for: w).primitiveNames.contains("transpose"))
        #expect(unitMoves(w).doubles == (w * 2).doubles)
    }
}
