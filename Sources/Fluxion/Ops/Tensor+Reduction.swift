/// Reductions along any set of axes. `alongAxes: nil` reduces over all axes; negative axes count
/// from the end; `keepingDims` keeps reduced axes with extent 1 so the result broadcasts against the
/// input.
///
/// ```swift
/// let m = Tensor([1.0, 2.0, 3.0, 4.0], shape: [2, 2])
/// m.sum()                          // 10
/// m.mean(alongAxes: [0])           // [2, 3]
/// m.max(alongAxes: [-1], keepingDims: true)   // [[2], [4]]
/// ```
extension Tensor {
    private func reduce(_ combine: ReductionKernels.Combine, _ axes: [Int]?, _ keepingDims: Bool,
                        _ operation: String) -> Tensor {
        let axes = normalizeAxes(axes, rank: rank, operation)
        let x = dtype == .bool ? cast(to: .int64) : self
        let r = bind1(Reduce(combine: combine, axes: axes), x)
        return keepingDims ? r.reshaped(to: keptShape(shape, reducing: axes)) : r
    }

    /// The sum (bool counts as int64).
    public func sum(alongAxes axes: [Int]? = nil, keepingDims: Bool = false) -> Tensor {
        reduce(.sum, axes, keepingDims, "sum")
    }

    /// The product.
    public func prod(alongAxes axes: [Int]? = nil, keepingDims: Bool = false) -> Tensor {
        reduce(.product, axes, keepingDims, "prod")
    }

    /// The largest element (NaN propagates).
    public func max(alongAxes axes: [Int]? = nil, keepingDims: Bool = false) -> Tensor {
        reduce(.max, axes, keepingDims, "max")
    }

    /// The smallest element (NaN propagates).
    public func min(alongAxes axes: [Int]? = nil, keepingDims: Bool = false) -> Tensor {
        reduce(.min, axes, keepingDims, "min")
    }

    /// The arithmetic mean (integers give float64).
    public func mean(alongAxes axes: [Int]? = nil, keepingDims: Bool = false) -> Tensor {
        let normalized = normalizeAxes(axes, rank: rank, "mean")
        let n = normalized.map { shape[$0] }.reduce(1, *)
        return cast(to: dtype.inexact).sum(alongAxes: normalized, keepingDims: keepingDims) / Double(n)
    }

    /// The variance `mean(|x - mean(x)|²) · n / (n - ddof)`; `ddof: 1` gives the unbiased estimate.
    public func variance(alongAxes axes: [Int]? = nil, keepingDims: Bool = false, ddof: Int = 0) -> Tensor {
        let normalized = normalizeAxes(axes, rank: rank, "variance")
        let n = normalized.map { shape[$0] }.reduce(1, *)
        let centered = cast(to: dtype.inexact) - mean(alongAxes: normalized, keepingDims: true)
        let squares = centered.dtype.isComplex ? real(centered * conj(centered)) : centered * centered
        return squares.sum(alongAxes: normalized, keepingDims: keepingDims) / Double(Swift.max(n - ddof, 0))
    }

    /// The standard deviation, `sqrt(variance)`.
    public func standardDeviation(alongAxes axes: [Int]? = nil, keepingDims: Bool = false, ddof: Int = 0) -> Tensor {
        sqrt(variance(alongAxes: axes, keepingDims: keepingDims, ddof: ddof))
    }

    /// `log(sum(exp(x)))`, computed stably by factoring out the maximum.
    public func logSumExp(alongAxes axes: [Int]? = nil, keepingDims: Bool = false) -> Tensor {
        let normalized = normalizeAxes(axes, rank: rank, "logsumexp")
        let x = cast(to: dtype.inexact)
        // Shifting by the maximum keeps exp from overflowing; an infinite maximum (all -inf, or a +inf)
        // is replaced by 0 so that the shift does not produce inf - inf.
        let m = x.max(alongAxes: normalized, keepingDims: true)
        let shift = `where`(isfinite(m), m, 0)
        let s = log(exp(x - shift).sum(alongAxes: normalized, keepingDims: true)) + shift
        return keepingDims ? s : s.reshaped(to: shape.enumerated().filter { !normalized.contains($0.offset) }.map(\.element))
    }

    /// The int64 position of the largest element along `axis` (all elements, flattened, when nil).
    public func argmax(axis: Int? = nil) -> Tensor { argReduce(true, axis) }

    /// The int64 position of the smallest element along `axis` (all elements, flattened, when nil).
    public func argmin(axis: Int? = nil) -> Tensor { argReduce(false, axis) }

    private func argReduce(_ findMaximum: Bool, _ axis: Int?) -> Tensor {
        let name = findMaximum ? "argmax" : "argmin"
        guard let axis else { return reshaped(to: [-1]).argReduce(findMaximum, 0) }
        let x = dtype == .bool ? cast(to: .int32) : self
        return bind1(ArgReduce(findMaximum: findMaximum, axis: normalizeAxis(axis, rank: rank, name)), x)
    }

    /// Running sums along `axis` (from the last element backwards when `reverse`).
    public func cumsum(axis: Int, reverse: Bool = false) -> Tensor {
        let x = dtype == .bool ? cast(to: .int64) : self
        return bind1(CumulativeSum(axis: normalizeAxis(axis, rank: rank, "cumsum"), reverse: reverse), x)
    }

    /// The elements sorted ascending along `axis` (NaN last).
    public func sorted(axis: Int = -1) -> Tensor {
        bind(Sort(axis: normalizeAxis(axis, rank: rank, "sort")), [self])[0]
    }

    /// The int64 positions that sort the elements along `axis` (stable).
    public func argsort(axis: Int = -1) -> Tensor {
        bind(Sort(axis: normalizeAxis(axis, rank: rank, "argsort")), [self])[1]
    }

    /// Whether any element is nonzero.
    public func any(alongAxes axes: [Int]? = nil) -> Tensor {
        cast(to: .bool).cast(to: .int32).max(alongAxes: axes) .> 0
    }

    /// Whether every element is nonzero.
    public func all(alongAxes axes: [Int]? = nil) -> Tensor {
        cast(to: .bool).cast(to: .int32).min(alongAxes: axes) .> 0
    }
}
