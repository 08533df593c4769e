import PropertyBased
import Testing
@testable import Fluxion
import FluxionTestSupport

@Suite("Shapes, broadcasting and indexing")
struct ShapeTests {
    let x = Tensor.arange(0, 24).reshaped(to: [2, 3, 4])

    @Test func reshapeTransposeSqueezeExpand() {
        #expect(x.reshaped(to: [4, -1]).shape == [4, 6])
        let t = x.transposed(permutation: [2, 0, 1])
        #expect(t.shape == [4, 2, 3])
        #expect(t[1, 1, 2].item == x[1, 2, 1].item)
        #expect(x.transposed().shape == [4, 3, 2])
        #expect(x.mT.shape == [2, 4, 3] && x.mT[1, 3, 2].item == x[1, 2, 3].item)
        #expect(x.expandingShape(at: -1).shape == [2, 3, 4, 1])
        #expect(x.expandingShape(at: 1).squeezed().shape == [2, 3, 4])
        #expect(x.movingAxis(0, to: -1).shape == [3, 4, 2])
    }

    @Test func concatenateStackSplit() {
        let a = Tensor([[1.0, 2.0]]), b = Tensor([[3.0, 4.0], [5.0, 6.0]])
        let c = Tensor.concatenate([a, b])
        expectEqual(c, [1, 2, 3, 4, 5, 6], shape: [3, 2])
        let s = Tensor.stack([Tensor([1.0, 2.0]), Tensor([3.0, 4.0])], axis: 1)
        expectEqual(s, [1, 3, 2, 4], shape: [2, 2])
        let parts = x.split(count: 2, axis: 2)
        #expect(parts.map(\.shape) == [[2, 3, 2], [2, 3, 2]])
        expectClose(Tensor.concatenate(parts, axis: 2), x, rtol: 0, atol: 0)
        #expect(x.split(sizes: [1, 2], axis: 1).map(\.shape) == [[2, 1, 4], [2, 2, 4]])
        // dtypes promote
        #expect(Tensor.concatenate([Tensor([Int32(1)]), Tensor([2.5])]).dtype == .float64)
    }

    @Test func padFlipTileRepeatRoll() {
        let v = Tensor([1.0, 2.0, 3.0])
        expectEqual(v.padded([(2, 1)]), [0, 0, 1, 2, 3, 0])
        expectEqual(v.padded([(1, 1)], value: -1), [-1, 1, 2, 3, -1])
        expectEqual(v.flipped(), [3, 2, 1])
        expectEqual(Tensor([[1.0, 2.0], [3.0, 4.0]]).flipped(axes: [1]), [2, 1, 4, 3], shape: [2, 2])
        expectEqual(v.tiled([2]), [1, 2, 3, 1, 2, 3])
        expectEqual(v.tiled([2, 1]), [1, 2, 3, 1, 2, 3], shape: [2, 3])
        expectEqual(v.repeating(2, axis: 0), [1, 1, 2, 2, 3, 3])
        expectEqual(Tensor([[1.0, 2.0], [3.0, 4.0]]).repeating(2, axis: 1), [1, 1, 2, 2, 3, 3, 4, 4], shape: [2, 4])
        expectEqual(v.rolled(by: 1, axis: 0), [3, 1, 2])
        expectEqual(v.rolled(by: -4, axis: 0), [2, 3, 1])
        expectEqual(Tensor([[1.0, 2.0], [3.0, 4.0]]).diagonal(), [1, 4])
    }

    @Test func broadcastTo() {
        let v = Tensor([1.0, 2.0, 3.0])
        expectEqual(v.broadcast(to: [2, 3]), [1, 2, 3, 1, 2, 3], shape: [2, 3])
        expectEqual(Tensor([1.0, 2.0], shape: [2, 1]).broadcast(to: [2, 2]), [1, 1, 2, 2], shape: [2, 2])
    }

