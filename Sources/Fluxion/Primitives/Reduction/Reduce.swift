/// Reduces over a set of axes with sum, product, max or min; the reduced axes are removed.
/// Max and min propagate NaN, and reject complex tensors.
struct Reduce: Primitive, AxisShiftBatching {
    let combine: ReductionKernels.Combine
    let axes: [Int]
    var name: String { "reduce_\(combine)" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let x = inputs[0]
        guard axes.allSatisfy({ 0 <= $0 && $0 < x.rank }), Set(axes).count == axes.count else {
            shapeFailure(name, "axes \(axes) out of range or repeated for shape \(x.shape)")
        }
        guard x.dtype != .bool, !(x.dtype.isComplex && (combine == .max || combine == .min)) else {
            shapeFailure(name, "does not accept dtype \(x.dtype)")
        }
        return [TensorType(shape: x.shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element),
                           dtype: x.dtype)]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        [ReductionKernels.reduce(inputs[0], axes: axes, combine: combine)]
    }

    // MARK: derivatives

    /// A reduced tensor read back with the reduced axes as extent 1, so it broadcasts against `x`.
    private func kept(_ y: Tensor, like x: Tensor) -> Tensor { y.reshaped(to: keptShape(x.shape, reducing: axes)) }

    /// Sum: linear. Max and min: the derivative flows to the extreme elements, split evenly among
    /// ties. Product: each element's derivative is the product of the others.
    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        guard let t = tangents[0] else { return [nil] }
        return [bind1(Reduce(combine: .sum, axes: axes), t * weights(primals[0], outputs[0]))]
    }


    /// Taylor mode: sum, max and min are linear in the perturbation (max and min through the fixed
    /// choice of the extreme elements), so coefficients pass through the forward rule; a product's
    /// coefficients come from its first-order rule.
    func jet(_ primals: [Tensor], _ series: [TaylorSeries?], _ outputs: [Tensor]) -> [TaylorSeries?] {
        combine == .product ? coefficientsFromForwardRule(primals, series, outputs)
            : coefficientsThroughForwardRule(primals, series, outputs)
    }

    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        guard let ct = cotangents[0] else { return [nil] }
        let x = primals[0]
        return [kept(ct, like: x).broadcast(to: x.shape) * weights(x, outputs[0])]
    }

    /// ∂y/∂x for each element, shaped like `x`.
    private func weights(_ x: Tensor, _ y: Tensor) -> Tensor {
        switch combine {
        case .sum:
            return Tensor.ones(like: x)
        case .max, .min:
            let hits = (x .== kept(y, like: x)).cast(to: x.dtype)
            return hits / kept(bind1(Reduce(combine: .sum, axes: axes), hits), like: x)
        case .product:
            return productOfOthers(x)
        }
    }

    /// For each element, the product of the other elements of its reduction group, without dividing
    /// (so zeros are handled exactly): the reduced axes are flattened into one axis of extent n and
    /// each element's product is taken over an n×n mask that excludes it. O(n²) per group.
    private func productOfOthers(_ x: Tensor) -> Tensor {
        let rest = (0..<x.rank).filter { !axes.contains($0) }
        let moved = x.transposed(permutation: rest + axes)
        let n = axes.map { x.shape[$0] }.reduce(1, *)
        let flat = moved.reshaped(to: rest.map { x.shape[$0] } + [1, n])
        let eye = Tensor.eye(n).cast(to: .bool)
        let others = bind1(Reduce(combine: .product, axes: [rest.count + 1]),
                           `where`(eye, Tensor.ones([], dtype: x.dtype), flat))
        var inverse = [Int](repeating: 0, count: x.rank)
        for (i, p) in (rest + axes).enumerated() { inverse[p] = i }
        return others.reshaped(to: moved.shape).transposed(permutation: inverse)
    }

    func shifted() -> Self { Reduce(combine: combine, axes: axes.map { $0 + 1 }) }
}
