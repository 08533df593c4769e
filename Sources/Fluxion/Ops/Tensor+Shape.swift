/// Shape manipulation.
///
/// ```swift
/// let x = Tensor.arange(0, 6).reshaped(to: [2, 3])
/// x.transposed()                     // shape [3, 2]
/// x.expandingShape(at: 0)            // shape [1, 2, 3]
/// Tensor.concatenate([x, x], axis: 1)   // shape [2, 6]
/// ```
extension Tensor {
    /// The same elements under a new shape; one extent may be `-1` to be inferred.
    public func reshaped(to newShape: [Int]) -> Tensor {
        var shape = newShape
        guard shape.allSatisfy({ $0 >= -1 }), shape.filter({ $0 == -1 }).count <= 1 else {
            shapeFailure("reshape", "the new shape \(newShape) may hold non-negative extents and at most one -1")
        }
        if let i = shape.firstIndex(of: -1) {
            let known = shape.enumerated().filter { $0.offset != i }.map(\.element).reduce(1, *)
            guard known > 0, count % known == 0 else {
                shapeFailure("reshape", "cannot reshape \(self.shape) (\(count) elements) to \(newShape)")
            }
            shape[i] = count / known
        }
        if shape == self.shape { return self }
        return bind1(Reshape(shape: shape), self)
    }

    /// The axes permuted: output axis `i` is input axis `permutation[i]` (reversed when nil).
    public func transposed(permutation: [Int]? = nil) -> Tensor {
        let p = permutation.map { $0.map { normalizeAxis($0, rank: rank, "transpose") } } ?? Array((0..<rank).reversed())
        if p == Array(0..<rank) { return self }
        return bind1(Transpose(permutation: p), self)
    }

    /// The matrix transpose of the last two axes.
    public var mT: Tensor {
        precondition(rank >= 2, "mT: needs at least 2 axes, got shape \(shape)")
        var p = Array(0..<rank)
        p.swapAt(rank - 1, rank - 2)
        return transposed(permutation: p)
    }

    /// Moves one axis to a new position, keeping the order of the others.
    public func movingAxis(_ source: Int, to destination: Int) -> Tensor {
        let s = normalizeAxis(source, rank: rank, "moveaxis"), d = normalizeAxis(destination, rank: rank, "moveaxis")
        var p = Array(0..<rank)
        p.remove(at: s)
        p.insert(s, at: d)
        return transposed(permutation: p)
    }

    /// Removes axes of extent 1 (all of them when `axes` is nil).
    public func squeezed(axes: [Int]? = nil) -> Tensor {
        let drop = axes.map { normalizeAxes($0, rank: rank, "squeeze") } ?? shape.indices.filter { shape[$0] == 1 }
        for a in drop where shape[a] != 1 {
            shapeFailure("squeeze", "axis \(a) of shape \(shape) has extent \(shape[a]), not 1")
        }
        return reshaped(to: shape.enumerated().filter { !drop.contains($0.offset) }.map(\.element))
    }

    /// Inserts an axis of extent 1 at `axis` (negative counts from the end of the new shape).
    public func expandingShape(at axis: Int) -> Tensor {
        let a = normalizeAxis(axis, rank: rank + 1, "expand_dims")
        var s = shape
        s.insert(1, at: a)
        return reshaped(to: s)
    }

    /// Broadcasts to `shape` by NumPy's rules.
    public func broadcast(to shape: [Int]) -> Tensor {
        if shape == self.shape { return self }
        _ = checkedElementCount(shape, "broadcast")
        return bind1(BroadcastTo(shape: shape), self)
    }

    /// Joins tensors along an existing axis (dtypes promote).
    public static func concatenate(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        guard let first = tensors.first else { shapeFailure("concatenate", "needs at least one tensor") }
        let d = tensors.dropFirst().reduce(first.dtype) { DType.promote($0, $1.dtype) }
        return bind(Concatenate(axis: normalizeAxis(axis, rank: first.rank, "concatenate")),
                    tensors.map { $0.cast(to: d) })[0]
    }

