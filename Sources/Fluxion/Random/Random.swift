/// A key for the counter-based random number generator: two 32-bit words in an int64 tensor of
/// shape `[2]`. Keys are values: the same key always gives the same numbers. Derive independent keys
/// with ``split(_:)`` or ``foldIn(_:)`` instead of reusing one. A key is a tree (its data is a
/// leaf), so it can be passed through `jit`, `vmap` and control flow like any other state.
///
/// ```swift
/// let key = PRNGKey(seed: 0)
/// let (k1, k2) = key.split()
/// let x = Random.normal(k1, shape: [3, 2])
/// let u = Random.uniform(k2, shape: [100], low: -1, high: 1)
/// ```
public struct PRNGKey: TensorTree, Sendable {
    /// The key's two words, `int64[2]`, each in `[0, 2³²)`.
    public let data: Tensor

    /// A key from a seed; the high and low 32 bits of the seed are the key's two words (as JAX).
    public init(seed: Int) {
        let s = UInt64(bitPattern: Int64(seed))
        data = Tensor([Int64(s >> 32), Int64(s & 0xFFFF_FFFF)], shape: [2])
    }

    /// A key from its `int64[2]` data.
    public init(data: Tensor) {
        precondition(data.shape == [2] && data.dtype == .int64, "PRNGKey(data:): expects int64[2], got \(data.type)")
        self.data = data
    }

    /// `count` new independent keys.
    public func split(_ count: Int) -> [PRNGKey] {
        let words = bind1(RandomBits(shape: [count, 2]), data)
        return (0..<count).map { PRNGKey(data: words[$0]) }
    }

    /// Two new independent keys.
    public func split() -> (PRNGKey, PRNGKey) {
        let keys = split(2)
        return (keys[0], keys[1])
    }

    /// A new key that mixes `value` into this one (for example a step or example index).
    public func foldIn(_ value: Int) -> PRNGKey { foldIn(Tensor(Int64(value))) }

    /// A new key that mixes an integer scalar tensor into this one; the value may be traced (a step
    /// counter inside `jit`, an index under `vmap`).
    public func foldIn(_ value: Tensor) -> PRNGKey { PRNGKey(data: bind1(FoldIn(), data, value)) }
}

/// Sampling from a ``PRNGKey``.
public enum Random {
    /// Uniform samples in `[low, high)` (53 random bits per float64 sample, 24 per float32).
    public static func uniform(_ key: PRNGKey, shape: [Int], low: Double = 0, high: Double = 1,
                               dtype: DType = .float64) -> Tensor {
        guard dtype.isFloatingPoint else { shapeFailure("uniform", "dtype must be float32 or float64, got \(dtype)") }
        return (unitInterval(key, shape) * (high - low) + low).cast(to: dtype)
    }

    /// Standard normal samples scaled to `mean` and `standardDeviation` (Box–Muller).
    public static func normal(_ key: PRNGKey, shape: [Int], mean: Double = 0, standardDeviation: Double = 1,
                              dtype: DType = .float64) -> Tensor {
        guard dtype.isFloatingPoint else { shapeFailure("normal", "dtype must be float32 or float64, got \(dtype)") }
        let (k1, k2) = key.split()
        // 1 - u lies in (0, 1], so the logarithm is finite.
        let radius = sqrt(-2 * log(1 - unitInterval(k1, shape)))
        let angle = 2 * Double.pi * unitInterval(k2, shape)
        return (radius * cos(angle) * standardDeviation + mean).cast(to: dtype)
    }

    /// Uniform integers in `[low, high)`.
    public static func integers(_ key: PRNGKey, shape: [Int], low: Int, high: Int, dtype: DType = .int64) -> Tensor {
        guard high > low else { shapeFailure("integers", "empty range [\(low), \(high))") }
        guard dtype.isInteger else { shapeFailure("integers", "dtype must be int32 or int64, got \(dtype)") }
        let span = Double(high - low)
        // floor(u · span) < span since u < 1; the bias is below 2⁻²⁰ for spans under 2³².
        return (floor(unitInterval(key, shape) * span).cast(to: .int64) + low).cast(to: dtype)
    }

    /// Bool samples that are true with probability `p`.
    public static func bernoulli(_ key: PRNGKey, probability p: Double, shape: [Int]) -> Tensor {
        unitInterval(key, shape) .< p
    }

    /// A random permutation of `0..<n` (int64).
    public static func permutation(_ key: PRNGKey, _ n: Int) -> Tensor {
        unitInterval(key, [n]).argsort()
    }

    /// The tensor with its slices along `axis` in random order.
    public static func permutation(_ key: PRNGKey, _ x: Tensor, axis: Int = 0) -> Tensor {
        x.gathering(permutation(key, x.shape[normalizeAxis(axis, rank: x.rank, "permutation")]), alongAxis: axis)
    }

    /// float64 samples in [0, 1) with 53 random bits: two 32-bit words `hi`, `lo` give
    /// `(hi · 2²¹ + ⌊lo / 2¹¹⌋) / 2⁵³`, every step exact in float64.
    static func unitInterval(_ key: PRNGKey, _ shape: [Int]) -> Tensor {
        let n = shape.reduce(1, *)
        let words = bind1(RandomBits(shape: [n, 2]), key.data).cast(to: .float64)
        let hi = words[.all, 0], lo = words[.all, 1]
        return ((hi * 2_097_152 + floor(lo / 2048)) / 9_007_199_254_740_992).reshaped(to: shape)
    }
}
