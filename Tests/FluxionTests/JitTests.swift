import Foundation
import Testing
@testable import Fluxion
import FluxionTestSupport

@Suite("jit")
struct JitTests {
    @Test("every operation: jit equals eager", arguments: GradientTable.all)
    func jitEqualsEager(_ row: GradientCase) {
        let compiled = jit(row.f)
        expectClose(compiled(row.inputs), row.f(row.inputs), rtol: 1e-15, atol: 1e-15, "\(row.name)")
        #expect(compiled.traceCount == 1)
    }

    @Test("every operation: jit of the gradient equals the eager gradient", arguments: GradientTable.all.filter { $0.modes.contains(.reverse) })
    func jitOfGradient(_ row: GradientCase) {
        let scalar: ([Tensor]) -> Tensor = { real(row.f($0)).sum() }
        let eager = grad(scalar)(row.inputs)
        let compiled = jit(grad(scalar))(row.inputs)
        for (a, b) in zip(compiled, eager) { expectClose(a, b, rtol: 1e-13, atol: 1e-14, "\(row.name)") }
    }

    @Test func composition() {
        let f: (Tensor) -> Tensor = { x in (sin(x) * x).sum() }
        let x = Tensor([0.3, -1.2, 2.0])
        let jf = jit(f)
        expectClose(grad { jf($0) }(x), grad(f)(x), rtol: 1e-15)              // grad(jit(f))
        expectClose(jit(grad(f))(x), grad(f)(x), rtol: 1e-15)                  // jit(grad(f))
        let batched = Tensor.stack([x, x * 2])
        expectClose(vmap({ jf($0) })(batched), vmap(f)(batched), rtol: 1e-15)  // vmap(jit(f))
        expectClose(jit(vmap(f))(batched), vmap(f)(batched), rtol: 1e-15)      // jit(vmap(f))
        let outer = jit { (x: Tensor) in jf(x) * 2 }                           // jit inside jit
        #expect(outer(x).item == 2 * f(x).item)
        expectClose(jit(hessian(f))(x), hessian(f)(x), rtol: 1e-14)
        // A jitted function closing over a tracer of an enclosing transform is not cached with it.
        let g = grad { (a: Tensor) in jit { (y: Tensor) in (a * y).sum() }(Tensor([1.0, 2.0])) }(Tensor(3.0))
        #expect(g.item == 3)
    }

    @Test func cacheAndMissExplanations() {
        let f = jit { (x: Tensor) in sin(x) * 2 }
        _ = f(Tensor([1.0, 2.0]))
        #expect(f.lastMissExplanation == "first call: traced for float64[2]")
        _ = f(Tensor([3.0, 4.0]))
        #expect(f.traceCount == 1)
        _ = f(Tensor([1.0, 2.0, 3.0]))
        #expect(f.traceCount == 2 && f.lastMissExplanation == "tensor 0 changed shape from [2] to [3]")
        _ = f(Tensor([Float(1), 2, 3]))
        #expect(f.traceCount == 3 && f.lastMissExplanation == "tensor 0 changed dtype from float64 to float32")
        _ = f(Tensor([5.0, 6.0]))
        #expect(f.traceCount == 3 && f.cacheSize == 3)
        let powered = jit { (x: Tensor, n: Int) in n == 0 ? Tensor.ones(like: x) : pow(x, Double(n)) }
        #expect(powered(Tensor([2.0]), 3).doubles == [8])
        #expect(powered(Tensor([2.0]), 0).doubles == [1])
        #expect(powered.lastMissExplanation == "the static argument changed from 3 to 0")
        #expect(powered(Tensor([3.0]), 3).doubles == [27] && powered.traceCount == 2)
        let tree = jit { (d: [String: Tensor]) in d["a"]! + d["b"]! }
        #expect(tree(["a": Tensor(1.0), "b": Tensor(2.0)]).item == 3)
        _ = tree(["a": Tensor(1.0), "c": Tensor(2.0), "b": Tensor(0.0)])
        #expect(tree.lastMissExplanation?.hasPrefix("the tree structure of argument 0 changed: the root: keys [\"c\"] only now") == true)
    }

