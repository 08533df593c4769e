/// NumPy broadcasting: shapes are aligned on their last axis; an axis of extent 1 stretches.
@usableFromInline package enum Broadcasting {
    /// The broadcast shape of several shapes, or `nil` when they do not broadcast.
    package static func shape(_ shapes: [[Int]]) -> [Int]? {
        let rank = shapes.map(\.count).max() ?? 0
        var out = [Int](repeating: 1, count: rank)
        for s in shapes {
            let offset = rank - s.count
            for (i, d) in s.enumerated() {
                let j = i + offset
                if out[j] == 1 { out[j] = d } else if d != 1 && d != out[j] { return nil }
            }
        }
        return out
    }

    /// Element strides of a contiguous array of shape `shape` read as shape `outShape`
    /// (0 along broadcast axes).
    @usableFromInline package static func strides(of shape: [Int], in outShape: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: outShape.count)
        var step = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            let j = i + outShape.count - shape.count
            strides[j] = shape[i] == 1 ? 0 : step
            step *= shape[i]
        }
        return strides
    }

    /// Calls `row(outOffset, inputOffsets, innerStrides, length)` for every innermost row of
    /// `outShape`, where input `k` is read at `inputOffsets[k] + j * innerStrides[k]`. Inlinable, so
    /// that a kernel's row closure is inlined into the loop over rows (short rows are common).
    @inlinable package static func forEachRow(_ outShape: [Int], _ inputShapes: [[Int]],
                           _ row: (Int, [Int], [Int], Int) -> Void) {
        if outShape.isEmpty {
            let n = inputShapes.count
            row(0, [Int](repeating: 0, count: n), [Int](repeating: 0, count: n), 1)
            return
        }
        forEachRow(outShape, inputShapes, rows: 0..<outShape.dropLast().reduce(1, *), row)
    }

    /// ``forEachRow(_:_:_:)`` over the rows `rows` only (in row-major order of the outer axes), so
    /// that the rows can be split over threads. `outShape` has at least one axis.
    @inlinable package static func forEachRow(_ outShape: [Int], _ inputShapes: [[Int]], rows: Range<Int>,
                                              _ row: (Int, [Int], [Int], Int) -> Void) {
        let n = inputShapes.count
        let allStrides = inputShapes.map { strides(of: $0, in: outShape) }
        let rank = outShape.count
        let length = outShape[rank - 1]
        let inner = allStrides.map { $0[rank - 1] }
        if length == 0 || rows.isEmpty { return }
        // The multi-index of the first row over the outer axes, and each input's offset there.
        var index = [Int](repeating: 0, count: rank - 1)
        var offsets = [Int](repeating: 0, count: n)
        var rest = rows.lowerBound
        for axis in stride(from: rank - 2, through: 0, by: -1) {
            index[axis] = rest % outShape[axis]
            rest /= outShape[axis]
            for k in 0..<n { offsets[k] += index[axis] * allStrides[k][axis] }
        }
        for r in rows {
            row(r * length, offsets, inner, length)
            // Advance the multi-index over the outer axes, updating each input's offset.
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                for k in 0..<n { offsets[k] += allStrides[k][axis] }
                if index[axis] < outShape[axis] { break }
                for k in 0..<n { offsets[k] -= allStrides[k][axis] * outShape[axis] }
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
