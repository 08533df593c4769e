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

    /// Float64 arithmetic over one block of a fused loop, in the vector width the CPU has (correctly
    /// rounded, so equal bit for bit to the scalar loop): either operand may be a scalar.
    package static let add: FusedLoop.BinaryKernel = { a, b, d, n in fluxion_vadd(a.pointer, a.scalar, b.pointer, b.scalar, d, n) }
    package static let subtract: FusedLoop.BinaryKernel = { a, b, d, n in fluxion_vsub(a.pointer, a.scalar, b.pointer, b.scalar, d, n) }
    package static let multiply: FusedLoop.BinaryKernel = { a, b, d, n in fluxion_vmul(a.pointer, a.scalar, b.pointer, b.scalar, d, n) }
    package static let divide: FusedLoop.BinaryKernel = { a, b, d, n in fluxion_vdiv(a.pointer, a.scalar, b.pointer, b.scalar, d, n) }

    /// Applies a kernel to a contiguous float64 array, on several threads when it is large.
    package static func map(_ x: ArrayValue, _ kernel: Kernel) -> ArrayValue {
        let out = ArrayValue(uninitialized: x.shape, dtype: .float64)
        let src = UncheckedSendable(UnsafePointer(x.pointer(as: Double.self))), dst = UncheckedSendable(out.pointer(as: Double.self))
        Parallel.forChunks(x.count) { r in kernel(src.value + r.lowerBound, dst.value + r.lowerBound, r.count) }
        return out
    }
}
