import Foundation
import Testing
import Fluxion
import FluxionNN
import FluxionTestSupport

@Suite("Layers and initializers")
struct LayerTests {
    @Test func shapesAndTrees() {
        let key = PRNGKey(seed: 0)
        let mlp = MLP(widths: [3, 16, 16, 2], activation: .tanh, key: key)
        #expect(mlp.layers.map(\.weight.shape) == [[3, 16], [16, 16], [16, 2]])
        #expect(mlp(Tensor.ones([5, 3])).shape == [5, 2])
        #expect(mlp(Tensor.ones([3])).shape == [2])
        #expect(mlp.leaves.count == 6)
        // The same key, the same model; another key, another.
        #expect(MLP(widths: [3, 16, 16, 2], key: key).layers[1].weight.doubles == mlp.layers[1].weight.doubles)
        #expect(MLP(widths: [3, 16, 16, 2], key: PRNGKey(seed: 1)).layers[1].weight.doubles != mlp.layers[1].weight.doubles)
        let modified = ModifiedMLP(inputs: 2, width: 8, depth: 3, outputs: 1, key: key)
        #expect(modified(Tensor.ones([4, 2])).shape == [4, 1])
        let fourier = FourierFeatures(2, features: 5, scale: 3, key: key)
        #expect(fourier(Tensor.ones([4, 2])).shape == [4, 10] && fourier.outputs == 10)
        let periodic = PeriodicEmbedding(periods: [2.0, nil], harmonics: 2)
        let e = periodic(Tensor([[0.25, 7.0]]))
        #expect(e.shape == [1, 5] && periodic.outputs == 5)
        expectClose(periodic(Tensor([[2.25, 7.0]])), e, rtol: 1e-14, atol: 1e-14)
        let factorized = FactorizedDense(3, 4, key: key)
        #expect(factorized(Tensor.ones([2, 3])).shape == [2, 4])
        let residual = Residual(Dense(4, 4, key: key))
        #expect(residual(Tensor.ones([2, 4])).shape == [2, 4])
        let stacked = Sequential(fourier, MLP(widths: [10, 8, 1], key: key))
        #expect(stacked(Tensor.ones([3, 2])).shape == [3, 1])
    }

    @Test func factorizationStartsAsTheUnderlyingLayer() {
        let key = PRNGKey(seed: 4)
        let layer = FactorizedDense(5, 6, key: key)
        let (k1, _) = key.split()
        expectClose(layer.weight, Initializer.glorotNormal(k1, shape: [5, 6]), rtol: 1e-14)
    }

    static let variances: [(Initializer, Double)] = [
        (.glorotNormal, 2.0 / 500), (.glorotUniform, 2.0 / 500), (.heNormal, 2.0 / 200), (.heUniform, 2.0 / 200),
        (.lecunNormal, 1.0 / 200), (.lecunUniform, 1.0 / 200), (.siren(omega: 30, first: false), 2.0 / 180_000),
    ]

    @Test(arguments: variances)
    func initializerVariance(_ initializer: Initializer, _ variance: Double) {
        let w = initializer(PRNGKey(seed: 9), shape: [200, 300])
        let mean = w.mean().item, v = w.variance().item
        // 60,000 draws: the sample variance is within a few percent of the target.
        #expect(Swift.abs(mean) < 5 * (variance / 60_000).squareRoot())
        #expect(Swift.abs(v / variance - 1) < 0.03, "variance \(v), expected \(variance)")
    }

    @Test func activations() throws {
        let x = Tensor([-2.0, -0.5, 0, 0.5, 2])
        expectClose(Activation.silu(x), x * sigmoid(x), rtol: 1e-15)
        expectClose(Activation.relu(x), Tensor([0.0, 0, 0, 0.5, 2]), rtol: 0)
        // relu's derivative is 0 at 0, as JAX's.
        expectClose(grad { (x: Tensor) in Activation.relu(x).sum() }(x), Tensor([0.0, 0, 0, 1, 1]), rtol: 0)
        expectClose(Activation.gelu(Tensor([1.0])), Tensor([0.8413447460685429]), rtol: 1e-14)
        for a in Activation.allCases {
            try checkGrads({ a($0) }, at: Tensor([-1.3, -0.4, 0.3, 1.7]), order: a == .relu ? 1 : 2)
        }
    }
}
