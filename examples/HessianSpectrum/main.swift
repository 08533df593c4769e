// The spectrum of a neural network's loss Hessian by Lanczos iteration with Hessian-vector products
// (forward mode over reverse mode: one `jvp` of `grad`, never the n×n matrix), checked against the
// eigenvalues of the full Hessian for a network small enough to form it.
//
//   swift run hessian-spectrum [lanczos steps]
import Fluxion
import Foundation

let steps = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 40 : 40

// A tanh MLP 2-12-12-1 fitting sin(3x)·y on 128 points; its parameters raveled into one vector.
let key = PRNGKey(seed: 3)
let sizes = [2, 12, 12, 1]
var parameters: [Tensor] = []
for i in 0..<(sizes.count - 1) {
    parameters.append(Random.normal(key.foldIn(2 * i), shape: [sizes[i], sizes[i + 1]]) / Double(sizes[i]).squareRoot())
    parameters.append(0.1 * Random.normal(key.foldIn(2 * i + 1), shape: [sizes[i + 1]]))
}
let (theta, unravel) = parameters.raveled()
let x = Random.uniform(key.foldIn(100), shape: [128, 2], low: -1, high: 1)
let y = sin(3 * x[.ellipsis, 0]) * x[.ellipsis, 1]

func loss(_ flat: Tensor) -> Tensor {
    let p = unravel(flat)
    var h = x
    for i in 0..<(sizes.count - 1) {
        h = matmul(h, p[2 * i]) + p[2 * i + 1]
        if i < sizes.count - 2 { h = tanh(h) }
    }
    let r = h.reshaped(to: [128]) - y
    return (r * r).mean()
}

/// H v by forward-over-reverse, compiled once.
let hvp = jit { (pair: [Tensor]) in jvp(grad(loss), at: pair[0], tangent: pair[1]).tangent }

// Lanczos with full reorthogonalization: V holds the orthonormal basis, (alpha, beta) the
// tridiagonal matrix whose eigenvalues (Ritz values) approximate the extreme eigenvalues of H.
let n = theta.shape[0]
var v = Random.normal(key.foldIn(200), shape: [n])
v = v / v.norm()
var basis = [v], alpha: [Double] = [], beta: [Double] = []
for j in 0..<min(steps, n) {
    var w = hvp([theta, basis[j]])
    alpha.append(dot(w, basis[j]).item)
    for b in basis { w = w - dot(w, b) * b }            // reorthogonalize against every vector
    let norm = w.norm().item
    if norm < 1e-10 || j == min(steps, n) - 1 { break }
    beta.append(norm)
    basis.append(w / norm)
}
let m = alpha.count
var tridiagonal = [Double](repeating: 0, count: m * m)
for i in 0..<m {
    tridiagonal[i * m + i] = alpha[i]
    if i + 1 < m { tridiagonal[i * m + i + 1] = beta[i]; tridiagonal[(i + 1) * m + i] = beta[i] }
}
let ritz = Linalg.eigh(Tensor(tridiagonal, shape: [m, m])).values.doubles

// The full Hessian and its eigenvalues.
let full = Linalg.eigh(hessian(loss)(theta)).values.doubles
print("parameters: \(n), Lanczos steps: \(m)")
print("largest eigenvalues, Lanczos: " + ritz.suffix(3).reversed().map { String(format: "%.8f", $0) }.joined(separator: " "))
print("largest eigenvalues, full:    " + full.suffix(3).reversed().map { String(format: "%.8f", $0) }.joined(separator: " "))
print("smallest eigenvalue, Lanczos: \(String(format: "%.8f", ritz[0])), full: \(String(format: "%.8f", full[0]))")
let errorTop = abs(ritz.last! - full.last!) / abs(full.last!)
let errorBottom = abs(ritz[0] - full[0]) / max(abs(full.last!), 1e-12)
print(String(format: "relative error of the extreme eigenvalues: %.1e (largest), %.1e (smallest, relative to the largest)", errorTop, errorBottom))
if errorTop > 1e-8 || errorBottom > 1e-6 {
    print("FAILED: Lanczos did not reproduce the extreme eigenvalues")
    exit(1)
}
print("ok")
