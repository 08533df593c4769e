import Foundation
import Testing
@testable import Fluxion
import FluxionTestSupport

@Suite("Fourier and trigonometric transforms")
struct FFTTests {
    static let norms: [(String, FFTNorm)] = [("backward", .backward), ("ortho", .ortho), ("forward", .forward)]

    @Test("complex and real FFTs match NumPy", arguments: 0..<3)
    func transforms(_ n: Int) {
        let (name, norm) = Self.norms[n]
        let c1 = Reference["fft_c1"], c2 = Reference["fft_c2"], r1 = Reference["fft_r1"], r2 = Reference["fft_r2"], r3 = Reference["fft_r3"]
        expectClose(FFT.fft(c1, norm: norm), Reference["fft_\(name)"], rtol: 1e-12, atol: 1e-12)
        expectClose(FFT.ifft(c1, norm: norm), Reference["ifft_\(name)"], rtol: 1e-12, atol: 1e-13)
        expectClose(FFT.fft2(c2, norm: norm), Reference["fft2_\(name)"], rtol: 1e-12, atol: 1e-12)
        expectClose(FFT.ifft2(c2, norm: norm), Reference["ifft2_\(name)"], rtol: 1e-12, atol: 1e-13)
        expectClose(FFT.rfft(r1, norm: norm), Reference["rfft_\(name)"], rtol: 1e-12, atol: 1e-12)
        expectClose(FFT.irfft(FFT.rfft(r1), n: 15, norm: norm), Reference["irfft_\(name)"], rtol: 1e-12, atol: 1e-12)
        expectClose(FFT.rfft2(r2, norm: norm), Reference["rfft2_\(name)"], rtol: 1e-12, atol: 1e-12)
        expectClose(FFT.irfft2(FFT.rfft2(r2), s: [6, 9], norm: norm), Reference["irfft2_\(name)"], rtol: 1e-12, atol: 1e-12)
        expectClose(FFT.rfftn(r3, norm: norm), Reference["rfftn_\(name)"], rtol: 1e-12, atol: 1e-12)
        expectClose(FFT.fftn(r3, norm: norm), Reference["fftn_\(name)"], rtol: 1e-12, atol: 1e-12)
    }

    @Test func axesLengthsAndRoundTrips() {
        let c1 = Reference["fft_c1"], c2 = Reference["fft_c2"], r2 = Reference["fft_r2"], r3 = Reference["fft_r3"]
        expectClose(FFT.fft(c2, axis: 0), Reference["fft_axis0"], rtol: 1e-12, atol: 1e-12)
        expectClose(FFT.fft(c1, n: 20), Reference["fft_n20"], rtol: 1e-12, atol: 1e-12)
        expectClose(FFT.fft(c1, n: 10), Reference["fft_n10"], rtol: 1e-12, atol: 1e-12)
        expectClose(FFT.fftn(r3, axes: [0, 2]), Reference["fftn_axes"], rtol: 1e-12, atol: 1e-12)
        expectClose(FFT.irfft(FFT.rfft(r2, axis: 1), axis: 1), Reference["irfft_default"], rtol: 1e-12, atol: 1e-12)
        expectClose(FFT.ifftn(FFT.fftn(c2)), c2, rtol: 1e-12, atol: 1e-13)
        expectClose(FFT.irfftn(FFT.rfftn(r3), s: [4, 6, 5]), r3, rtol: 1e-12, atol: 1e-13)
        // Single precision in, single precision out.
        let single = FFT.fft(c1.cast(to: .complex64))
        #expect(single.dtype == .complex64)
        expectClose(single.cast(to: .complex128), Reference["fft_backward"], rtol: 1e-5, atol: 1e-5)
        #expect(FFT.rfft(r2.cast(to: .float32)).dtype == .complex64)
    }

    @Test func frequenciesAndShifts() {
        expectClose(FFT.fftfreq(8, d: 0.1), Reference["fftfreq_8"], rtol: 1e-15)
        expectClose(FFT.fftfreq(9), Reference["fftfreq_9"], rtol: 1e-15)
        expectClose(FFT.rfftfreq(8, d: 0.1), Reference["rfftfreq_8"], rtol: 1e-15)
        expectClose(FFT.rfftfreq(9), Reference["rfftfreq_9"], rtol: 1e-15)
        expectClose(FFT.fftshift(Reference["fft_r2"]), Reference["fftshift_r2"], rtol: 0)
        expectClose(FFT.ifftshift(Reference["fft_r2"]), Reference["ifftshift_r2"], rtol: 0)
    }

    @Test("DCT and DST of types 1-4 match SciPy", arguments: 1...4)
    func trigonometric(_ type: Int) {
        let x = Reference["trig_x"]
        for (name, norm) in Self.norms {
            expectClose(FFT.dct(x, type: type, norm: norm), Reference["dct\(type)_\(name)"], rtol: 1e-12, atol: 1e-12, "dct\(type) \(name)")
            expectClose(FFT.dst(x, type: type, norm: norm), Reference["dst\(type)_\(name)"], rtol: 1e-12, atol: 1e-12, "dst\(type) \(name)")
            expectClose(FFT.idct(x, type: type, norm: norm), Reference["idct\(type)_\(name)"], rtol: 1e-12, atol: 1e-12, "idct\(type) \(name)")
            expectClose(FFT.idst(x, type: type, norm: norm), Reference["idst\(type)_\(name)"], rtol: 1e-12, atol: 1e-12, "idst\(type) \(name)")
            expectClose(FFT.idct(FFT.dct(x, type: type, norm: norm), type: type, norm: norm), x, rtol: 1e-12, atol: 1e-12)
        }
    }

    @Test func trigonometricAxes() {
        let x = Reference["trig_x"]
        expectClose(FFT.dct(x, axis: 0), Reference["dct2_axis0"], rtol: 1e-12, atol: 1e-12)
        expectClose(FFT.dctn(x), Reference["dctn2"], rtol: 1e-12, atol: 1e-12)
    }

    /// A jitted program plans its transforms with measurement (the cost belongs to its first call),
    /// remembers them in the wisdom file, and computes what the eager estimate-planned transform does.
    @Test func jittedTransformsAreMeasured() throws {
        let x = complex(GradientTable.r([96], 501), GradientTable.r([96], 502))
        let eager = FFT.fft(x)
        let jitted = jit { (x: Tensor) in FFT.fft(x) }
        expectClose(jitted(x), eager, rtol: 1e-12, atol: 1e-12)
        #expect(FFTWPlans.hasPlans(effort: .measure))
        #expect(FFT.planningEffort == .estimate)          // the eager default is unchanged
        let path = try #require(FFTWPlans.wisdomPath)
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
