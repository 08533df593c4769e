// Taylor coefficients of an ODE solution, computed through a fourth-order Runge–Kutta integrator
// written with `scan`, and checked against the analytic series.
//
// The logistic equation y' = r y (1 − y), y(0) = y₀, has the solution
//     y(t) = 1 / (1 + (1/y₀ − 1) e^{−r t}).
// We want the sensitivities of y(T) to the growth rate r: dᵏy(T)/drᵏ for k = 1 … 6. Taylor mode
// pushes the series r(s) = r + s through the whole integrator (all steps of the scan) in one pass;
// nested `grad` would cost 2⁶ passes. The analytic series comes from the closed form, and for the
// linear equation y' = r y the exact derivatives are y₀ Tᵏ e^{rT}. The integrator's error is O(h⁴),
// so halving the step divides the error of every coefficient by about 16 (or more).
//
//   swift run taylor-ode
import Fluxion
import Foundation

let (y0, T, rate, order) = (0.1, 2.0, 1.5, 6)

/// y(T) by RK4 with `steps` steps, for the right-hand side `rhs(y, r)`.
func integrate(_ r: Tensor, steps: Int, rhs: @escaping (Tensor, Tensor) -> Tensor) -> Tensor {
    let h = T / Double(steps)
    return forLoop(steps, Tensor(y0)) { _, y in
        let k1 = rhs(y, r)
        let k2 = rhs(y + 0.5 * h * k1, r)
        let k3 = rhs(y + 0.5 * h * k2, r)
        let k4 = rhs(y + h * k3, r)
        return y + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4)
    }
}

let logistic = { (y: Tensor, r: Tensor) in r * y * (1 - y) }
let closedForm = { (r: Tensor) in 1 / (1 + (1 / y0 - 1) * exp(-r * T)) }
let analytic = derivatives(closedForm, at: Tensor(rate), order: order).map(\.item)

var failures = 0
var previous: [Double]?
print("logistic equation: d^k y(T)/dr^k at r = \(rate), T = \(T)")
for steps in [50, 100, 200] {
    let series = derivatives({ integrate($0, steps: steps, rhs: logistic) }, at: Tensor(rate), order: order).map(\.item)
    let errors = (1...order).map { abs(series[$0] - analytic[$0]) / max(abs(analytic[$0]), 1e-12) }
    print("  \(steps) RK4 steps: relative errors " + errors.map { String(format: "%.1e", $0) }.joined(separator: " "))
    if let previous {
        let ratios = zip(previous, errors).map { $0 / $1 }
        print("    error ratio on halving the step: " + ratios.map { String(format: "%.1f", $0) }.joined(separator: " "))
        // At least fourth order: the ratio is near 2⁴ = 16 (larger where the leading error term of a
        // coefficient happens to be small).
        if ratios.contains(where: { $0 < 12 }) { failures += 1 }
    }
    previous = errors
}
print("  analytic: " + analytic.dropFirst().map { String(format: "%.6g", $0) }.joined(separator: " "))

// The linear equation: exact coefficients y₀ Tᵏ e^{rT}.
let linear = derivatives({ integrate($0, steps: 400, rhs: { y, r in r * y }) }, at: Tensor(rate), order: order).map(\.item)
let exact = (0...order).map { y0 * pow(T, Double($0)) * exp(rate * T) }
let worst = (0...order).map { abs(linear[$0] - exact[$0]) / exact[$0] }.max()!
print("linear equation, 400 steps: worst relative error over orders 0…\(order) = \(String(format: "%.1e", worst))")
if worst > 1e-7 { failures += 1 }

if failures > 0 {
    print("FAILED: the Taylor coefficients do not converge to the analytic series at fourth order")
    exit(1)
}
print("ok: the coefficients through the integrator converge to the analytic series at fourth order")
