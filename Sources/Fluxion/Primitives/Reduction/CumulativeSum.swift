import ComplexModule

/// Running sums along one axis (from the end when `reverse`); the shape is unchanged.
struct CumulativeSum: LinearPrimitive, AxisShiftBatching {
    let axis: Int
    let reverse: Bool
    var name: String { "cumsum" }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        guard 0 <= axis && axis < inputs[0].rank else {
            shapeFailure(name, "axis \(axis) out of range for shape \(inputs[0].shape)")
        }
        guard inputs[0].dtype != .bool else { shapeFailure(name, "does not accept dtype bool") }
        return [inputs[0]]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        let x = inputs[0]
        switch x.dtype {
        case .int32: return [run(x, Int32.self)]
        case .int64: return [run(x, Int64.self)]
        case .float32: return [run(x, Float.self)]
        case .float64: return [run(x, Double.self)]
        case .complex64: return [run(x, Complex<Float>.self)]
        default: return [run(x, Complex<Double>.self)]
        }
    }

    private func run<T: AdditiveArithmetic>(_ x: ArrayValue, _: T.Type) -> ArrayValue {
        let n = x.shape[axis]
        let outer = x.shape[..<axis].reduce(1, *), inner = x.shape[(axis + 1)...].reduce(1, *)
        let out = ArrayValue(uninitialized: x.shape, dtype: x.dtype)
        let p = x.pointer(as: T.self), o = out.pointer(as: T.self)
        for a in 0..<outer {
            for r in 0..<inner {
                var acc = T.zero
                for k in 0..<n {
                    let i = a * n * inner + (reverse ? n - 1 - k : k) * inner + r
                    acc += p[i]
                    o[i] = acc
                }
            }
        }
        return out
    }

    /// Transposed by running sums in the opposite direction.
    func transpose(_ cotangent: Tensor, _ primals: [Tensor]) -> [Tensor?] {
        [bind1(CumulativeSum(axis: axis, reverse: !reverse), cotangent)]
    }

    func shifted() -> Self { CumulativeSum(axis: axis + 1, reverse: reverse) }
}
