// Solves the periodic Poisson equation  u''(x) = f(x)  on [0, 2π) with the FFT, and compares with
// the exact solution. In Fourier space the second derivative is multiplication by -k², so
// û_k = -f̂_k / k² for k ≠ 0 (the mean of u is fixed to zero).
//
//   swift run spectral-poisson [points]
import Fluxion

let n = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 64 : 64
let x = Tensor.arange(0, Double(n)) * (2 * Double.pi / Double(n))

// Exact solution u = sin(3x) + cos(5x)/2, so f = u'' = -9 sin(3x) - 25 cos(5x)/2.
let exact = sin(3 * x) + 0.5 * cos(5 * x)
let f = -9 * sin(3 * x) - 12.5 * cos(5 * x)

let k = FFT.rfftfreq(n, d: 2 * Double.pi / Double(n)) * (2 * Double.pi)    // integer wavenumbers
let fHat = FFT.rfft(f)
let kSquared = k * k
let uHat = `where`(kSquared .> 0, -fHat / `where`(kSquared .> 0, kSquared, 1), 0)
let u = FFT.irfft(uHat, n: n)

let error = (u - exact).norm(.infinity, alongAxes: [0]).item
print("points: \(n)")
print("max |u - exact| = \(error)")
print("u[0..<4]     =", u[..<4])
print("exact[0..<4] =", exact[..<4])
