// The Laplacian of a function of d = 1,000 variables: the exact forward Laplacian (1,000 directions in
// one collapsed second-order pass) against the randomized estimators (Hutchinson's, and the sparse
// random jets of STDE), whose cost does not grow with d.
//
//   swift run laplacian-1000 [samples]
import Fluxion
import Foundation

let samples = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 64 : 64
let d = 1000
let key = PRNGKey(seed: 1)
// f(x) = Σ tanh(W x + b) · c  +  ½ Σ x_i² sin(x_i): a small network plus a separable term.
let w = Random.normal(key.foldIn(1), shape: [32, d]) / Double(d).squareRoot()
let b = Random.normal(key.foldIn(2), shape: [32])
let c = Random.normal(key.foldIn(3), shape: [32])
let f = { (x: Tensor) in dot(tanh(matmul(w, x) + b), c) + 0.5 * (x * x * sin(x)).sum() }
let x = Random.uniform(key.foldIn(4), shape: [d], low: -1, high: 1)

let clock = ContinuousClock()
var exact = 0.0
let exactTime = clock.measure { exact = forwardLaplacian(f, at: x).laplacian.item }
print("d = \(d): exact forward Laplacian \(String(format: "%.6f", exact)) in \(exactTime)")

var failures = 0
for estimator in [LaplacianEstimator.hutchinson, .sparse] {
    let trials = 20
    var estimates: [Double] = []
    let time = clock.measure {
        for t in 0..<trials {
            estimates.append(laplacianEstimate(f, at: x, key: key.foldIn(1000 + t), samples: samples, estimator: estimator).item)
        }
    }
    let mean = estimates.reduce(0, +) / Double(trials)
    let sd = (estimates.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(trials - 1)).squareRoot()
    let se = sd / Double(trials).squareRoot()
    print("\(estimator), \(samples) samples: one estimate ± \(String(format: "%.3f", sd)); mean of \(trials) = "
          + "\(String(format: "%.4f", mean)) ± \(String(format: "%.4f", se)) (exact \(String(format: "%.4f", exact))); "
          + "\(time / trials) per estimate")
    if abs(mean - exact) > 4 * se { failures += 1 }
}
// The estimators' variances differ: Hutchinson's grows with the off-diagonal Hessian entries, the
// sparse one's with the spread of the diagonal (here wide, from the separable term), times d².
if failures > 0 {
    print("FAILED: an estimator's mean is more than 4 standard errors from the exact Laplacian")
    exit(1)
}
print("ok: both estimators are within 4 standard errors of the exact Laplacian")
