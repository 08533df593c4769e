import Testing
@testable import Fluxion
import FluxionTestSupport

@Suite("vmap against slice-by-slice evaluation")
struct VmapTests {
    static let batch = 3

    /// Example `b` of a row's inputs: a small perturbation that stays inside the function's domain.
    static func example(_ row: GradientCase, _ b: Int) -> [Tensor] {
        row.inputs.enumerated().map { k, x in
            let noise = x.dtype.isComplex ? GradientTable.c(x.shape, UInt64(900 + 10 * b + k)) : GradientTable.r(x.shape, UInt64(900 + 10 * b + k))
            return x + noise.cast(to: x.dtype) * (0.01 * Double(b))
        }
    }

    static func loop(_ row: GradientCase, shared: Bool) -> Tensor {
        Tensor.stack((0..<batch).map { b in
            let ex = example(row, b)
            return row.f(shared ? [ex[0]] + Array(row.inputs.dropFirst()) : ex)
        })
    }

    @Test("every operation, all arguments mapped over axis 0", arguments: GradientTable.all)
    func leadingAxis(_ row: GradientCase) {
        let stacked = row.inputs.indices.map { k in Tensor.stack((0..<Self.batch).map { Self.example(row, $0)[k] }) }
        expectClose(vmap(row.f)(stacked), Self.loop(row, shared: false), rtol: 1e-12, atol: 1e-12, "\(row.name)")
    }

    @Test("every operation, mapped over the last axis, output batch axis last", arguments: GradientTable.all)
    func trailingAxis(_ row: GradientCase) {
        let stacked = row.inputs.indices.map { k in Tensor.stack((0..<Self.batch).map { Self.example(row, $0)[k] }, axis: -1) }
        let expected = Self.loop(row, shared: false).movingAxis(0, to: -1)
        expectClose(vmap(row.f, inAxis: -1, outAxis: -1)(stacked), expected, rtol: 1e-12, atol: 1e-12, "\(row.name)")
    }

    @Test("every operation, mapped over axis 1", arguments: GradientTable.all)
    func middleAxis(_ row: GradientCase) {
        let stacked = row.inputs.indices.map { k in Tensor.stack((0..<Self.batch).map { Self.example(row, $0)[k] }, axis: 1) }
        expectClose(vmap(row.f, inAxis: 1)(stacked), Self.loop(row, shared: false), rtol: 1e-12, atol: 1e-12, "\(row.name)")
    }

    @Test("every operation, first argument mapped, the others shared", arguments: GradientTable.all.filter { $0.inputs.count > 1 })
    func sharedArguments(_ row: GradientCase) {
        let first = Tensor.stack((0..<Self.batch).map { Self.example(row, $0)[0] })
        let f = vmap({ (a: Tensor, rest: [Tensor]) in row.f([a] + rest) }, inAxes: (0, nil))
        expectClose(f(first, Array(row.inputs.dropFirst())), Self.loop(row, shared: true), rtol: 1e-12, atol: 1e-12, "\(row.name)")
    }

    @Test func perExampleGradients() {
        var rng = TestRandom(seed: 31)
        let w = rng.tensor([3, 2]), xs = rng.tensor([5, 3]), ys = rng.tensor([5, 2])
        let loss: (Tensor, [Tensor]) -> Tensor = { w, data in
            let r = tanh(matmul(data[0], w)) - data[1]
            return (r * r).sum()
        }
        let perExample = vmap({ (data: [Tensor]) in grad { (w: Tensor) in loss(w, data) }(w) })([xs, ys])
        #expect(perExample.shape == [5, 3, 2])
        for i in 0..<5 {
            expectClose(perExample[i], grad { (w: Tensor) in loss(w, [xs[i], ys[i]]) }(w), rtol: 1e-13)
        }
        // The mean of per-example gradients is the gradient of the mean loss (grad of a vmap).
        let meanLoss = grad { (w: Tensor) in vmap({ (d: [Tensor]) in loss(w, d) })([xs.expandingShape(at: 1), ys.expandingShape(at: 1)]).mean() }(w)
        expectClose(meanLoss, perExample.mean(alongAxes: [0]), rtol: 1e-13)
    }

    @Test func nestedVmapAndConstants() {
        var rng = TestRandom(seed: 32)
        let x = rng.tensor([2, 3, 4])
        let f: (Tensor) -> Tensor = { v in (v * v).sum() + v[0] }
        let twice = vmap(vmap(f))(x)
        #expect(twice.shape == [2, 3])
        for i in 0..<2 { for j in 0..<3 { #expect(Swift.abs(twice[i, j].item - f(x[i, j]).item) < 1e-14) } }
        // An output that does not depend on the mapped argument is repeated.
        expectEqual(vmap({ (_: Tensor) in Tensor(7.0) })(Tensor.zeros([3])), [7, 7, 7])
    }

    @Test func jacobiansThroughVmap() {
        let f: (Tensor) -> Tensor = { x in Tensor.stack([x[0] * x[1], sin(x[2]), x.sum()]) }
        let x = Tensor([1.0, 2.0, 0.5])
        let forward = vmap({ v in jvp(f, at: x, tangent: v).tangent })(Tensor.eye(3)).transposed()
        let (_, pullback) = vjp(f, at: x)
        let reverse = vmap(pullback)(Tensor.eye(3))
        expectClose(forward, reverse, rtol: 1e-15)
        expectClose(forward, jacfwd(f)(x), rtol: 1e-15)
    }
}

extension VmapTests {
    @Test func gatherAndScatterWithBatchedIndices() {
        var rng = TestRandom(seed: 33)
        for axis in [0, 1] {
            let x = rng.tensor([3, 4, 5])                                     // batch of 3 examples [4, 5]
            let idx = Tensor([Int64(0), 3, -1, 2, 2, 1], shape: [3, 2])       // per-example indices
            let gathered = vmap({ (x: Tensor, i: Tensor) in x.gathering(i, alongAxis: axis) })(x, idx)
            let expected = Tensor.stack((0..<3).map { x[$0].gathering(idx[$0], alongAxis: axis) })
            expectClose(gathered, expected, rtol: 0, atol: 0, "gather axis \(axis)")
            let updates = axis == 0 ? rng.tensor([3, 2, 5]) : rng.tensor([3, 4, 2])
            let scattered = vmap({ (u: Tensor, i: Tensor) in Tensor.zeros(axis == 0 ? [4, 5] : [4, 5]).scatterAdding(u, at: i, alongAxis: axis) })(updates, idx)
            let expectedScatter = Tensor.stack((0..<3).map { Tensor.zeros([4, 5]).scatterAdding(updates[$0], at: idx[$0], alongAxis: axis) })
            expectClose(scattered, expectedScatter, rtol: 0, atol: 1e-15, "scatter axis \(axis)")
            // Shared data, batched indices.
            let shared = vmap({ (i: Tensor) in x[0].gathering(i, alongAxis: axis) })(idx)
            expectClose(shared, Tensor.stack((0..<3).map { x[0].gathering(idx[$0], alongAxis: axis) }), rtol: 0, atol: 0)
        }
        // Per-example keys give per-example random streams.
        let keys = Tensor.stack([PRNGKey(seed: 1).data, PRNGKey(seed: 2).data])
        let draws = vmap({ (k: Tensor) in Random.uniform(PRNGKey(data: k), shape: [4]) })(keys)
        #expect(draws[1].doubles == Random.uniform(PRNGKey(seed: 2), shape: [4]).doubles)
    }
}
