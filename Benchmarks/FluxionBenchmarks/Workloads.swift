import Fluxion

/// The reference workloads of the design notes, written as a user would. `Benchmarks/peers/` has
/// the same definitions in JAX.

/// A tanh multilayer perceptron: weights drawn with scale 1/sqrt(fan_in), zero biases, linear output.
struct MLP: TensorTree {
    var weights: [Tensor]
    var biases: [Tensor]

    init(sizes: [Int], key: PRNGKey) {
        let keys = key.split(sizes.count - 1)
        weights = (0..<(sizes.count - 1)).map { i in
            Random.normal(keys[i], shape: [sizes[i], sizes[i + 1]]) / Double(sizes[i]).squareRoot()
        }
        biases = (1..<sizes.count).map { Tensor.zeros([sizes[$0]]) }
    }

    /// `x` is `[batch, inputs]` (or `[inputs]`).
    func callAsFunction(_ x: Tensor) -> Tensor {
        var h = x
        for i in weights.indices {
            h = matmul(h, weights[i]) + biases[i]
            if i < weights.count - 1 { h = tanh(h) }
        }
        return h
    }
}

/// W3 and W6 arguments: parameters and a batch of data.
struct Batch: TensorTree {
    var params: MLP
    var x: Tensor
    var y: Tensor
}

enum Workloads {
    /// W3: MLP 2-64-64-64-1, batch 4096, MSE loss: value and gradient in the parameters.
    static func w3(_ b: Batch) -> [Tensor] {
        let (value, gradient) = valueAndGrad { (p: MLP) -> Tensor in
            let r = p(b.x) - b.y
            return (r * r).mean()
        }(b.params)
        return [value] + gradient.leaves
    }

    static func w3Batch() -> Batch {
        let key = PRNGKey(seed: 3)
        let x = Random.uniform(key.foldIn(1), shape: [4096, 2], low: -1, high: 1)
        return Batch(params: MLP(sizes: [2, 64, 64, 64, 1], key: key.foldIn(2)), x: x, y: sin(3 * x[.all, 0...0]) * x[.all, 1...1])
    }

    /// W5: Hessian of sum(tanh(W x)) + x·x/2 (W not differentiated), forward-over-reverse.
    static func w5(_ args: [Tensor]) -> Tensor {
        let w = args[0]
        return hessian { x in tanh(matmul(w, x)).sum() + 0.5 * dot(x, x) }(args[1])
    }

    static func w5Arguments() -> [Tensor] {
        let key = PRNGKey(seed: 5), d = 256
        return [Random.normal(key.foldIn(1), shape: [d, d]) / Double(d).squareRoot(), Random.normal(key.foldIn(2), shape: [d])]
    }

    /// W6: per-example gradients of softmax cross-entropy, MLP 64-128-128-10, batch 256.
    static func w6(_ b: Batch) -> MLP {
        vmap({ (x: Tensor, y: Tensor) -> MLP in
            grad { (p: MLP) -> Tensor in
                let logits = p(x)
                return -(y * (logits - logits.logSumExp(alongAxes: [-1], keepingDims: true))).sum()
            }(b.params)
        })(b.x, b.y)
    }

    static func w6Batch() -> Batch {
        let key = PRNGKey(seed: 6)
        let labels = Random.integers(key.foldIn(1), shape: [256], low: 0, high: 10)
        let onehot = (labels.expandingShape(at: 1) .== Tensor.arange(10)).cast(to: .float64)
        return Batch(params: MLP(sizes: [64, 128, 128, 10], key: key.foldIn(2)),
                     x: Random.normal(key.foldIn(3), shape: [256, 64]), y: onehot)
    }

    /// W7: the Laplacian of an MLP 3-128-128-1 at 4096 points, as the trace of its Hessian.
    static func w7(_ b: Batch) -> Tensor {
        vmap({ (x: Tensor) -> Tensor in
            hessian { x in b.params(x).sum() }(x).diagonal().sum()
        })(b.x)
    }

    static func w7Batch() -> Batch {
        let key = PRNGKey(seed: 7)
        return Batch(params: MLP(sizes: [3, 128, 128, 1], key: key.foldIn(1)),
                     x: Random.uniform(key.foldIn(2), shape: [4096, 3], low: -1, high: 1), y: Tensor.zeros([1]))
    }

    /// W10: value and gradient of the GP negative log marginal likelihood in the log-hyperparameters
    /// (lengthscale, signal variance, noise variance), 512 points in 3-D, through Cholesky.
    static func w10(_ args: [Tensor]) -> [Tensor] {
        let (x, y) = (args[1], args[2])
        let (value, gradient) = valueAndGrad { (t: Tensor) -> Tensor in
            let lengthscale = exp(t[0]), signal = exp(t[1]), noise = exp(t[2])
            let sq = (x * x).sum(alongAxes: [1])
            let d2 = maximum(sq.expandingShape(at: 1) + sq.expandingShape(at: 0) - 2 * matmul(x, x.mT), 0)
            let n = x.shape[0]
            let k = signal * exp(-0.5 * d2 / (lengthscale * lengthscale)) + noise * Tensor.eye(n)
            let l = try! Linalg.cholesky(k)
            let alpha = Linalg.choSolve(l, y)
            return 0.5 * dot(y, alpha) + log(l.diagonal()).sum() + 0.5 * Double(n) * 1.8378770664093453
        }(args[0])
        return [value, gradient]
    }

    static func w10Arguments() -> [Tensor] {
        let key = PRNGKey(seed: 10)
        let x = Random.uniform(key.foldIn(1), shape: [512, 3])
        let y = sin(x.sum(alongAxes: [1]) * 3)
        return [log(Tensor([0.5, 1.0, 0.01])), x, y]
    }
}
