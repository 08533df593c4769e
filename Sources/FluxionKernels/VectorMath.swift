import CVectorMath

/// Vectorized float64 kernels for the transcendental functions that dominate neural-network and PINN
/// workloads (glibc's libmvec: about 3x the throughput of scalar libm, within 4 ulp).
package enum VectorMath {
    package typealias Kernel = @Sendable (UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Void

    package static let exp: Kernel = { fluxion_vexp($0, $1, $2) }
    package static let expm1: Kernel = { fluxion_vexpm1($0, $1, $2) }
    package static let log: Kernel = { fluxion_vlog($0, $1, $2) }
    package static let log1p: Kernel = { fluxion_vlog1p($0, $1, $2) }
    package static let sin: Kernel = { fluxion_vsin($0, $1, $2) }
    package static let cos: Kernel = { fluxion_vcos($0, $1, $2) }
    package static let tanh: Kernel = { fluxion_vtanh($0, $1, $2) }
    package static let sqrt: Kernel = { fluxion_vsqrt($0, $1, $2) }

    /// Applies a kernel to a contiguous float64 array, on several threads when it is large.
    package static func map(_ x: ArrayValue, _ kernel: Kernel) -> ArrayValue {
        let out = ArrayValue(uninitialized: x.shape, dtype: .float64)
        let src = UncheckedSendable(UnsafePointer(x.pointer(as: Double.self))), dst = UncheckedSendable(out.pointer(as: Double.self))
        Parallel.forChunks(x.count) { r in kernel(src.value + r.lowerBound, dst.value + r.lowerBound, r.count) }
        return out
    }
}
