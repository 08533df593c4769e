import Foundation
import Testing
@testable import Fluxion
import FluxionTestSupport

@Suite("Control flow")
struct ControlFlowTests {
    static let branchy: @Sendable (Tensor) -> Tensor = { x in
        cond(x.sum() .> 0, x, then: { sin($0) * $0 }, else: { exp($0) - 1 })
    }

    @Test func condEverywhere() throws {
        let pos = Tensor([0.5, 1.5]), neg = Tensor([-0.5, -1.5])
        expectClose(Self.branchy(pos), sin(pos) * pos, rtol: 0)
        expectClose(Self.branchy(neg), exp(neg) - 1, rtol: 0)
        let compiled = jit(Self.branchy)
        #expect(compiled.program(for: pos).primitiveNames.contains("cond"))
        for x in [pos, neg] {
            expectClose(compiled(x), Self.branchy(x), rtol: 1e-15)
            let g = grad { Self.branchy($0).sum() }
            expectClose(jit(g)(x), g(x), rtol: 1e-14)                        // reverse rule of the primitive
            expectClose(jit { jvp(Self.branchy, at: $0, tangent: Tensor.ones(like: $0)).tangent }(x),
                        jvp(Self.branchy, at: x, tangent: Tensor.ones(like: x)).tangent, rtol: 1e-14)
            try checkGrads({ Self.branchy($0) }, at: x, order: 2)
        }
        // A batched predicate runs both branches and selects per example.
        let batch = Tensor.stack([pos, neg, pos * 0.1])
        let mapped = vmap(Self.branchy)(batch)
        for i in 0..<3 { expectClose(mapped[i], Self.branchy(batch[i]), rtol: 1e-15) }
        expectClose(jit(vmap(Self.branchy))(batch), mapped, rtol: 1e-15)
        // A shared predicate with batched operands.
        let shared = vmap({ (x: Tensor) in cond(Tensor(true), x, then: { $0 * 2 }, else: { $0 }) })(batch)
        expectClose(shared, batch * 2, rtol: 0)
    }

    static func newtonSqrt(_ a: Tensor) -> Tensor {
        // The state is a list: the target and the current estimate.
        whileLoop([a, a], maxTrips: 60, condition: { (s: [Tensor]) in abs(s[1] * s[1] - s[0]) .> 1e-13 * s[0] },
                  body: { (s: [Tensor]) in [s[0], 0.5 * (s[1] + s[0] / s[1])] })[1]
    }

    @Test func whileLoopEverywhere() {
        let a = Tensor(2.0)
        #expect(Swift.abs(Self.newtonSqrt(a).item - 2.0.squareRoot()) < 1e-14)
        let compiled = jit(Self.newtonSqrt)
        #expect(compiled.program(for: a).primitiveNames.contains("while"))
        #expect(Swift.abs(compiled(a).item - 2.0.squareRoot()) < 1e-14)
        // d sqrt(a)/da = 1/(2 sqrt a): eagerly (the loop is unrolled on the tape) and staged (masked scan).
        let expected = 1 / (2 * 2.0.squareRoot())
        #expect(Swift.abs(grad(Self.newtonSqrt)(a).item - expected) < 1e-10)
        #expect(Swift.abs(jit(grad(Self.newtonSqrt))(a).item - expected) < 1e-10)
        #expect(Swift.abs(jit({ jvp(Self.newtonSqrt, at: $0, tangent: Tensor(1.0)).tangent })(a).item - expected) < 1e-10)
        // A batched condition: each example stops on its own.
        let inputs = Tensor([2.0, 9.0, 0.25])
        let mapped = vmap(Self.newtonSqrt)(inputs)
        expectClose(mapped, sqrt(inputs), rtol: 1e-13)
        expectClose(vmap(grad(Self.newtonSqrt))(inputs), 0.5 / sqrt(inputs), rtol: 1e-9)
    }

