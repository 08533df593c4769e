import CVectorMath
import ComplexModule

/// Reduction kernels. A reduction over any set of axes is computed in one pass over the input: the
/// output is read as a broadcast of the input's shape (stride 0 along reduced axes), so each input
/// row knows where it accumulates.
package enum ReductionKernels {
    /// The operation a reduction combines elements with.
    package enum Combine: Hashable, Sendable { case sum, product, max, min }

    package static func reduce(_ x: ArrayValue, axes: [Int], combine: Combine) -> ArrayValue {
        switch x.dtype {
        case .int32: return typed(x, axes, combine, Int32.self)
        case .int64: return typed(x, axes, combine, Int64.self)
        case .float32: return typed(x, axes, combine, Float.self)
        case .float64: return typed(x, axes, combine, Double.self)
        case .complex64: return typed(x, axes, combine, Complex<Float>.self)
        case .complex128: return typed(x, axes, combine, Complex<Double>.self)
        case .bool: shapeFailure("reduce", "does not accept dtype bool")
        }
    }

    private static func typed<T: ReducibleElement>(_ x: ArrayValue, _ axes: [Int], _ combine: Combine,
                                                    _: T.Type) -> ArrayValue {
        let keptShape = x.shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
        let outShape = x.shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
        let out = ArrayValue(uninitialized: outShape, dtype: x.dtype)
        let o = out.pointer(as: T.self)
        let identity: T = switch combine {
        case .sum: T.zeroValue
        case .product: T.oneValue
        case .max: T.lowest
        case .min: T.highest
        }
        o.initialize(repeating: identity, count: out.count)
        let p = x.pointer(as: T.self)
        if case .sum = combine, let (m, n) = leadingReduction(x.shape, axes) {
            // A sum over leading axes (a bias gradient: [batch, features] summed over the batch):
            // x is m rows of n, added to the result row by row in order, as the general loop below
            // adds them (the same sums, bit for bit), without a call per row; float64 by the vector
            // kernel, which keeps the partial sums in registers.
            if T.self == Double.self {
                fluxion_vsum_rows(x.pointer(as: Double.self), m, n, out.pointer(as: Double.self))
                return out
            }
            for i in 0..<m {
                let row = p + i &* n
                for j in 0..<n { o[j] = o[j] + row[j] }
            }
            return out
        }
        Broadcasting.forEachRow(x.shape, [keptShape]) { start, offsets, strides, n in
            // Row pointers and wrapping index arithmetic (exact: every index is inside its row), so
            // that the inner loops vectorize.
            let acc = o + offsets[0], row = p + start, s = strides[0]
            switch combine {
            case .sum:
                if s == 0 { acc[0] = acc[0] + T.rowSum(row, n) }
                else { for j in 0..<n { acc[j] = acc[j] + row[j] } }
            case .product: for j in 0..<n { acc[j &* s] = acc[j &* s] * row[j] }
            case .max: for j in 0..<n { acc[j &* s] = T.reduceMax(acc[j &* s], row[j]) }
            case .min: for j in 0..<n { acc[j &* s] = T.reduceMin(acc[j &* s], row[j]) }
            }
        }
        return out
    }
}

/// `(m, n)` when reducing `axes` of `shape` views the array as m rows of n kept elements (every
/// reduced axis longer than 1 comes before every kept axis longer than 1, and n > 1); nil otherwise.
private func leadingReduction(_ shape: [Int], _ axes: [Int]) -> (Int, Int)? {
    var m = 1, n = 1, keptSeen = false
    for (a, extent) in shape.enumerated() where extent != 1 {
        if axes.contains(a) {
            if keptSeen { return nil }
            m *= extent
        } else {
            keptSeen = true
            n *= extent
        }
    }
    return n > 1 ? (m, n) : nil
}

/// What reductions need from an element type.
package protocol ReducibleElement: TensorElement, Numeric {
    static var oneValue: Self { get }
    static var lowest: Self { get }
    static var highest: Self { get }
    static func reduceMax(_ a: Self, _ b: Self) -> Self
    static func reduceMin(_ a: Self, _ b: Self) -> Self
    /// The sum of a contiguous row, with several accumulators: faster, and its rounding error grows
    /// more slowly than a single running sum's.
    static func rowSum(_ p: UnsafeMutablePointer<Self>, _ n: Int) -> Self
}

extension ReducibleElement {
    package static func rowSum(_ p: UnsafeMutablePointer<Self>, _ n: Int) -> Self {
        var a0 = Self.zero, a1 = Self.zero, a2 = Self.zero, a3 = Self.zero
        var j = 0
        while j &+ 4 <= n {
            a0 += p[j]; a1 += p[j &+ 1]; a2 += p[j &+ 2]; a3 += p[j &+ 3]
            j &+= 4
        }
        while j < n { a0 += p[j]; j &+= 1 }
        return (a0 + a1) + (a2 + a3)
    }
}

extension ReducibleElement where Self: Comparable {
    // NaN propagates: a NaN accumulator stays (a != a), a NaN element fails the comparison and wins.
    package static func reduceMax(_ a: Self, _ b: Self) -> Self { a >= b || a != a ? a : b }
    package static func reduceMin(_ a: Self, _ b: Self) -> Self { a <= b || a != a ? a : b }
}

extension Int32: ReducibleElement {
    package static var oneValue: Int32 { 1 }
    package static var lowest: Int32 { .min }
    package static var highest: Int32 { .max }
}
extension Int64: ReducibleElement {
    package static var oneValue: Int64 { 1 }
    package static var lowest: Int64 { .min }
    package static var highest: Int64 { .max }
}
extension Float: ReducibleElement {
    package static var oneValue: Float { 1 }
    package static var lowest: Float { -.infinity }
    package static var highest: Float { .infinity }
}
extension Double: ReducibleElement {
    package static var oneValue: Double { 1 }
    package static var lowest: Double { -.infinity }
    package static var highest: Double { .infinity }
}
extension Complex: ReducibleElement where RealType: RealElement {
    package static var oneValue: Complex<RealType> { .one }
    // Complex numbers are not ordered; max and min reductions reject complex dtypes before this.
    package static var lowest: Complex<RealType> { .zero }
    package static var highest: Complex<RealType> { .zero }
    package static func reduceMax(_ a: Complex<RealType>, _ b: Complex<RealType>) -> Complex<RealType> { a }
    package static func reduceMin(_ a: Complex<RealType>, _ b: Complex<RealType>) -> Complex<RealType> { a }
}
