import Benchmark
import CBLAS
import CFFTW
import Dispatch
import Fluxion

#if canImport(Glibc)
import Glibc
#endif

/// W1 (matmul), W2 (FFT) and the elementwise chain, each beside the library called directly. Inputs
/// are built inside each benchmark's closure, so that a filtered run holds only its own data.
func foundationBenchmarks() {
    let n = 1024
    let key = PRNGKey(seed: 1)

    // W1: matmul 1024x1024 float64, against cblas_dgemm on preallocated buffers.
    Benchmark("W1 matmul 1024 float64 / Fluxion") { benchmark in
        let a = Random.normal(key.foldIn(1), shape: [n, n]), b = Random.normal(key.foldIn(2), shape: [n, n])
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(matmul(a, b)) }
    }
    Benchmark("W1 matmul 1024 float64 / cblas_dgemm") { benchmark in
        let pa = Random.normal(key.foldIn(1), shape: [n, n]).scalars(as: Double.self)
        let pb = Random.normal(key.foldIn(2), shape: [n, n]).scalars(as: Double.self)
        var pc = [Double](repeating: 0, count: n * n)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, pa, Int32(n),
                        pb, Int32(n), 0, &pc, Int32(n))
            blackHole(pc[0])
        }
    }

    // W2: complex FFT n = 2^20 and real 2-D FFT 1024x1024, against FFTW with the same planning
    // effort (estimate, Fluxion's default), planned once outside the timing.
    let m = 1 << 20
    let signal: @Sendable () -> Tensor = {
        complex(Random.normal(key.foldIn(3), shape: [m]), Random.normal(key.foldIn(4), shape: [m]))
    }
    let image: @Sendable () -> Tensor = { Random.normal(key.foldIn(5), shape: [n, n]) }
    Benchmark("W2 fft complex 2^20 / Fluxion") { benchmark in
        let x = signal()
        blackHole(FFT.fft(x))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(FFT.fft(x)) }
    }
    Benchmark("W2 rfft2 1024x1024 / Fluxion") { benchmark in
        let x = image()
        blackHole(FFT.rfft2(x))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(FFT.rfft2(x)) }
    }
    // Jitted, Fluxion plans with measurement (on the first call, outside the timing): against FFTW's
    // measured plan.
    jitted("W2 fft complex 2^20, measured plans", signal, { FFT.fft($0) }, implementation: "Fluxion jit")
    jitted("W2 rfft2 1024x1024, measured plans", image, { FFT.rfft2($0) }, implementation: "Fluxion jit")
    Benchmark("W2 fft complex 2^20, measured plans / FFTW") { benchmark in
        _ = fftw_init_threads()
        fftw_plan_with_nthreads(Int32(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let cin = fftw_alloc_complex(m)!, cout = fftw_alloc_complex(m)!
        let plan = fftw_plan_dft_1d(Int32(m), cin, cout, FFTW_FORWARD, FFTW_MEASURE | FFTW_PRESERVE_INPUT)
        let x = signal()
        let re = real(x).scalars(as: Double.self), im = imag(x).scalars(as: Double.self)
        for i in 0..<m { cin[i] = (re[i], im[i]) }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            fftw_execute(plan)
            blackHole(cout[1].0)
        }
    }
    Benchmark("W2 fft complex 2^20 / FFTW") { benchmark in
        _ = fftw_init_threads()
        fftw_plan_with_nthreads(Int32(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let cin = fftw_alloc_complex(m)!, cout = fftw_alloc_complex(m)!
        let x = signal()
        let re = real(x).scalars(as: Double.self), im = imag(x).scalars(as: Double.self)
        for i in 0..<m { cin[i] = (re[i], im[i]) }
        let plan = fftw_plan_dft_1d(Int32(m), cin, cout, FFTW_FORWARD, FFTW_ESTIMATE | FFTW_PRESERVE_INPUT)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            fftw_execute(plan)
            blackHole(cout[1].0)
        }
    }
    Benchmark("W2 rfft2 1024x1024 / FFTW") { benchmark in
        _ = fftw_init_threads()
        fftw_plan_with_nthreads(Int32(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let rin = fftw_alloc_real(n * n)!, rout = fftw_alloc_complex(n * (n / 2 + 1))!
        let pixels = image().scalars(as: Double.self)
        for i in 0..<(n * n) { rin[i] = pixels[i] }
        let plan = fftw_plan_dft_r2c_2d(Int32(n), Int32(n), rin, rout, FFTW_ESTIMATE | FFTW_PRESERVE_INPUT)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            fftw_execute(plan)
            blackHole(rout[1].0)
        }
    }

    // An elementwise chain of ten operations on 4M doubles, eager (ten passes, ten results) and
    // jitted, against one hand-written fused loop.
    let count = 1 << 22
    let input: @Sendable () -> Tensor = { Random.uniform(key.foldIn(6), shape: [count], low: -2, high: 2) }
    Benchmark("chain of 10 elementwise ops, 4M float64 / Fluxion eager") { benchmark in
        let x = input()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(elementwiseChain(x)) }
    }
    Benchmark("chain of 10 elementwise ops, 4M float64 / Fluxion jit") { benchmark in
        let x = input()
        let f = jit(elementwiseChain)
        blackHole(f(x))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(f(x)) }
    }
    for threads in [1, 2] {
        Benchmark("chain of 10 elementwise ops, 4M float64 / fused loop, \(threads) thread(s)") { benchmark in
            let xs = input().scalars(as: Double.self)
            var ys = [Double](repeating: 0, count: count)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                xs.withUnsafeBufferPointer { src in
                    ys.withUnsafeMutableBufferPointer { dst in
                        let s = UnsafeSendable(src), d = UnsafeSendable(dst)
                        DispatchQueue.concurrentPerform(iterations: threads) { t in
                            for i in (t * count / threads)..<((t + 1) * count / threads) {
                                let v = s.value[i]
                                d.value[i] = Glibc.exp(-(v * v)) * 0.5 + Glibc.sin(v) * v - Glibc.tanh(v) / 2
                            }
                        }
                    }
                }
                blackHole(ys[0])
            }
        }
    }
}

/// `exp(-x²)/2 + sin(x)·x - tanh(x)/2`: ten primitive operations.
@inline(never)
func elementwiseChain(_ x: Tensor) -> Tensor {
    exp(-(x * x)) * 0.5 + sin(x) * x - tanh(x) / 2
}

/// Hands buffers to the worker threads of the fused-loop baseline (disjoint ranges per thread).
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
