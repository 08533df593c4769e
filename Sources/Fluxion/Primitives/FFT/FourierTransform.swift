/// An unnormalized discrete Fourier transform over a set of axes, computed by FFTW on complex128 and
/// float64 data (the public functions convert single precision and apply the `norm` scaling).
///
/// - `complex(forward:)`: complex to complex, `X_k = Σ x_j e^{∓2πi jk/n}` (minus sign forward).
/// - `realToComplex`: the forward transform of real data, keeping the `n/2 + 1` non-negative
///   frequencies of the last transformed axis.
/// - `complexToReal(lastLength)`: the inverse of that, giving a real array whose last transformed axis
///   has extent `lastLength` (the input's extent must be `lastLength/2 + 1`).
struct FourierTransform: Primitive, AxisShiftBatching, PiecewiseLinear {
    enum Kind: Hashable, Sendable {
        case complex(forward: Bool)
        case realToComplex
        case complexToReal(lastLength: Int)
    }

    let kind: Kind
    let axes: [Int]
    var name: String {
        switch kind {
        case .complex(let forward): forward ? "fft" : "ifft"
        case .realToComplex: "rfft"
        case .complexToReal: "irfft"
        }
    }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        let x = inputs[0]
        guard !axes.isEmpty, axes.allSatisfy({ 0 <= $0 && $0 < x.rank }), Set(axes).count == axes.count else {
            shapeFailure(name, "axes \(axes) out of range or repeated for shape \(x.shape)")
        }
        var shape = x.shape
        let last = axes.last!
        switch kind {
        case .complex:
            guard x.dtype == .complex128 else { shapeFailure(name, "expects complex128 data, got \(x.dtype)") }
            return [x]
        case .realToComplex:
            guard x.dtype == .float64 else { shapeFailure(name, "expects float64 data, got \(x.dtype)") }
            shape[last] = shape[last] / 2 + 1
            return [TensorType(shape: shape, dtype: .complex128)]
        case .complexToReal(let n):
            guard x.dtype == .complex128, n >= 1, shape[last] == n / 2 + 1 else {
                shapeFailure(name, "expects complex128 data with \(n / 2 + 1) entries along axis \(last), got \(x)")
            }
            shape[last] = n
            return [TensorType(shape: shape, dtype: .float64)]
        }
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        let x = inputs[0]
        let outType = outputTypes([x.type])[0]
        let out = ArrayValue(uninitialized: outType.shape, dtype: outType.dtype)
        // Logical transform extents: the real-side extents for r2c and c2r.
        let realShape = kind == .realToComplex ? x.shape : outType.shape
        let (dims, loops) = FFTWPlans.layout(axes: axes, logical: axes.map { realShape[$0] },
                                             inShape: x.shape, outShape: out.shape)
        let planKind: FFTWPlans.Kind = switch kind {
        case .complex(let forward): .complex(forward: forward)
        case .realToComplex: .realToComplex
        case .complexToReal: .complexToReal
        }
        // FFTW's c2r destroys its input: that kind works on a copy.
        let work = planKind == .complexToReal ? LinalgKernels.copy(x) : x
        let key = FFTWPlans.Key(kind: planKind, dims: dims, loops: loops, inputCount: x.count,
                                outputCount: out.count, effort: FFTWPlans.effort)
        if out.count > 0 { FFTWPlans.execute(key, work.buffer.raw, out.buffer.raw) }
        return [out]
    }

    // MARK: derivatives (linear)

    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        [tangents[0].map { bind1(self, $0) }]
    }

    /// Transposes (JAX's convention: transpose, not adjoint). The unnormalized DFT matrix is
    /// symmetric, so a complex transform is its own transpose. The r2c transform is a full transform
    /// followed by keeping half the spectrum: its transpose zero-pads the cotangent, transforms, and
    /// keeps the real part. The c2r transform's transpose is an r2c transform weighted by how many
    /// times each half-spectrum entry appears in the full one (1 for 0 and n/2, else 2), conjugated.
    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        guard let ct = cotangents[0] else { return [nil] }
        let last = axes.last!
        switch kind {
        case .complex:
            return [bind1(self, ct)]
        case .realToComplex:
            let n = primals[0].shape[last]
            let full = ct.resized(axis: last, to: n)
            return [real(bind1(FourierTransform(kind: .complex(forward: true), axes: axes), full))]
        case .complexToReal(let n):
            let half = bind1(FourierTransform(kind: .realToComplex, axes: axes), ct)
            let m = n / 2 + 1
            var weights = [Double](repeating: 2, count: m)
            weights[0] = 1
            if n % 2 == 0 { weights[m - 1] = 1 }
            var shape = [Int](repeating: 1, count: ct.rank)
            shape[last] = m
            return [conj(half * Tensor(weights, shape: shape))]
        }
    }

    func shifted() -> Self { FourierTransform(kind: kind, axes: axes.map { $0 + 1 }) }
}
