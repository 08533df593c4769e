import Foundation
import FluxionTestSupport
import Testing
@testable import Fluxion

/// `jet` against nested `jvp` for every row of the derivative table: the Taylor coefficients of
/// `g(t) = f(x(t))` along a random curve `x(t) = x + Σ_k sₖ tᵏ/k!` (all four input coefficients
/// non-zero, so every term of every rule is exercised), to order 4, relative 1e-10.
@Suite("Taylor mode: every primitive against nested jvp")
struct TaylorTableTests {
    static let rows = GradientTable.all.filter { $0.modes.contains(.forward) }
    static let order = 4

    /// Input coefficient k (derivative convention) for input i: random, shaped and typed like it.
    static func coefficient(_ x: Tensor, _ k: Int, _ i: Int) -> Tensor {
        let seed = UInt64(1000 + 37 * k + 5 * i)
        return x.dtype.isComplex ? GradientTable.c(x.shape, seed) : GradientTable.r(x.shape, seed).cast(to: x.dtype)
    }

    /// The k-th derivatives (k = 1…order) of `g(t)` at 0 by nesting `jvp` over the scalar `t`.
    static func nestedJVP(_ f: @escaping ([Tensor]) -> Tensor, at xs: [Tensor], order: Int) -> [Tensor] {
        let g: (Tensor) -> Tensor = { t in
            f(xs.enumerated().map { i, x in
                var sum = x
                for k in 1...order {
                    let w = (pow(t, Double(k)) / factorial(k))
                    sum = sum + w.cast(to: x.dtype) * coefficient(x, k, i)
                }
                return sum
            })
        }
        var derivatives: [Tensor] = []
        var h = g
        for _ in 1...order {
            let inner = h
            h = { t in jvp(inner, at: t, tangent: Tensor.ones(like: t)).tangent }
            derivatives.append(h(Tensor(0.0)))
        }
        return derivatives
    }

    @Test(arguments: rows)
    func jetMatchesNestedJVP(_ row: GradientCase) {
        let series = (1...Self.order).map { k in row.inputs.enumerated().map { i, x in Self.coefficient(x, k, i) } }
        let (value, out) = jet({ xs in row.f(xs) }, at: row.inputs, series: series)
        expectClose(value, row.f(row.inputs), rtol: 1e-12, "\(row.name): value")
        let expected = Self.nestedJVP(row.f, at: row.inputs, order: Self.order)
        // Rows that pass through float32 are compared at float32 precision (their declared tolerance
        // is looser than the default); all others at 1e-10.
        let rtol = row.tolerance > 1e-6 ? 1e-6 : 1e-10
        for k in 0..<Self.order {
            let scale = expected[k].shape.isEmpty || expected[k].count == 0 ? 1 : abs(expected[k]).max().item
            expectClose(out[k], expected[k], rtol: rtol, atol: rtol * Swift.max(scale, 1e-300),
                        "\(row.name): coefficient \(k + 1)")
        }
    }
}
