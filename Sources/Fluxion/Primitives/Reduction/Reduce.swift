/// Reduces over a set of axes with sum, product, max or min; the reduced axes are removed.
/// Max and min propagate NaN, and reject complex tensors.
struct Reduce: Primitive {
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
}
