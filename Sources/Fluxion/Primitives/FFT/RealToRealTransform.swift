/// An unnormalized real-to-real trigonometric transform (DCT or DST of types 1–4) over a set of axes,
/// by FFTW's r2r interface on float64 data. FFTW's unnormalized definitions coincide with SciPy's
/// `norm="backward"` ones; for example DCT-II is `y_k = 2 Σ_j x_j cos(π k (2j + 1) / (2n))`.
struct RealToRealTransform: Primitive, AxisShiftBatching, PiecewiseLinear {
    enum Family: Hashable, Sendable { case cosine, sine }

    let family: Family
    let type: Int
    let axes: [Int]
    var name: String { family == .cosine ? "dct\(type)" : "dst\(type)" }

    /// FFTW's r2r kind: REDFT00/01/10/11 (DCT-I/III/II/IV) and RODFT00/01/10/11 (DST-I/III/II/IV).
    var fftwKind: Int32 {
        let offset: Int32 = family == .cosine ? 3 : 7   // FFTW_REDFT00 = 3, FFTW_RODFT00 = 7
        switch type {
        case 1: return offset
        case 2: return offset + 2
        case 3: return offset + 1
        default: return offset + 3
        }
    }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let x = inputs[0]
        guard (1...4).contains(type) else { shapeFailure(name, "type must be 1, 2, 3 or 4") }
        guard axes.allSatisfy({ 0 <= $0 && $0 < x.rank }), Set(axes).count == axes.count else {
            shapeFailure(name, "axes \(axes) out of range or repeated for shape \(x.shape)")
        }
        guard x.dtype == .float64 else { shapeFailure(name, "expects float64 data, got \(x.dtype)") }
        if family == .cosine && type == 1, let a = axes.first(where: { x.shape[$0] < 2 }) {
            shapeFailure(name, "DCT-I needs at least 2 points along axis \(a), got shape \(x.shape)")
        }
        return [x]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        let x = inputs[0]
        let out = ArrayValue(uninitialized: x.shape, dtype: .float64)
        let (dims, loops) = FFTWPlans.layout(axes: axes, logical: axes.map { x.shape[$0] }, inShape: x.shape, outShape: x.shape)
        let key = FFTWPlans.Key(kind: .realToReal(Array(repeating: fftwKind, count: axes.count)), dims: dims,
                                loops: loops, inputCount: x.count, outputCount: x.count, effort: FFTWPlans.effort)
        if x.count > 0 { FFTWPlans.execute(key, x.buffer.raw, out.buffer.raw) }
        return [out]
    }

    // MARK: derivatives (linear)

    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        [tangents[0].map { bind1(self, $0) }]
    }

    /// Transposes of the unnormalized matrices: DCT-IV, DST-I and DST-IV are symmetric; DCT-IIᵀ is
    /// DCT-III after doubling the first entry, DCT-IIIᵀ is DCT-II with the first output halved (DST:
    /// the last entry instead); DCT-Iᵀ = W · DCT-I · W⁻¹ with W = diag(1, 2, …, 2, 1).
    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        guard var ct = cotangents[0] else { return [nil] }
        func weight(_ x: Tensor, _ entry: (Int) -> [Int], _ factor: Double) -> Tensor {
            axes.reduce(x) { y, axis in
                let n = y.shape[axis]
                var w = [Double](repeating: 1, count: n)
                for e in entry(n) where e >= 0 && e < n { w[e] = factor }
                var shape = [Int](repeating: 1, count: y.rank)
                shape[axis] = n
                return y * Tensor(w, shape: shape)
            }
        }
        let first: (Int) -> [Int] = { _ in [0] }, lastEntry: (Int) -> [Int] = { [$0 - 1] }
        let interior: (Int) -> [Int] = { n in n > 2 ? Array(1..<(n - 1)) : [] }
        switch (family, type) {
        case (.cosine, 2): return [bind1(RealToRealTransform(family: family, type: 3, axes: axes), weight(ct, first, 2))]
        case (.cosine, 3): return [weight(bind1(RealToRealTransform(family: family, type: 2, axes: axes), ct), first, 0.5)]
        case (.sine, 2): return [bind1(RealToRealTransform(family: family, type: 3, axes: axes), weight(ct, lastEntry, 2))]
        case (.sine, 3): return [weight(bind1(RealToRealTransform(family: family, type: 2, axes: axes), ct), lastEntry, 0.5)]
        case (.cosine, 1):
            ct = weight(ct, interior, 0.5)
            return [weight(bind1(self, ct), interior, 2)]
        default: return [bind1(self, ct)]
        }
    }

    func shifted() -> Self { RealToRealTransform(family: family, type: type, axes: axes.map { $0 + 1 }) }
}
