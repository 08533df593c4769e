import Testing
@testable import Fluxion
import FluxionTestSupport

/// `vmap` traced directly by `jit` over a long axis runs by blocks of rows (`map_blocks`): the same
/// values as eager `vmap`, and the same derivatives and batching through the transforms of the
/// jitted function.
@Suite("blocked maps")
struct BlockedMapTests {
    struct Net: TensorTree { var w1: Tensor; var w2: Tensor; var b: Tensor }
    static let net = Net(w1: GradientTable.r([3, 16], 1), w2: GradientTable.r([16, 2], 2), b: GradientTable.r([16], 3))
    static let points = GradientTable.r([2048, 3], 4)

    /// A per-point function with a shared weight matrix captured from the jitted function.
    static func perPoint(_ n: Net, _ x: Tensor) -> Tensor {
        let h = tanh(matmul(x, n.w1) + n.b)
        return matmul(h, n.w2) * x.sum()
    }

    static func mapped(_ n: Net, _ xs: Tensor) -> Tensor { vmap({ x in perPoint(n, x) })(xs) }

    @Test func blockSizes() {
        #expect(BlockedMap.rows(for: 4096) == 512)
        #expect(BlockedMap.rows(for: 3000) == 500)
        #expect(BlockedMap.rows(for: 1000) == nil)       // too short to cut
        #expect(BlockedMap.rows(for: 2 * 1031) == nil)   // no divisor between 64 and 512
    }

    @Test func jitOfVmapRunsByBlocksAndEqualsEager() {
        let f = jit { (n: Net, xs: Tensor) in Self.mapped(n, xs) }
        let program = f.program(for: Self.net, Self.points)
        #expect(program.primitiveNames.contains("map_blocks[4×512]"))
        #expect(program.description.contains("map_blocks[4×512]") && program.description.contains("tanh"))
        let expected = Self.mapped(Self.net, Self.points)
        expectClose(f(Self.net, Self.points), expected, rtol: 1e-14, atol: 1e-15)
        #expect(f(Self.net, Self.points).shape == [2048, 2])
    }

    @Test func axesSharedArgumentsAndSeveralOutputs() {
        // Mapped over axis 1 of the points, the weights passed as a shared argument, two outputs
        // with the batch axis put last.
        let columns = Self.points.mT
        let g = { (xs: Tensor, n: Net) in
            vmap({ (x: Tensor, n: Net) -> [Tensor] in [Self.perPoint(n, x), x * 2] }, inAxes: (1, nil), outAxis: 1)(xs, n)
        }
        let f = jit(g)
        #expect(f.program(for: columns, Self.net).primitiveNames.contains { $0.hasPrefix("map_blocks") })
        let (a, b) = (f(columns, Self.net), g(columns, Self.net))
        #expect(a[0].shape == [2, 2048] && a[1].shape == [3, 2048])
        for (x, y) in zip(a, b) { expectClose(x, y, rtol: 1e-14, atol: 1e-15) }
    }

    @Test func transformsOfTheJittedFunctionSeeTheWholeBatch() {
        let f = jit { (n: Net, xs: Tensor) in Self.mapped(n, xs) }
        let loss = { (n: Net) in (f(n, Self.points) * f(n, Self.points)).sum() }
        let eagerLoss = { (n: Net) in (Self.mapped(n, Self.points) * Self.mapped(n, Self.points)).sum() }
        let (g, e) = (grad(loss)(Self.net), grad(eagerLoss)(Self.net))
        for (x, y) in zip(g.leaves, e.leaves) { expectClose(x, y, rtol: 1e-12, atol: 1e-13) }
        // Forward mode, in the points.
        let direction = GradientTable.r([2048, 3], 5)
        let t = jvp({ xs in f(Self.net, xs) }, at: Self.points, tangent: direction).tangent
        let te = jvp({ xs in Self.mapped(Self.net, xs) }, at: Self.points, tangent: direction).tangent
        expectClose(t, te, rtol: 1e-12, atol: 1e-13)
        // vmap over two sets of weights.
        let nets = Net(w1: Tensor.stack([Self.net.w1, Self.net.w1 * 0.5]), w2: Tensor.stack([Self.net.w2, Self.net.w2]),
                       b: Tensor.stack([Self.net.b, -Self.net.b]))
        let batched = vmap({ (n: Net) in f(n, Self.points) })(nets)
        for i in 0..<2 {
            let n = Net(w1: nets.w1[i], w2: nets.w2[i], b: nets.b[i])
            expectClose(batched[i], Self.mapped(n, Self.points), rtol: 1e-13, atol: 1e-14)
        }
        // Taylor mode through it: second derivative along a line through the points.
        let line = { (s: Tensor) in f(Self.net, Self.points + s * direction).sum() }
        let eagerLine = { (s: Tensor) in Self.mapped(Self.net, Self.points + s * direction).sum() }
        let d2 = derivatives(line, at: Tensor(0.1), order: 2)[2]
        let d2e = derivatives(eagerLine, at: Tensor(0.1), order: 2)[2]
        expectClose(d2, d2e, rtol: 1e-11)
    }

    @Test func notBlockedUnderAnotherTransformOrForShortAxes() {
        // grad inside jit: the vmap sees tangent tracers, and runs whole.
        let f = jit { (n: Net) in grad { (n: Net) in Self.mapped(n, Self.points).sum() }(n) }
        #expect(!f.program(for: Self.net).primitiveNames.contains { $0.hasPrefix("map_blocks") })
        let short = jit { (n: Net, xs: Tensor) in Self.mapped(n, xs) }
        #expect(!short.program(for: Self.net, Self.points[0..<1000]).primitiveNames.contains { $0.hasPrefix("map_blocks") })
        // A jitted function closing over a tracer of an enclosing transform still differentiates.
        let g = grad { (s: Tensor) in
            jit { (xs: Tensor) in vmap({ x in (x * s).sum() })(xs) }(Self.points).sum()
        }(Tensor(2.0))
        expectClose(g, Self.points.sum(), rtol: 1e-13)
    }
}
