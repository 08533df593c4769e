/// Elementwise loops over typed buffers. The element function is a generic argument that the
/// compiler specializes and inlines: no dynamic dispatch per element. The loops split over threads
/// get their pointers through `Parallel.forChunks(_:minimumChunk:passing:_:)`, so that the element
/// function is their only capture and is inlined (captured beside the pointers, it would be called
/// per element). The loops are `@inlinable`, so that the engine, another module, gets them
/// specialized for its element types and functions. (A package type's `@inlinable` members are
/// inlined into another module only when the type itself is `@usableFromInline`; otherwise the
/// engine calls the unspecialized generic loop, several times slower. The same holds for every
/// kernel type the engine's loops use.)
@usableFromInline package enum Map {
    /// `out[i] = f(x[i])`, split over threads when large.
    @inlinable @inline(__always)
    package static func unary<A, R>(_ x: ArrayValue, _ outDType: DType, _: A.Type, _: R.Type,
                            _ f: (A) -> R) -> ArrayValue {
        let out = ArrayValue(uninitialized: x.shape, dtype: outDType)
        let src = UncheckedSendable(x.pointer(as: A.self))
        let dst = UncheckedSendable(out.pointer(as: R.self))
        Parallel.forChunks(x.count, passing: (src, dst)) { range, p in
            let s = p.0.value, d = p.1.value
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
            Parallel.forChunks(n, passing: (pa, pb, po)) { r, p in
                let x = p.0.value, y = p.1.value, o = p.2.value
                for i in r { (o + i).initialize(to: f(x[i], y[i])) }
            }
        } else if a.shape == outShape && b.count == 1 {
            let y = pb.value[0]
            Parallel.forChunks(n, passing: (pa, po, y)) { r, p in
                let x = p.0.value, o = p.1.value, y = p.2
                for i in r { (o + i).initialize(to: f(x[i], y)) }
            }
        } else if b.shape == outShape && a.count == 1 {
            let x = pa.value[0]
            Parallel.forChunks(n, passing: (pb, po, x)) { r, p in
                let y = p.0.value, o = p.1.value, x = p.2
                for i in r { (o + i).initialize(to: f(x, y[i])) }
            }
        } else if a.shape == outShape, b.count > 0, isTrailingBlock(b.shape, of: outShape) {
            // `b` repeats every `m` elements of the output (a bias against a batch): rows of `m`.
            let m = b.count, x = pa.value, y = pb.value, o = po.value
            for r in 0..<(n / m) {
                let xr = x + r &* m, orow = o + r &* m
                for j in 0..<m { (orow + j).initialize(to: f(xr[j], y[j])) }
            }
        } else if b.shape == outShape, a.count > 0, isTrailingBlock(a.shape, of: outShape) {
            let m = a.count, x = pa.value, y = pb.value, o = po.value
            for r in 0..<(n / m) {
                let yr = y + r &* m, orow = o + r &* m
                for j in 0..<m { (orow + j).initialize(to: f(x[j], yr[j])) }
            }
        } else {
            let x = pa.value, y = pb.value, o = po.value
            Broadcasting.forEachRow(outShape, [a.shape, b.shape]) { start, offs, strides, len in
                // Rows start at valid offsets and `j * stride` stays inside them: wrapping arithmetic
                // is exact here, and lets the common cases (a row against a broadcast scalar or a
                // contiguous row) vectorize.
                let xr = x + offs[0], yr = y + offs[1], orow = o + start
                switch (strides[0], strides[1]) {
                case (1, 1): for j in 0..<len { (orow + j).initialize(to: f(xr[j], yr[j])) }
                case (1, 0): let v = yr[0]; for j in 0..<len { (orow + j).initialize(to: f(xr[j], v)) }
                case (0, 1): let u = xr[0]; for j in 0..<len { (orow + j).initialize(to: f(u, yr[j])) }
                case let (xs, ys): for j in 0..<len { (orow + j).initialize(to: f(xr[j &* xs], yr[j &* ys])) }
                }
            }
        }
        return out
    }

    /// Whether `shape`, broadcast to `outShape`, is one block repeated along the leading axes: its
    /// extents after leading 1s are the trailing extents of `outShape`.
    @inlinable
    package static func isTrailingBlock(_ shape: [Int], of outShape: [Int]) -> Bool {
        let core = shape.drop { $0 == 1 }
        return core.count <= outShape.count && core.elementsEqual(outShape.suffix(core.count))
    }

    /// `out = c ? a : b` elementwise with NumPy broadcasting, for elements of type `T` (selection only
    /// moves bytes: the caller picks `T` by element size). The choice is a mask, not a branch, so an
    /// irregular condition costs no mispredictions and the flat loops vectorize.
    @inlinable @inline(__always)
    package static func select<T: FixedWidthInteger>(_ c: ArrayValue, _ a: ArrayValue, _ b: ArrayValue, _ outShape: [Int],
                                                     _ outDType: DType, _: T.Type) -> ArrayValue {
        let out = ArrayValue(uninitialized: outShape, dtype: outDType)
        // Bools are stored as the bytes 0 and 1; `0 &- 1` is all ones.
        let w = c.pointer(as: UInt8.self), x = a.pointer(as: T.self), y = b.pointer(as: T.self)
        let o = out.pointer(as: T.self)
        @inline(__always) func choose(_ w: UInt8, _ x: T, _ y: T) -> T {
            let mask = 0 &- T(truncatingIfNeeded: w)
            return (x & mask) | (y & ~mask)
        }
        // Each operand whole or a scalar (a mask applied to a matrix, with a zero): flat loops.
        let full = (c.shape == outShape, a.shape == outShape, b.shape == outShape)
        let scalar = (c.count == 1, a.count == 1, b.count == 1)
        if (full.0 || scalar.0) && (full.1 || scalar.1) && (full.2 || scalar.2) {
            let pw = UncheckedSendable(w), px = UncheckedSendable(x), py = UncheckedSendable(y), po = UncheckedSendable(o)
            Parallel.forChunks(out.count) { r in
                let (w, x, y, o) = (pw.value, px.value, py.value, po.value)
                switch (full.0, full.1, full.2) {
                case (true, true, true): for i in r { (o + i).initialize(to: choose(w[i], x[i], y[i])) }
                case (true, true, false): let v = y[0]; for i in r { (o + i).initialize(to: choose(w[i], x[i], v)) }
                case (true, false, true): let u = x[0]; for i in r { (o + i).initialize(to: choose(w[i], u, y[i])) }
                default:
                    let (ws, xs, ys) = (full.0 ? 1 : 0, full.1 ? 1 : 0, full.2 ? 1 : 0)
                    for i in r { (o + i).initialize(to: choose(w[i &* ws], x[i &* xs], y[i &* ys])) }
                }
            }
            return out
        }
        Broadcasting.forEachRow(outShape, [c.shape, a.shape, b.shape]) { start, offs, strides, len in
            let wr = w + offs[0], xr = x + offs[1], yr = y + offs[2], orow = o + start
            let (ws, xs, ys) = (strides[0], strides[1], strides[2])
            for j in 0..<len { (orow + j).initialize(to: choose(wr[j &* ws], xr[j &* xs], yr[j &* ys])) }
        }
        return out
    }
}
