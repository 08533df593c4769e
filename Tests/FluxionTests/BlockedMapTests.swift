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
        #expect(Passes.splitRows(4096) == 1024 && Passes.splitRows(8192) == 1024 && Passes.splitRows(3000) == 1000)
        #expect(Passes.splitRows(2048) == 1024 && Passes.splitRows(1536) == nil && Passes.splitRows(2 * 1031) == nil)
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
        // grad inside jit: the vmap sees tangent tracers, and runs whole (1536 points: too few for
        // the program's own split, enough for a blocked vmap).
        let points = Self.points[0..<1536]
        let f = jit { (n: Net) in grad { (n: Net) in Self.mapped(n, points).sum() }(n) }
        #expect(!f.program(for: Self.net).primitiveNames.contains { $0.hasPrefix("map_blocks") })
        #expect(jit { (n: Net) in Self.mapped(n, points) }.program(for: Self.net).primitiveNames == ["map_blocks[3×512]"])
        let short = jit { (n: Net, xs: Tensor) in Self.mapped(n, xs) }
        #expect(!short.program(for: Self.net, Self.points[0..<1000]).primitiveNames.contains { $0.hasPrefix("map_blocks") })
        // A jitted function closing over a tracer of an enclosing transform still differentiates.
        let g = grad { (s: Tensor) in
            jit { (xs: Tensor) in vmap({ x in (x * s).sum() })(xs) }(Self.points).sum()
        }(Tensor(2.0))
        expectClose(g, Self.points.sum(), rtol: 1e-13)
    }

    // MARK: splitting a program over its rows

    static let rows = GradientTable.r([4096, 3], 6)
    static let targets = sin(3 * rows[.all, 0...0]) * rows[.all, 1...1]

    /// A regression loss over the rows: every row's work is its own, then one sum.
    static func loss(_ n: Net, _ x: Tensor, _ y: Tensor) -> Tensor {
        let r = matmul(tanh(matmul(x, n.w1) + n.b), n.w2).sum(alongAxes: [1], keepingDims: true) - y
        return (r * r).mean()
    }

    @Test func aLossAndItsGradientRunByBlocksOfRows() {
        let f = jit { (n: Net, x: Tensor, y: Tensor) in valueAndGrad { (n: Net) in Self.loss(n, x, y) }(n) }
        let program = f.program(for: Self.net, Self.rows, Self.targets)
        #expect(program.primitiveNames.first == "map_blocks[4×1024]")
        #expect(!program.primitiveNames.contains("dot_general"))   // every product runs in the blocks
        let (value, gradient) = f(Self.net, Self.rows, Self.targets)
        let (v, g) = valueAndGrad { (n: Net) in Self.loss(n, Self.rows, Self.targets) }(Self.net)
        expectClose(value, v, rtol: 1e-13)
        for (a, b) in zip(gradient.leaves, g.leaves) { expectClose(a, b, rtol: 1e-12, atol: 1e-14) }
        // The data closed over as constants split the same way.
        let closed = jit { (n: Net) in valueAndGrad { (n: Net) in Self.loss(n, Self.rows, Self.targets) }(n) }
        #expect(closed.program(for: Self.net).primitiveNames.first == "map_blocks[4×1024]")
        expectClose(closed(Self.net).1.w1, g.w1, rtol: 1e-12, atol: 1e-14)
        // The transforms of the jitted loss see the whole batch: its gradient by reverse mode
        // through the split program, and a directional derivative by forward mode.
        let jittedLoss = jit { (n: Net) in Self.loss(n, Self.rows, Self.targets) }
        #expect(jittedLoss.program(for: Self.net).primitiveNames.contains("map_blocks[4×1024]"))
        let through = grad { (n: Net) in jittedLoss(n) }(Self.net)
        for (a, b) in zip(through.leaves, g.leaves) { expectClose(a, b, rtol: 1e-12, atol: 1e-14) }
        let direction = Net(w1: Self.net.w2.mT[0..<1].broadcast(to: [3, 16]), w2: Self.net.w2, b: Self.net.b)
        let slope = jvp({ (n: Net) in jittedLoss(n) }, at: Self.net, tangent: direction).tangent
        let eagerSlope = jvp({ (n: Net) in Self.loss(n, Self.rows, Self.targets) }, at: Self.net, tangent: direction).tangent
        expectClose(slope, eagerSlope, rtol: 1e-12)
        // Rows returned whole: the residuals come out of the blocks joined in order.
        let residuals = jit { (n: Net, x: Tensor) in matmul(tanh(matmul(x, n.w1) + n.b), n.w2) }
        #expect(residuals.program(for: Self.net, Self.rows).primitiveNames == ["map_blocks[4×1024]"])
        expectClose(residuals(Self.net, Self.rows), matmul(tanh(matmul(Self.rows, Self.net.w1) + Self.net.b), Self.net.w2),
                    rtol: 1e-14, atol: 1e-15)
    }

    @Test func programsThatMixRowsAreLeftWhole() {
        // Centering by the batch mean makes every row depend on every other: no split.
        let centered = jit { (n: Net, x: Tensor) in
            let h = tanh(matmul(x, n.w1))
            return matmul(h - h.mean(alongAxes: [0]), n.w2).sum()
        }
        #expect(!centered.program(for: Self.net, Self.rows).primitiveNames.contains { $0.hasPrefix("map_blocks") })
        let h = tanh(matmul(Self.rows, Self.net.w1))
        expectClose(centered(Self.net, Self.rows), matmul(h - h.mean(alongAxes: [0]), Self.net.w2).sum(), rtol: 1e-13)
        // A lone product splits its own work already.
        let gradientProduct = jit { (x: Tensor, y: Tensor) in matmul(x.mT, y) }
        #expect(gradientProduct.program(for: Self.rows, Self.rows).primitiveNames == ["dot_general"])
    }
}
