import Foundation
import Testing
@testable import Fluxion
import FluxionTestSupport

@Suite("Reductions")
struct ReductionTests {
    static let axisSets: [[Int]] = [[0], [1], [2], [0, 2], [0, 1, 2]]

    @Test("sum, mean, prod, max, min, variance and logsumexp match NumPy", arguments: axisSets)
    func reductions(_ axes: [Int]) {
        let x = Reference["red_x"]
        let key = axes.map(String.init).joined()
        expectClose(x.sum(alongAxes: axes), Reference["red_sum_\(key)"], rtol: 1e-13)
        expectClose(x.mean(alongAxes: axes), Reference["red_mean_\(key)"], rtol: 1e-13)
        expectClose(x.prod(alongAxes: axes), Reference["red_prod_\(key)"], rtol: 1e-12)
        expectClose(x.max(alongAxes: axes), Reference["red_max_\(key)"], rtol: 0)
        expectClose(x.min(alongAxes: axes), Reference["red_min_\(key)"], rtol: 0)
        expectClose(x.variance(alongAxes: axes), Reference["red_var_\(key)"], rtol: 1e-12)
        expectClose(x.variance(alongAxes: axes, ddof: 1), Reference["red_var1_\(key)"], rtol: 1e-12)
        expectClose(x.logSumExp(alongAxes: axes), Reference["red_lse_\(key)"], rtol: 1e-13)
    }

    @Test("argmax, argmin and cumsum match NumPy", arguments: 0..<3)
    func alongOneAxis(_ axis: Int) {
        let x = Reference["red_x"]
        #expect(x.argmax(axis: axis).scalars(as: Int64.self) == Reference["red_argmax_\(axis)"].scalars(as: Int64.self))
        #expect(x.argmin(axis: axis).scalars(as: Int64.self) == Reference["red_argmin_\(axis)"].scalars(as: Int64.self))
        expectClose(x.cumsum(axis: axis), Reference["red_cumsum_\(axis)"], rtol: 1e-13)
    }

    @Test func keepingDimsAndNegativeAxes() {
        let x = Reference["red_x"]
        let s = x.sum(alongAxes: [-1], keepingDims: true)
        #expect(s.shape == [3, 4, 1])
        expectClose(s.squeezed(axes: [2]), Reference["red_sum_2"], rtol: 1e-13)
        #expect(x.mean(keepingDims: true).shape == [1, 1, 1])
        expectClose(x.norm(), Reference["red_norm_all"], rtol: 1e-13)
    }

    @Test func reductionEdgeCases() {
        #expect(Tensor([1.0, .nan, 3.0]).max().doubles[0].isNaN)
        #expect(Tensor([2.0, .nan, 1.0]).argmax().scalars(as: Int64.self) == [1])
        #expect(Tensor([3.0, 1.0, 3.0]).argmax().scalars(as: Int64.self) == [0])   // first of ties
        #expect(Tensor([-Double.infinity, -.infinity]).logSumExp().doubles == [-.infinity])
        #expect(Swift.abs(Tensor([1000.0, 1000.0]).logSumExp().item - (1000 + 0.6931471805599453)) < 1e-12)
        #expect(Tensor.zeros([0]).sum().item == 0)
        #expect(Tensor([true, true, false]).sum().scalars(as: Int64.self) == [2])
        #expect(Tensor([Int32(3), 4]).prod().scalars(as: Int32.self) == [12])
        #expect(Tensor([1.0, 2.0, 3.0]).cumsum(axis: 0, reverse: true).doubles == [6, 5, 3])
        #expect(Tensor([0.0, 2.0]).any().scalar(as: Bool.self) && !Tensor([0.0, 2.0]).all().scalar(as: Bool.self))
        #expect(Tensor([1.0, 2.0, 3.0, 4.0]).standardDeviation().item == (1.25).squareRoot())
    }

    @Test func sortAndArgsort() {
        let x = Tensor([3.0, .nan, 1.0, 2.0, 1.0])
        let s = x.sorted().doubles
        #expect(Array(s[0..<4]) == [1, 1, 2, 3] && s[4].isNaN)
        #expect(x.argsort().scalars(as: Int64.self) == [2, 4, 3, 0, 1])
        let m = Tensor([[3.0, 1.0], [0.0, 2.0]])
        #expect(m.sorted(axis: 0).doubles == [0, 1, 3, 2])
    }

    /// A sum over leading axes (a bias gradient) adds the rows in order: each result element is the
    /// in-order sum of its column, bit for bit, also with unit axes between.
    @Test func leadingAxisSumsAddRowsInOrder() {
        var rng = TestRandom(seed: 51)
        for (shape, axes) in [([1270, 1, 20], [0]), ([3, 4, 5], [0, 1]), ([5, 1, 7], [0, 1]), ([1, 6, 1, 9], [0, 1, 2]), ([40, 3], [0])] {
            let values = (0..<shape.reduce(1, *)).map { _ in (rng.uniform() - 0.5) * pow(10, 6 * rng.uniform()) }
            let n = shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element).reduce(1, *)
            var expected = [Double](repeating: 0, count: n)
            for i in 0..<(values.count / n) { for j in 0..<n { expected[j] = expected[j] + values[i * n + j] } }
            let sums = Tensor(values, shape: shape).sum(alongAxes: axes).doubles
            #expect(sums.map(\.bitPattern) == expected.map(\.bitPattern), "\(shape) over \(axes)")
        }
    }
}
