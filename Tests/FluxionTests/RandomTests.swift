import Testing
@testable import Fluxion
import FluxionTestSupport

@Suite("Random numbers")
struct RandomTests {
    /// Known-answer vectors of Threefry-2x32 with 20 rounds, from the Random123 distribution.
    @Test func threefryKnownAnswers() {
        #expect(Threefry.hash(0, 0, 0, 0) == (0x6B20_0159, 0x99BA_4EFE))
        #expect(Threefry.hash(0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF) == (0x1CB9_96FC, 0xBB00_2BE7))
        #expect(Threefry.hash(0x1319_8A2E, 0x0370_7344, 0x243F_6A88, 0x85A3_08D3) == (0xC492_3A9C, 0x483D_F7A0))
    }

    @Test func reproducibleAndIndependent() {
        let key = PRNGKey(seed: 42)
        #expect(Random.normal(key, shape: [5]).doubles == Random.normal(PRNGKey(seed: 42), shape: [5]).doubles)
        let (a, b) = key.split()
        #expect(Random.uniform(a, shape: [4]).doubles != Random.uniform(b, shape: [4]).doubles)
        #expect(key.foldIn(1).data.scalars(as: Int64.self) != key.foldIn(2).data.scalars(as: Int64.self))
        #expect(key.split(3).count == 3)
        #expect(PRNGKey(seed: 42).data.scalars(as: Int64.self) == [0, 42])
    }

    @Test func distributions() {
        let key = PRNGKey(seed: 7)
        let n = 200_000
        let u = Random.uniform(key, shape: [n], low: -2, high: 3)
        #expect(u.min().item >= -2 && u.max().item < 3)
        // Sampling error of the mean is about σ/√n: 1.44/447 ≈ 0.003 for the uniform, 0.002 for the normal.
        #expect(Swift.abs(u.mean().item - 0.5) < 0.02)
        #expect(Swift.abs(u.variance().item - 25.0 / 12) < 0.05)
        let z = Random.normal(key.foldIn(1), shape: [n], mean: 1, standardDeviation: 2)
        #expect(Swift.abs(z.mean().item - 1) < 0.02)
        #expect(Swift.abs(z.standardDeviation().item - 2) < 0.02)
        let fourth = pow((z - 1) / 2, 4).mean().item
        #expect(Swift.abs(fourth - 3) < 0.1)    // the normal's kurtosis
        let i = Random.integers(key, shape: [n], low: -3, high: 4)
        #expect(i.dtype == .int64 && i.min().item == -3 && i.max().item == 3)
        let coin = Random.bernoulli(key, probability: 0.3, shape: [n])
        #expect(Swift.abs(coin.cast(to: .float64).mean().item - 0.3) < 0.01)
        #expect(Random.uniform(key, shape: [3], dtype: .float32).dtype == .float32)
    }

    @Test func permutations() {
        let p = Random.permutation(PRNGKey(seed: 1), 50)
        #expect(p.sorted().scalars(as: Int64.self) == Array(0..<50))
        #expect(p.scalars(as: Int64.self) != Array(0..<50))
        let rows = Random.permutation(PRNGKey(seed: 1), Tensor.arange(0, 10).reshaped(to: [5, 2]))
        #expect(rows.shape == [5, 2])
        #expect(rows.sum(alongAxes: [0]).doubles == [20, 25])
    }
}