    /// Broadcasting against a naive reference: the output element at index `i` combines the inputs'
    /// elements at `i` with broadcast axes pinned to 0.
    @Test func broadcastingMatchesNaiveIndexing() async {
        await propertyCheck(input: Gen.int(in: 1...4).array(of: 0...4), Gen.int(in: 0...3).array(of: 4),
                            Gen.int(in: 0...3).array(of: 4)) { base, codeA, codeB in
            // Derive two compatible shapes from `base`: code 0 keeps an extent, 1 sets it to 1, and
            // leading axes are dropped while the code is 3.
            func derive(_ codes: [Int]) -> [Int] {
                var shape = zip(base, codes).map { $1 == 1 ? 1 : $0 }
                var i = 0
                while i < codes.count && i < shape.count && codes[i] == 3 { i += 1 }
                shape.removeFirst(Swift.min(i, shape.count))
                return shape
            }
            let sa = derive(codeA), sb = derive(codeB)
            var rng = TestRandom(seed: UInt64(base.count * 31 + codeA.reduce(0, +) * 7 + codeB.reduce(0, +)))
            let a = rng.tensor(sa), b = rng.tensor(sb)
            let out = a * 10 + b
            let rank = Swift.max(sa.count, sb.count)
            #expect(out.shape == (0..<rank).map { i in
                let da = i - (rank - sa.count), db = i - (rank - sb.count)
                return Swift.max(da >= 0 ? sa[da] : 1, db >= 0 ? sb[db] : 1)
            })
            let av = a.doubles, bv = b.doubles, ov = out.doubles
            for flat in 0..<ov.count {
                let idx = multiIndex(flat, out.shape)
                func pick(_ shape: [Int], _ values: [Double]) -> Double {
                    let offset = idx.count - shape.count
                    let strides = rowMajorStrides(shape)
                    return values[shape.indices.reduce(0) { $0 + (shape[$1] == 1 ? 0 : idx[$1 + offset]) * strides[$1] }]
                }
                #expect(ov[flat] == pick(sa, av) * 10 + pick(sb, bv))
            }
        }
    }

    /// Python's slice semantics (CPython's `slice.indices`), as an independent reference.
    static func sliceIndices(_ start: Int?, _ stop: Int?, _ step: Int, _ n: Int) -> [Int] {
        func clamp(_ v: Int?, _ dflt: Int, _ lo: Int, _ hi: Int) -> Int {
            guard var v else { return dflt }
            if v < 0 { v += n; if v < lo { v = lo } } else if v > hi { v = hi }
            return v
        }
        let (lo, hi) = step > 0 ? (0, n) : (-1, n - 1)
        let s = clamp(start, step > 0 ? 0 : n - 1, lo, hi)
        let e = clamp(stop, step > 0 ? n : -1, lo, hi)
        return Array(stride(from: s, to: e, by: step))
    }

    @Test func stridedSlicingMatchesPython() async {
        let bound = Gen.int(in: -7...7)
        await propertyCheck(count: 200, input: Gen.int(in: 0...6), bound, bound, Gen.int(in: -3...3),
                            Gen.int(in: 0...3)) { n, start, stop, rawStep, optionals in
            let step = rawStep == 0 ? 1 : rawStep
            let v = Tensor.arange(0, Double(n))
            let s = optionals & 1 == 0 ? start : nil, e = optionals & 2 == 0 ? stop : nil
            let got = v[TensorIndex.range(start: s, end: e, step: step)]
            #expect(got.doubles == Self.sliceIndices(s, e, step, n).map(Double.init), "\(n) [\(String(describing: s)):\(String(describing: e)):\(step)]")
        }
    }

    @Test func integerRangeNewAxisEllipsisIndexing() {
        #expect(x[1].shape == [3, 4])
        #expect(x[-1, -1, -1].item == 23)
        expectEqual(x[0, 1..<3, 0], [4, 8], shape: [2])
        expectEqual(x[0, 0, 1...], [1, 2, 3])
        expectEqual(x[0, 0, ...2], [0, 1, 2])
        expectEqual(x[0, 0, ..<2], [0, 1])
        expectEqual(x[0, 0, .stride(by: -1)], [3, 2, 1, 0])
        expectEqual(x[0, 0, .stride(from: 3, to: 0, by: -2)], [3, 1])
        expectEqual(x[0, .all, 1], [1, 5, 9])
        #expect(x[.newAxis, .ellipsis, 0].shape == [1, 2, 3])
        #expect(x[.ellipsis, .newAxis].shape == [2, 3, 4, 1])
        #expect(x[1, .ellipsis].shape == [3, 4])
    }

    @Test func gatherAndScatterAdd() {
        let m = Tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        let rows = m[Tensor([Int64(2), 0, -1])]
        expectEqual(rows, [5, 6, 1, 2, 5, 6], shape: [3, 2])
        let cols = m.gathering(Tensor([[Int32(1)], [Int32(0)]]), alongAxis: 1)
        #expect(cols.shape == [3, 2, 1])
        expectEqual(cols.reshaped(to: [-1]), [2, 1, 4, 3, 6, 5])
        // Repeated indices accumulate.
        let acc = Tensor.zeros([4]).scatterAdding(Tensor([1.0, 2.0, 3.0]), at: Tensor([Int64(1), 1, 3]), alongAxis: 0)
        expectEqual(acc, [0, 3, 0, 3])
        // scatter-add is the transpose of gather: <gather(x), u> = <x, scatterAdd(u)>.
        var rng = TestRandom(seed: 5)
        let xs = rng.tensor([5, 3]), idx = Tensor([Int64(4), 0, 4, 2]), u = rng.tensor([4, 3])
        let lhs = (xs.gathering(idx, alongAxis: 0) * u).sum().item
        let rhs = (xs * Tensor.zeros([5, 3]).scatterAdding(u, at: idx, alongAxis: 0)).sum().item
        #expect(Swift.abs(lhs - rhs) < 1e-12)
    }
}