    @Test func programsPrintLikeJaxprs() {
        let p = jit { (x: Tensor) in sin(x) * x }.program(for: Tensor(1.0))
        #expect(p.description == """
            { lambda a:float64[] .
                b:float64[] = sin a
                c:float64[] = mul b a
              in (c) }
            """)
        let fused = jit { (x: Tensor) in sin(x) * x }.program(for: Tensor([1.0, 2.0, 3.0]))
        #expect(fused.description == """
            { lambda a:float64[3] .
                c:float64[3] = fused[sin,mul] a
              in (c) }
            """)
    }

    /// Common subexpressions compare constants by value and type: a constant and its reshape share
    /// a buffer but are different operands; equal small constants made separately are one.
    @Test func constantsInCommonSubexpressions() {
        let c = Tensor([1.0, 2.0, 3.0])
        let column = c.reshaped(to: [3, 1])                 // shares c's buffer
        let f = { (x: Tensor) in (x + c) * (x + column) }
        let x = GradientTable.r([3, 3], 81)
        expectClose(jit(f)(x), f(x), rtol: 1e-15)
        let twice = jit { (x: Tensor) in (x * Tensor([2.0, 3.0])) + (x * Tensor([2.0, 3.0])) }
        let program = twice.program(for: Tensor([1.0, 1.0])).description
        #expect(program.components(separatedBy: "mul").count - 1 == 1, "\(program)")
        expectClose(twice(Tensor([1.0, 1.0])), Tensor([4.0, 6.0]), rtol: 0)
    }

    static func staged(_ f: @escaping (Tensor) -> Tensor) -> Program {
        StagingInterpreter.stage([TensorType(shape: [3], dtype: .float64)]) { [f($0[0])] }
    }

    @Test func constantFoldingPass() {
        // Tracing already evaluates operations on constants; folding matters after rewrites, and on
        // programs built directly, like this one: b = 2 * 3; c = a * b.
        let t = TensorType(shape: [], dtype: .float64)
        let before = Program(types: [t, t, t], inputs: [0],
                             equations: [.init(primitive: Multiply(), inputs: [.constant(Tensor(2.0)), .constant(Tensor(3.0))], outputs: [1]),
                                         .init(primitive: Multiply(), inputs: [.variable(0), .variable(1)], outputs: [2])],
                             outputs: [.variable(2)])
        #expect(before.primitiveNames == ["mul", "mul"])
        let after = Passes.constantFolding(before)
        #expect(after.primitiveNames == ["mul"])
        #expect(after.description.contains("= mul a 6.0"))
    }

    @Test func simplificationPass() {
        let before = Self.staged { x in (x * 1 + 0) / 1 - 0 }
        #expect(before.primitiveNames == ["mul", "add", "div", "sub"])
        let after = Passes.simplify(before)
        #expect(after.primitiveNames.isEmpty)
        #expect(after.description.hasSuffix("in (a) }"))
        // A rewrite never changes the type: x * ones([2, 3]) broadcasts, so it stays.
        let broadcast = Passes.simplify(Self.staged { x in x * Tensor.ones([2, 3]) })
        #expect(broadcast.primitiveNames == ["mul"])
        // The rules are the primitives' own; a transpose declares one only when it is the identity.
        #expect(Add().rewriteRules.count == 2 && Transpose(permutation: [1, 0]).rewriteRules.isEmpty)
        #expect(Transpose(permutation: [0, 1]).rewriteRules.count == 1)
    }

    @Test func commonSubexpressionPass() {
        let before = Self.staged { x in sin(x) + sin(x) * sin(x) }
        #expect(before.primitiveNames == ["sin", "sin", "sin", "mul", "add"])
        #expect(Passes.commonSubexpressions(before).primitiveNames == ["sin", "mul", "add"])
        // Different parameters are different expressions.
        let sums = Self.staged { x in x.reshaped(to: [1, 3]).sum(alongAxes: [0]) + x.reshaped(to: [1, 3]).sum(alongAxes: [1]).sum() }
        #expect(Passes.commonSubexpressions(sums).primitiveNames.filter { $0 == "reduce_sum" }.count == 3)
    }

    @Test func deadCodePass() {
        let before = Self.staged { x in
            _ = exp(x) * 3
            return cos(x)
        }
        #expect(before.primitiveNames == ["exp", "mul", "cos"])
        #expect(Passes.deadCodeElimination(before).primitiveNames == ["cos"])
    }

    @Test func intermediatesAreReleasedAtTheirLastUse() throws {
        // Without fusion, so that each operation is a step of its own.
        let program = Passes.deadCodeElimination(Self.staged { x in exp(sin(x) + 1) * cos(x) })
        let plan = try #require(ExecutionPlan(program))
        // sin -> add -> exp -> cos -> mul: sin's and add's results are released right after use.
        #expect(plan.steps.map(\.primitive.name) == ["sin", "add", "exp", "cos", "mul"])
        #expect(plan.steps[1].release.count == 1 && plan.steps[2].release.count == 1)
        #expect(plan.steps[4].release.count == 2)
    }

    @Test func safeUnderConcurrentCalls() async {
        let f = jit { (x: Tensor) in (tanh(x) * x).sum(alongAxes: [0]) }
        let inputs = (0..<24).map { Tensor.full([5, 3], Double($0) / 10) }
        let results = await withTaskGroup(of: (Int, [Double]).self) { group in
            for (i, x) in inputs.enumerated() { group.addTask { (i, f(x).doubles) } }
            var all: [Int: [Double]] = [:]
            for await (i, v) in group { all[i] = v }
            return all
        }
        for (i, x) in inputs.enumerated() {
            #expect(results[i] == (tanh(x) * x).sum(alongAxes: [0]).doubles)
        }
        #expect(f.traceCount == 1)
    }

    /// A bias row in a fused chain is gathered once per thread's chunk when the chunk and the blocks
    /// start on row boundaries, and per block otherwise: both equal eager evaluation bit for bit, on
    /// one thread and split over threads (chunk boundaries on and off a row).
    @Test func fusedChainWithARepeatedRow() {
        let f = jit { (x: Tensor, b: Tensor) in tanh(x + b) * 2 - b }
        for (rows, length) in [(3, 64), (3000, 64), (3001, 64), (2999, 48), (700, 128)] {
            let x = Tensor.linspace(-3, 3, count: rows * length).reshaped(to: [rows, length])
            let b = Tensor.linspace(-1, 0.5, count: length)
            #expect(f(x, b).doubles == (tanh(x + b) * 2 - b).doubles, "\(rows)×\(length)")
        }
    }

    /// An update of several leaves of several shapes after a product (an optimizer's step after the
    /// gradient), traced leaf by leaf: the elementwise tail is grouped into one loop per element
    /// count, with the chain that reads the product as its epilogue; equal to eager evaluation bit
    /// for bit, also for leaves long enough to split the loop over threads.
    @Test func elementwiseTailGroupedByElementCount() {
        for width in [8, 300] {
            let shapes = [[width], [width, 4], [1], [width], [4, width], [1]]
            let leaves = shapes.enumerated().map { i, s in Tensor.linspace(-1 - Double(i), 2, count: s.reduce(1, *)).reshaped(to: s) }
            let f = jit { (x: Tensor, leaves: [Tensor]) -> [Tensor] in
                let scale = (matmul(x, x.transposed()) + 1).sum()
                let moments = leaves.map { 0.9 * $0 + 0.1 * ($0 * $0) }
                let steps = moments.map { m in m / (sqrt(m * m + 1e-3) + 1e-8) }
                return zip(leaves, steps).map { p, s in p - s * (scale * 1e-3) }
            }
            let x = Tensor.linspace(0, 1, count: 6).reshaped(to: [2, 3])
            let names = f.program(for: x, leaves).primitiveNames
            #expect(names.filter { $0.hasPrefix("fused[") }.count == 3, "\(names)")    // 4w, w, 1 elements
            let scale = (matmul(x, x.transposed()) + 1).sum()
            let eager = leaves.map { p -> Tensor in
                let m = 0.9 * p + 0.1 * (p * p)
                return p - m / (sqrt(m * m + 1e-3) + 1e-8) * (scale * 1e-3)
            }
            #expect(zip(f(x, leaves), eager).allSatisfy { $0.doubles == $1.doubles })
        }
    }

    /// A long chain keeps a few scratch rows (reused after their last read) and, long enough, runs
    /// on several threads; on one element (a scalar Taylor series) it runs element by element with
    /// the arithmetic inline: the same bits as eager evaluation, operation by operation, every way.
    @Test func longChainReusesScratchRows() {
        func chain(_ x: Tensor) -> Tensor {
            var y = x
            for k in 1...40 { y = sin(y) * (1 + 1 / Double(k)) + x / Double(k) - (-tanh(y / x)) }
            return y
        }
        for count in [1, 5, 512, 513, 20_000] {
            let x = Tensor.linspace(-2, 2.5, count: count)
            #expect(jit(chain)(x).doubles == chain(x).doubles, "\(count) elements")
        }
        #expect(jit(chain)(Tensor(0.7)).item == chain(Tensor(0.7)).item)
        let series = jit { (x: Tensor) in derivatives({ tanh($0) * sin($0) }, at: x, order: 12) }
        #expect(series(Tensor(0.3)).map(\.item) == derivatives({ tanh($0) * sin($0) }, at: Tensor(0.3), order: 12).map(\.item))
    }

    @Test func fusionPass() {
        let staged = StagingInterpreter.stage([TensorType(shape: [1000], dtype: .float64)]) { xs in
            let x = xs[0]
            let a = exp(-(x * x)) * 0.5
            let b = sin(x) * x - tanh(x) / 2
            return [a + b, a]            // `a` is also used outside the chain: it becomes a second output
        }
        #expect(staged.primitiveNames.count == 10)
        let fused = Passes.fuseElementwise(staged)
        #expect(fused.equationCount == 1)
        #expect(fused.primitiveNames[0].hasPrefix("fused[mul,neg,exp,mul,sin,mul,tanh,div,sub,add]"))
        let x = Tensor.linspace(-2, 2, count: 1000)
        let f = jit { (x: Tensor) -> [Tensor] in
            let a = exp(-(x * x)) * 0.5
            return [a + sin(x) * x - tanh(x) / 2, a]
        }
        let eager = [exp(-(x * x)) * 0.5 + sin(x) * x - tanh(x) / 2, exp(-(x * x)) * 0.5]
        for (a, b) in zip(f(x), eager) { expectClose(a, b, rtol: 1e-15, atol: 1e-15) }
        // Large arrays run the blocked loop on several threads.
        let big = Tensor.linspace(-3, 3, count: 300_001)
        expectClose(f(big)[0], exp(-(big * big)) * 0.5 + sin(big) * big - tanh(big) / 2, rtol: 1e-15, atol: 1e-15)
        // Its derivative and batching rules run the unfused chain.
        let chain: (Tensor) -> Tensor = { x in (tanh(x) * x + exp(x) / 3).sum() }
        expectClose(jit(grad(chain))(x), grad(chain)(x), rtol: 1e-14)
        let fusedProgram = Passes.optimize(Self.staged { x in tanh(x) * x + 1 })
        #expect(fusedProgram.primitiveNames == ["fused[tanh,mul,add]"])
        #expect(interpret(fusedProgram, [Tensor([0.1, 0.2, 0.3])])[0].doubles == (tanh(Tensor([0.1, 0.2, 0.3])) * Tensor([0.1, 0.2, 0.3]) + 1).doubles)
        let g = interpret(Passes.optimize(Self.staged { x in tanh(x) * x + 1 }), [Tensor([0.1, 0.2, 0.3])])
        #expect(g[0].shape == [3])
        let viaGrad = grad { (x: Tensor) in interpret(fusedProgram, [x])[0].sum() }(Tensor([0.1, 0.2, 0.3]))
        expectClose(viaGrad, grad { (x: Tensor) in (tanh(x) * x + 1).sum() }(Tensor([0.1, 0.2, 0.3])), rtol: 1e-15)
        let viaVmap = vmap({ (x: Tensor) in interpret(fusedProgram, [x])[0] })(Tensor([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]))
        expectClose(viaVmap, tanh(Tensor([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])) * Tensor([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]) + 1, rtol: 1e-15)
    }
}
