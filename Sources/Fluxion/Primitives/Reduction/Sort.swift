/// Sorts along one axis, ascending, stably, NaN last; outputs the sorted values and the int64
/// positions they came from (so `argsort` is the second output).
struct Sort: Primitive, TransposedJVP, AxisShiftBatching, PiecewiseLinear {
    let axis: Int
    var name: String { "sort" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let x = inputs[0]
        guard 0 <= axis && axis < x.rank else { shapeFailure(name, "axis \(axis) out of range for shape \(x.shape)") }
        guard x.dtype.isInteger || x.dtype.isFloatingPoint else { shapeFailure(name, "does not accept dtype \(x.dtype)") }
        return [x, TensorType(shape: x.shape, dtype: .int64)]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        let x = inputs[0]
        switch x.dtype {
        case .int32: return run(x, Int32.self)
        case .int64: return run(x, Int64.self)
        case .float32: return run(x, Float.self)
        default: return run(x, Double.self)
        }
    }

    private func run<T: Comparable>(_ x: ArrayValue, _: T.Type) -> [ArrayValue] {
        let n = x.shape[axis]
        let outer = x.shape[..<axis].reduce(1, *), inner = x.shape[(axis + 1)...].reduce(1, *)
        let values = ArrayValue(uninitialized: x.shape, dtype: x.dtype)
        let positions = ArrayValue(uninitialized: x.shape, dtype: .int64)
        let p = x.pointer(as: T.self), v = values.pointer(as: T.self), o = positions.pointer(as: Int64.self)
        var order = [Int](repeating: 0, count: n)
        for a in 0..<outer {
            for r in 0..<inner {
                let base = a * n * inner + r
                for k in 0..<n { order[k] = k }
                // NaN (the only value unequal to itself) sorts after every number; ties keep their order.
                order.sort { i, j in
                    let (u, w) = (p[base + i * inner], p[base + j * inner])
                    if u != u { return w != w && i < j }
                    if w != w { return true }
                    return u < w || (u == w && i < j)
                }
                for k in 0..<n {
                    v[base + k * inner] = p[base + order[k] * inner]
                    o[base + k * inner] = Int64(order[k])
                }
            }
        }
        return [values, positions]
    }

    /// The sorted values move with their tangents: the tangent is permuted like the values.
    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        [tangents[0].map { $0.takingAlongAxis(outputs[1], axis: axis) }, nil]
    }

    func shifted() -> Self { Sort(axis: axis + 1) }
}
