import Foundation
import Testing
import Fluxion
import FluxionNN
import FluxionTestSupport

/// Each optimizer against Optax on a fixed regression (`Reference/make_optax_reference.py`): the
/// 50 losses and the final parameters agree to 1e-12 relative.
@Suite("Optimizers against Optax")
struct OptimizerTests {
    struct Params: TensorTree { var w: Tensor; var b: Tensor }

    static let reference: [String: Tensor] = {
        let url = Bundle.module.url(forResource: "Reference", withExtension: nil)!.appendingPathComponent("optax.npz")
        do { return try NPZ.read(from: url) } catch { fatalError("cannot read optax.npz: \(error)") }
    }()

    static func loss(_ p: Params) -> Tensor {
        let r = tanh(matmul(reference["x"]!, p.w) + p.b) - reference["y"]!
        return (r * r).mean()
    }

    static let optimizers: [String: Optimizer] = [
        "sgd": .sgd(learningRate: 0.1),
        "momentum": .sgd(learningRate: 0.05, momentum: 0.9),
        "nesterov": .sgd(learningRate: 0.05, momentum: 0.9, nesterov: true),
        "adam": .adam(learningRate: 0.02),
        "adam_eps_root": .adam(learningRate: 0.02, b1: 0.8, b2: 0.99, epsilon: 1e-6, epsilonRoot: 1e-10),
        "adamw": .adamW(learningRate: 0.02, weightDecay: 0.1),
        "adam_exponential": .adam(learningRate: .exponentialDecay(initial: 0.05, transitionSteps: 10, rate: 0.5)),
        "adam_staircase": .adam(learningRate: .exponentialDecay(initial: 0.05, transitionSteps: 7, rate: 0.6, begin: 5,
                                                                staircase: true, end: 0.01)),
        "adam_cosine": .adam(learningRate: .cosineDecay(initial: 0.05, decaySteps: 40, alpha: 0.1)),
        "adam_warmup_cosine": .adam(learningRate: .warmupCosineDecay(initial: 0, peak: 0.05, warmupSteps: 10,
                                                                     decaySteps: 45, end: 0.001)),
        "adam_piecewise": .adam(learningRate: .piecewiseConstant(initial: 0.05, boundariesAndScales: [10: 0.5, 30: 0.2])),
        "clipped_adam": Optimizer.adam(learningRate: 0.02).clippingByGlobalNorm(0.05),
        "clipped_sgd": Optimizer.sgd(learningRate: 0.5, momentum: 0.5).clippingByGlobalNorm(0.1),
    ]

    @Test(arguments: optimizers.keys.sorted())
    func matchesOptax(_ name: String) {
        let optimizer = Self.optimizers[name]!
        var params = Params(w: Self.reference["w0"]!, b: Self.reference["b0"]!)
        var state = optimizer.initialize(params)
        // The whole step jitted, as a training loop runs it.
        let step = jit { (p: Params, s: OptimizerState) in
            let (value, g) = valueAndGrad(Self.loss)(p)
            let (next, nextState) = optimizer.step(p, gradient: g, state: s)
            return (next, nextState, value)
        }
        var losses: [Double] = []
        for _ in 0..<50 {
            let (next, nextState, value) = step(params, state)
            losses.append(value.item)
            (params, state) = (next, nextState)
        }
        #expect(step.traceCount == 1)
        expectClose(Tensor(losses), Self.reference["\(name)/losses"]!, rtol: 1e-12, atol: 0)
        expectClose(params.w, Self.reference["\(name)/w"]!, rtol: 1e-12, atol: 1e-15)
        expectClose(params.b, Self.reference["\(name)/b"]!, rtol: 1e-12, atol: 1e-15)
        #expect(state.step.scalar(as: Int32.self) == 50)
    }

    @Test func eagerAndJittedStepsAgree() {
        let optimizer = Optimizer.adamW(learningRate: .cosineDecay(initial: 0.05, decaySteps: 20), weightDecay: 0.01)
            .clippingByGlobalNorm(0.5)
        var p = Params(w: Self.reference["w0"]!, b: Self.reference["b0"]!), q = p
        var s = optimizer.initialize(p), t = s
        let compiled = jit { (p: Params, s: OptimizerState) in optimizer.step(p, gradient: grad(Self.loss)(p), state: s) }
        for _ in 0..<10 {
            (p, s) = optimizer.step(p, gradient: grad(Self.loss)(p), state: s)
            (q, t) = compiled(q, t)
        }
        expectClose(p.w, q.w, rtol: 1e-13)
        expectClose(s.slots["1.nu"]![0], t.slots["1.nu"]![0], rtol: 1e-13)
    }
}