    @Test func forLoopAndScan() throws {
        // x^5 by a loop; its derivative 5x^4.
        let power: (Tensor) -> Tensor = { x in forLoop(5, [Tensor.ones(like: x)]) { _, s in [s[0] * x] }[0] }
        let x = Tensor([1.5, -0.5])
        expectClose(power(x), x * x * x * x * x, rtol: 1e-15)
        expectClose(grad { power($0).sum() }(x), 5 * x * x * x * x, rtol: 1e-14)
        expectClose(jit(power)(x), power(x), rtol: 1e-15)
        // Bodies that capture the differentiated variable, under every checkpoint policy.
        for policy in [CheckpointPolicy.everyStep, .segments(2), .none] {
            let p: (Tensor) -> Tensor = { x in forLoop(6, [Tensor.ones(like: x)], checkpoint: policy) { _, s in [s[0] * x] }[0] }
            expectClose(grad { p($0).sum() }(x), 6 * x * x * x * x * x, rtol: 1e-14, "\(policy)")
            expectClose(jit(grad { p($0).sum() })(x), 6 * x * x * x * x * x, rtol: 1e-14, "\(policy) jit")
        }
        expectClose(jit(grad { power($0).sum() })(x), 5 * x * x * x * x, rtol: 1e-14)
        #expect(jit(power).program(for: x).primitiveNames.contains("scan"))
        // Cumulative product by scan, forwards and in reverse.
        let v = Tensor([1.0, 2.0, 3.0, 4.0])
        let cumprod: (Tensor) -> Tensor = { v in scan([Tensor(1.0)], over: [v]) { c, x in ([c[0] * x[0]], [c[0] * x[0]]) }.ys[0] }
        expectEqual(cumprod(v), [1, 2, 6, 24])
        expectEqual(scan([Tensor(0.0)], over: [v], reverse: true) { c, x in ([c[0] + x[0]], [c[0] + x[0]]) }.ys[0], [10, 9, 7, 4])
        expectClose(jit(cumprod)(v), cumprod(v), rtol: 0)
        try checkGrads({ cumprod($0) }, at: v, order: 2)
        try checkGrads({ jit(cumprod)($0) }, at: v, order: 2)
        // jit of the gradient runs the scan's own reverse rule.
        let g = grad { cumprod($0).sum() }
        expectClose(jit(g)(v), g(v), rtol: 1e-14)
        // vmap of a scan, against each example.
        let batch = Tensor.stack([v, v * 0.5, -v])
        let mapped = jit(vmap(cumprod))(batch)
        for i in 0..<3 { expectClose(mapped[i], cumprod(batch[i]), rtol: 1e-15) }
    }

    /// The number of steps the reverse-mode tape records for `f`: what it keeps in memory.
    static func tapeSteps(_ f: (Tensor) -> Tensor, at x: Tensor) -> Int {
        let tape = VJPInterpreter(level: newLevel([x]))
        let input = tape.newInput(x)
        _ = TraceStack.$depth.withValue(tape.level) { f(input) }
        return tape.steps.count
    }

    @Test func checkpointPoliciesGiveTheSameGradientsWithSmallerTapes() {
        let w = Tensor([[0.9, -0.2], [0.3, 0.8]])
        func rollout(_ policy: CheckpointPolicy) -> (Tensor) -> Tensor {
            { x0 in
                scan(x0, over: [Tensor](), length: 40, checkpoint: policy) { c, _ in (tanh(matmul(w, c)) + 0.1, [Tensor]()) }.carry.sum()
            }
        }
        let x0 = Tensor([0.5, -0.3])
        let reference = grad(rollout(.none))(x0)
        for policy in [CheckpointPolicy.everyStep, .segments(8)] {
            expectClose(grad(rollout(policy))(x0), reference, rtol: 1e-13)
            expectClose(jit(grad(rollout(policy)))(x0), reference, rtol: 1e-13)
        }
        let full = Self.tapeSteps(rollout(.none), at: x0)
        let perStep = Self.tapeSteps(rollout(.everyStep), at: x0)
        let segmented = Self.tapeSteps(rollout(.segments(8)), at: x0)
        #expect(full >= 160 && perStep <= 45 && segmented <= 10, "tape steps: \(full), \(perStep), \(segmented)")
        // checkpoint of a block: one step on the tape, the same gradient.
        let block: (Tensor) -> Tensor = { x in tanh(matmul(w, tanh(matmul(w, x)))).sum() }
        #expect(Self.tapeSteps(checkpoint(block), at: x0) == 1)
        expectClose(grad(checkpoint(block))(x0), grad(block)(x0), rtol: 1e-15)
        expectClose(vmap(checkpoint(block))(Tensor.stack([x0, -x0])), Tensor.stack([block(x0), block(-x0)]), rtol: 1e-15)
    }

    /// The bodies of the loops in a program, by identity, at any depth of nesting.
    static func loopBodies(_ program: Program) -> [ObjectIdentifier] {
        program.equations.flatMap { e -> [ObjectIdentifier] in
            switch e.primitive {
            case let s as Scan: [ObjectIdentifier(s.body)] + loopBodies(s.body.program)
            case let w as WhileLoop: [ObjectIdentifier(w.body)] + loopBodies(w.body.program)
            case let c as Call: loopBodies(c.function.program)
            default: []
            }
        }
    }

    @Test func derivedBodiesAreMadeOnceAndLoopsStayLoops() {
        // A loop inside a loop, compiled; its derivative staged twice reuses the same derived bodies.
        let inner = jit { (x: Tensor) in
            forLoop(4, x) { _, c in forLoop(3, c) { _, d in sin(d) * 1.1 } }
        }
        let x = Tensor([0.3, -0.4])
        #expect(inner.program(for: x).primitiveNames.contains("scan"))
        let first = Self.loopBodies(jit(grad { (x: Tensor) in inner(x).sum() }).program(for: x))
        let second = Self.loopBodies(jit(grad { (x: Tensor) in inner(x).sum() }).program(for: x))
        #expect(!first.isEmpty)
        #expect(first == second)
        // And the derivative agrees with the loop unrolled by hand.
        let unrolled = { (x: Tensor) in (0..<12).reduce(x) { c, _ in sin(c) * 1.1 }.sum() }
        expectClose(grad { (x: Tensor) in inner(x).sum() }(x), grad(unrolled)(x), rtol: 1e-13)
    }
}
