import ComplexModule

/// Kernels for gather (`take` along one axis) and its transpose, scatter-add.
package enum IndexKernels {
    /// Reads integer indices as Int, wrapping negative ones (NumPy's `-1` is the last element) and
    /// stopping with a clear message on one out of range.
    package static func indices(_ idx: ArrayValue, extent: Int, operation: String) -> [Int] {
        let raw: [Int] = idx.dtype == .int32
            ? idx.elements(as: Int32.self).map(Int.init) : idx.elements(as: Int64.self).map(Int.init)
        return raw.map { i in
            let j = i < 0 ? i + extent : i
            guard 0 <= j && j < extent else {
                shapeFailure(operation, "index \(i) is out of range for an axis of extent \(extent)")
            }
            return j
        }
    }

    /// `out[o, i, r] = x[o, idx[i], r]` with `o` the axes before `axis` and `r` those after.
    package static func gather(_ x: ArrayValue, _ idx: ArrayValue, axis: Int) -> ArrayValue {
        let extent = x.shape[axis]
        let ids = indices(idx, extent: extent, operation: "gather")
        let outer = x.shape[..<axis].reduce(1, *)
        let inner = x.shape[(axis + 1)...].reduce(1, *)
        let out = ArrayValue(uninitialized: Array(x.shape[..<axis]) + idx.shape + Array(x.shape[(axis + 1)...]),
                             dtype: x.dtype)
        let block = inner * x.dtype.byteSize
        let src = x.buffer.raw, dst = out.buffer.raw
        var o = 0
        for a in 0..<outer {
            for i in ids {
                (dst + o).copyMemory(from: src + (a * extent + i) * block, byteCount: block)
                o += block
            }
        }
        return out
    }

    /// The transpose of gather: zeros of extent `extent` along `axis`, with `updates[o, i, r]` added
    /// at `[o, idx[i], r]`; repeated indices accumulate.
    package static func scatterAdd(_ updates: ArrayValue, _ idx: ArrayValue, axis: Int, extent: Int) -> ArrayValue {
        let ids = indices(idx, extent: extent, operation: "scatter_add")
        let outer = updates.shape[..<axis].reduce(1, *)
        let inner = updates.shape[(axis + idx.shape.count)...].reduce(1, *)
        var shape = Array(updates.shape[..<axis])
        shape.append(extent)
        shape += updates.shape[(axis + idx.shape.count)...]
        let out = ArrayValue.zeros(shape, dtype: updates.dtype)
        func run<T: AdditiveArithmetic>(_: T.Type) {
            let u = updates.pointer(as: T.self), o = out.pointer(as: T.self)
            var k = 0
            for a in 0..<outer {
                for i in ids {
                    let target = o + (a * extent + i) * inner, source = u + k
                    for r in 0..<inner { target[r] += source[r] }
                    k += inner
                }
            }
        }
        switch updates.dtype {
        case .int32: run(Int32.self)
        case .int64: run(Int64.self)
        case .float32: run(Float.self)
        case .float64: run(Double.self)
        case .complex64: run(Complex<Float>.self)
        case .complex128: run(Complex<Double>.self)
        case .bool: shapeFailure("scatter_add", "does not accept dtype bool")
        }
        return out
    }
}
