/// The int64 position of the largest (or smallest) element along one axis, which is removed. The
/// first position wins ties; a NaN counts as the extreme (as NumPy).
struct ArgReduce: Primitive, NonDifferentiable, AxisShiftBatching {
    let findMaximum: Bool
    let axis: Int
    var name: String { findMaximum ? "argmax" : "argmin" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let x = inputs[0]
        guard 0 <= axis && axis < x.rank, x.shape[axis] > 0 else {
            shapeFailure(name, "axis \(axis) out of range or empty for shape \(x.shape)")
        }
        guard x.dtype.isInteger || x.dtype.isFloatingPoint else { shapeFailure(name, "does not accept dtype \(x.dtype)") }
        var shape = x.shape
        shape.remove(at: axis)
        return [TensorType(shape: shape, dtype: .int64)]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        let x = inputs[0]
        switch x.dtype {
        case .int32: return [run(x, Int32.self)]
        case .int64: return [run(x, Int64.self)]
        case .float32: return [run(x, Float.self)]
        default: return [run(x, Double.self)]
        }
    }

    private func run<T: Comparable>(_ x: ArrayValue, _: T.Type) -> ArrayValue {
        let n = x.shape[axis]
        let outer = x.shape[..<axis].reduce(1, *), inner = x.shape[(axis + 1)...].reduce(1, *)
        var shape = x.shape
        shape.remove(at: axis)
        let out = ArrayValue(uninitialized: shape, dtype: .int64)
        let p = x.pointer(as: T.self), o = out.pointer(as: Int64.self)
        for a in 0..<outer {
            for r in 0..<inner {
                let base = a * n * inner + r
                var best = 0
                var bestValue = p[base]
                if bestValue == bestValue {
                    for k in 1..<n {
                        let v = p[base + k * inner]
                        if v != v { best = k; break }
                        if findMaximum ? v > bestValue : v < bestValue { best = k; bestValue = v }
                    }
                }
                o[a * inner + r] = Int64(best)
            }
        }
        return out
    }

    func shifted() -> Self { ArgReduce(findMaximum: findMaximum, axis: axis + 1) }
}