    /// Joins tensors of one shape along a new axis.
    public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        guard let first = tensors.first else { shapeFailure("stack", "needs at least one tensor") }
        for t in tensors where t.shape != first.shape {
            shapeFailure("stack", "shapes \(tensors.map { "\($0.shape)" }.joined(separator: " and ")) differ")
        }
        let a = normalizeAxis(axis, rank: first.rank + 1, "stack")
        return concatenate(tensors.map { $0.expandingShape(at: a) }, axis: a)
    }

    /// Splits into `count` equal parts along `axis`.
    public func split(count: Int, axis: Int = 0) -> [Tensor] {
        let a = normalizeAxis(axis, rank: rank, "split")
        guard count > 0, shape[a] % count == 0 else {
            shapeFailure("split", "axis \(a) of shape \(shape) does not divide into \(count) equal parts")
        }
        return split(sizes: Array(repeating: shape[a] / count, count: count), axis: a)
    }

    /// Splits into parts of the given extents along `axis`; the extents must add up to the axis.
    public func split(sizes: [Int], axis: Int = 0) -> [Tensor] {
        let a = normalizeAxis(axis, rank: rank, "split")
        guard sizes.reduce(0, +) == shape[a], sizes.allSatisfy({ $0 >= 0 }) else {
            shapeFailure("split", "sizes \(sizes) do not add up to extent \(shape[a]) of axis \(a) in \(shape)")
        }
        var start = 0
        return sizes.map { n in
            defer { start += n }
            return sliced(axis: a, start: start, end: start + n)
        }
    }

    /// The elements `start..<end` (stepping by `step`) along one axis.
    func sliced(axis: Int, start: Int, end: Int, step: Int = 1) -> Tensor {
        var starts = [Int](repeating: 0, count: rank), limits = shape, steps = [Int](repeating: 1, count: rank)
        starts[axis] = start
        limits[axis] = end
        steps[axis] = step
        if starts.allSatisfy({ $0 == 0 }) && limits == shape && step == 1 { return self }
        return bind1(Slice(starts: starts, limits: limits, steps: steps), self)
    }

    /// Pads with a constant: `widths[k] = (before, after)` along axis `k`.
    public func padded(_ widths: [(Int, Int)], value: Double = 0) -> Tensor {
        guard widths.count == rank else {
            shapeFailure("pad", "\(widths.count) (before, after) pairs for shape \(shape) of rank \(rank)")
        }
        let p = bind1(Pad(low: widths.map(\.0), high: widths.map(\.1)), self)
        if value == 0 { return p }
        // Pad primitive fills zeros; add the constant where the padding is.
        let inside = bind1(Pad(low: widths.map(\.0), high: widths.map(\.1)), Tensor.ones(shape, dtype: .bool))
        return `where`(inside, p, value)
    }

    /// The elements in reverse order along the given axes (all axes when nil).
    public func flipped(axes: [Int]? = nil) -> Tensor {
        let a = normalizeAxes(axes, rank: rank, "flip")
        return a.isEmpty ? self : bind1(Reverse(axes: a), self)
    }

    /// The tensor repeated `multiples[k]` times along axis `k` (as NumPy's `tile`).
    public func tiled(_ multiples: [Int]) -> Tensor {
        let reps = [Int](repeating: 1, count: Swift.max(0, rank - multiples.count)) + multiples
        let base = [Int](repeating: 1, count: reps.count - rank) + shape
        // Interleave a new axis of extent `reps[k]` before each axis, broadcast, then merge the pairs.
        let expanded = reshaped(to: base.flatMap { [1, $0] })
        let target = zip(reps, base).flatMap { [$0.0, $0.1] }
        return expanded.broadcast(to: target).reshaped(to: zip(reps, base).map { $0.0 * $0.1 })
    }

    /// Each element repeated `count` times along `axis` (as NumPy's `repeat`).
    public func repeating(_ count: Int, axis: Int) -> Tensor {
        let a = normalizeAxis(axis, rank: rank, "repeat")
        var s = shape
        s.insert(1, at: a + 1)
        var t = s
        t[a + 1] = count
        var out = shape
        out[a] *= count
        return reshaped(to: s).broadcast(to: t).reshaped(to: out)
    }

    /// The elements of the main diagonal of the last two axes (as NumPy's `diagonal`).
    public func diagonal() -> Tensor {
        guard rank >= 2 else { shapeFailure("diagonal", "needs a matrix (at least 2 axes), got shape \(shape)") }
        let (n, m) = (shape[rank - 2], shape[rank - 1])
        let k = Swift.min(n, m)
        let flat = reshaped(to: Array(shape.dropLast(2)) + [n * m])
        return flat.gathering(Tensor((0..<k).map { Int64($0 * (m + 1)) }), alongAxis: -1)
    }
}

extension Tensor {
    /// The elements shifted cyclically by `shift` positions along `axis` (as NumPy's `roll`).
    public func rolled(by shift: Int, axis: Int) -> Tensor {
        let a = normalizeAxis(axis, rank: rank, "roll")
        let n = shape[a]
        guard n > 0 else { return self }
        let k = ((shift % n) + n) % n
        if k == 0 { return self }
        return Tensor.concatenate([sliced(axis: a, start: n - k, end: n), sliced(axis: a, start: 0, end: n - k)], axis: a)
    }

    /// The tensor cropped or zero-padded at the end of `axis` to extent `n`.
    func resized(axis: Int, to n: Int) -> Tensor {
        let m = shape[axis]
        if n == m { return self }
        if n < m { return sliced(axis: axis, start: 0, end: n) }
        var widths = [(Int, Int)](repeating: (0, 0), count: rank)
        widths[axis] = (0, n - m)
        return padded(widths)
    }
}
