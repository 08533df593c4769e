/// Elementwise loops over typed buffers. The element function is a generic argument that the
/// compiler specializes and inlines: no dynamic dispatch per element. The loops are `@inlinable`, so
/// that the engine, another module, gets them specialized for its element types and functions. (A
/// package type's `@inlinable` members are inlined into another module only when the type itself
/// is `@usableFromInline`; otherwise the engine calls the unspecialized generic loop, several
/// times slower. The same holds for every kernel type the engine's loops use.)
@usableFromInline package enum Map {
    /// `out[i] = f(x[i])`, split over threads when large.
    @inlinable @inline(__always)
    package static func unary<A, R>(_ x: ArrayValue, _ outDType: DType, _: A.Type, _: R.Type,
                            _ f: (A) -> R) -> ArrayValue {
        let out = ArrayValue(uninitialized: x.shape, dtype: outDType)
        let src = UncheckedSendable(x.pointer(as: A.self))
        let dst = UncheckedSendable(out.pointer(as: R.self))
        Parallel.forChunks(x.count) { range in
            let s = src.value, d = dst.value
            for i in range { (d + i).initialize(to: f(s[i])) }
        }
        return out
    }

    /// `out = f(a, b)` with NumPy broadcasting.
    @inlinable @inline(__always)
    package static func binary<A, B, R>(_ a: ArrayValue, _ b: ArrayValue, _ outShape: [Int], _ outDType: DType,
                                _: A.Type, _: B.Type, _: R.Type, _ f: (A, B) -> R) -> ArrayValue {
        let out = ArrayValue(uninitialized: outShape, dtype: outDType)
        let pa = UncheckedSendable(a.pointer(as: A.self))
        let pb = UncheckedSendable(b.pointer(as: B.self))
        let po = UncheckedSendable(out.pointer(as: R.self))
        let n = out.count
        if a.shape == outShape && b.shape == outShape {
            Parallel.forChunks(n) { r in
                let x = pa.value, y = pb.value, o = po.value
                for i in r { (o + i).initialize(to: f(x[i], y[i])) }
            }
        } else if a.shape == outShape && b.count == 1 {
            let y = pb.value[0]
            Parallel.forChunks(n) { r in
                let x = pa.value, o = po.value
                for i in r { (o + i).initialize(to: f(x[i], y)) }
            }
        } else if b.shape == outShape && a.count == 1 {
            let x = pa.value[0]
            Parallel.forChunks(n) { r in
                let y = pb.value, o = po.value
                for i in r { (o + i).initialize(to: f(x, y[i])) }
            }
        } else {
            let x = pa.value, y = pb.value, o = po.value
            Broadcasting.forEachRow(outShape, [a.shape, b.shape]) { start, offs, strides, len in
                let xa = offs[0], xs = strides[0], yb = offs[1], ys = strides[1]
                for j in 0..<len { (o + start + j).initialize(to: f(x[xa + j * xs], y[yb + j * ys])) }
            }
        }
        return out
    }

    /// `out = f(a, b, c)` with NumPy broadcasting (used by select).
    @inlinable @inline(__always)
    package static func ternary<A, B, C, R>(_ a: ArrayValue, _ b: ArrayValue, _ c: ArrayValue, _ outShape: [Int],
                                    _ outDType: DType, _: A.Type, _: B.Type, _: C.Type, _: R.Type,
                                    _ f: (A, B, C) -> R) -> ArrayValue {
        let out = ArrayValue(uninitialized: outShape, dtype: outDType)
        let x = a.pointer(as: A.self), y = b.pointer(as: B.self), z = c.pointer(as: C.self)
        let o = out.pointer(as: R.self)
        Broadcasting.forEachRow(outShape, [a.shape, b.shape, c.shape]) { start, offs, strides, len in
            for j in 0..<len {
                (o + start + j).initialize(
                    to: f(x[offs[0] + j * strides[0]], y[offs[1] + j * strides[1]], z[offs[2] + j * strides[2]]))
            }
        }
        return out
    }
}
