/// Data movement by strides: one kernel serves transpose, broadcast, slicing, reversal, padding and
/// concatenation. It is dispatched on the element size, since moving bytes does not depend on dtype.
package enum StridedCopy {
    /// Contiguous strides (in elements) of a row-major shape.
    package static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var s = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = s
            s *= shape[i]
        }
        return strides
    }

    /// A new contiguous array of `shape` whose element at index `i` is `x[offset + Σ i_k * strides[k]]`.
    package static func gather(_ x: ArrayValue, shape: [Int], strides: [Int], offset: Int) -> ArrayValue {
        let out = ArrayValue(uninitialized: shape, dtype: x.dtype)
        move(from: x.buffer.raw, fromStrides: strides, fromOffset: offset,
             to: out.buffer.raw, toStrides: contiguousStrides(shape), toOffset: 0,
             shape: shape, byteSize: x.dtype.byteSize)
        return out
    }

    /// Writes the contiguous array `x` into `out` at `offset` with `strides` (used by pad and concat).
    package static func scatter(_ x: ArrayValue, into out: ArrayValue, strides: [Int], offset: Int) {
        move(from: x.buffer.raw, fromStrides: contiguousStrides(x.shape), fromOffset: 0,
             to: out.buffer.raw, toStrides: strides, toOffset: offset,
             shape: x.shape, byteSize: x.dtype.byteSize)
    }

    package static func move(from src: UnsafeMutableRawPointer, fromStrides: [Int], fromOffset: Int,
                     to dst: UnsafeMutableRawPointer, toStrides: [Int], toOffset: Int,
                     shape: [Int], byteSize: Int) {
        switch byteSize {
        case 1: typed(UInt8.self, src, fromStrides, fromOffset, dst, toStrides, toOffset, shape)
        case 4: typed(UInt32.self, src, fromStrides, fromOffset, dst, toStrides, toOffset, shape)
        case 8: typed(UInt64.self, src, fromStrides, fromOffset, dst, toStrides, toOffset, shape)
        default: typed(SIMD2<UInt64>.self, src, fromStrides, fromOffset, dst, toStrides, toOffset, shape)
        }
    }

    private static func typed<T>(_: T.Type, _ src: UnsafeMutableRawPointer, _ ss: [Int], _ so: Int,
                                 _ dst: UnsafeMutableRawPointer, _ ds: [Int], _ dOff: Int, _ shape: [Int]) {
        let s = src.assumingMemoryBound(to: T.self)
        let d = dst.assumingMemoryBound(to: T.self)
        let rank = shape.count
        if shape.contains(0) { return }
        if rank == 0 {
            d[dOff] = s[so]
            return
        }
        let n = shape[rank - 1], sInner = ss[rank - 1], dInner = ds[rank - 1]
        // A transpose (the source is contiguous along another axis p): copy in square tiles of the
        // (p, last) plane, so that both the reads and the writes stay within a few cache lines.
        if dInner == 1, sInner != 1, let p = ss.indices.dropLast().first(where: { ss[$0] == 1 && shape[$0] > 1 }) {
            tiledPlanes(s, ss, so, d, ds, dOff, shape, plane: p)
            return
        }
        let rows = shape.dropLast().reduce(1, *), outerAxes = Array(0..<(rank - 1))
        var index = [Int](repeating: 0, count: rank - 1)
        var sOffset = so, dOffset = dOff
        for _ in 0..<rows {
            if sInner == 1 && dInner == 1 {
                (d + dOffset).update(from: s + sOffset, count: n)
            } else {
                // Wrapping arithmetic is exact: every index is inside the arrays.
                let dr = d + dOffset, sr = s + sOffset
                for j in 0..<n { dr[j &* dInner] = sr[j &* sInner] }
            }
            advance(&index, over: outerAxes, shape, ss, ds, &sOffset, &dOffset)
        }
    }

    /// The copy of `typed` for a source contiguous along axis `p` (not the last): for each index of
    /// the other axes, the `shape[p] × shape[last]` plane is copied in 16×16 tiles.
    private static func tiledPlanes<T>(_ s: UnsafeMutablePointer<T>, _ ss: [Int], _ so: Int,
                                       _ d: UnsafeMutablePointer<T>, _ ds: [Int], _ dOff: Int, _ shape: [Int], plane p: Int) {
        let rank = shape.count, tile = 16
        let (rows, cols) = (shape[p], shape[rank - 1])
        let (dRow, sCol) = (ds[p], ss[rank - 1])
        let outer = (0..<(rank - 1)).filter { $0 != p }
        var index = [Int](repeating: 0, count: outer.count)
        var sOffset = so, dOffset = dOff
        let planes = outer.map { shape[$0] }.reduce(1, *)
        for _ in 0..<planes {
            for i0 in stride(from: 0, to: rows, by: tile) {
                let i1 = Swift.min(i0 + tile, rows)
                for j0 in stride(from: 0, to: cols, by: tile) {
                    let j1 = Swift.min(j0 + tile, cols)
                    for i in i0..<i1 {
                        let dr = d + (dOffset &+ i &* dRow), sr = s + (sOffset &+ i)
                        for j in j0..<j1 { dr[j] = sr[j &* sCol] }
                    }
                }
            }
            advance(&index, over: outer, shape, ss, ds, &sOffset, &dOffset)
        }
    }

    /// Steps the odometer `index` over `axes` (the last fastest) by one, moving the source and
    /// destination offsets by the axes' strides.
    @inline(__always)
    private static func advance(_ index: inout [Int], over axes: [Int], _ shape: [Int], _ ss: [Int], _ ds: [Int],
                                _ sOffset: inout Int, _ dOffset: inout Int) {
        var k = axes.count - 1
        while k >= 0 {
            let axis = axes[k]
            index[k] += 1
            sOffset += ss[axis]
            dOffset += ds[axis]
            if index[k] < shape[axis] { return }
            sOffset -= ss[axis] * shape[axis]
            dOffset -= ds[axis] * shape[axis]
            index[k] = 0
            k -= 1
        }
    }
}
