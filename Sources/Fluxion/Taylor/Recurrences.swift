/// Recurrences for the normalized Taylor coefficients of elementwise functions (Griewank & Walther,
/// *Evaluating Derivatives*, 2nd ed., §13.2). Each takes the terms of the argument, `x[0]` the value
/// and `x[k]` the coefficient of `t^k` (nil: zero), and returns the terms of the result, value first.
/// Each coefficient costs O(k) products, so a series of order K costs O(K²) per element.
///
/// Most follow from an ODE `y' = h · x'` (with `'` = d/dt): matching the coefficients of `t^{k−1}`
/// gives `y_k = (1/k) Σ_{j=1..k} j x_j h_{k−j}`; when `h` is itself a function of `y` (exp, tanh), its
/// coefficient `h_{k−1}` is available once `y_{k−1}` is.
extension Taylor {
    /// `a * b`, with nil as zero.
    static func product(_ a: Tensor?, _ b: Tensor?) -> Tensor? {
        guard let a, let b else { return nil }
        return a * b
    }

    /// The sum of the present terms, nil when none is.
    static func sum(_ terms: [Tensor?]) -> Tensor? {
        var total: Tensor?
        for t in terms { if let t { total = total.map { $0 + t } ?? t } }
        return total
    }

    /// The coefficient of `t^k` of a product: `Σ_{i in range} a_i b_{k−i}`.
    static func cauchy(_ a: [Tensor?], _ b: [Tensor?], _ k: Int, _ range: ClosedRange<Int>? = nil) -> Tensor? {
        let r = range ?? 0...k
        guard r.lowerBound <= r.upperBound else { return nil }
        return sum(r.map { product(a[$0], b[k - $0]) })
    }

    /// The coefficient of `t^k` of `y²`, `Σ_{i=0..k} y_i y_{k−i}`, with each pair multiplied once.
    static func square(_ y: [Tensor?], _ k: Int) -> Tensor? {
        let pairs = sum((0...((k - 1) / 2)).compactMap { k - $0 > $0 ? product(y[$0], y[k - $0]) : nil })
        let middle = k % 2 == 0 ? product(y[k / 2], y[k / 2]) : nil
        return sum([scaled(pairs, 2), middle])
    }

    /// `y_k = (1/k) Σ_{j=1..k} j x_j h_{k−j}`: the coefficient of the solution of `y' = h x'`.
    static func integrate(_ x: [Tensor?], _ h: [Tensor?], _ k: Int) -> Tensor? {
        sum((1...k).map { j in product(x[j], h[k - j]).map { Double(j) / Double(k) * $0 } })
    }

    /// `a · s` with nil as zero.
    static func scaled(_ a: Tensor?, _ s: Double) -> Tensor? { a.map { s * $0 } }

    /// `y = exp(x)`, from `y' = y x'`. With `offset` 1, `y = expm1(x)` (`y' = (y + 1) x'`).
    static func exp(_ x: [Tensor?], value: Tensor, offset: Double = 0) -> [Tensor?] {
        let order = x.count - 1
        var y: [Tensor?] = [value], h: [Tensor?] = [offset == 0 ? value : value + offset]
        for k in stride(from: 1, through: order, by: 1) {
            y.append(integrate(x, h, k))
            h.append(y[k])
        }
        return y
    }

    /// `y = log(x)` (or `log1p` with the argument's terms shifted by one), from `x y' = x'`:
    /// `y_k = (x_k − (1/k) Σ_{j=1..k−1} (k−j) x_j y_{k−j}) / x_0`.
    static func log(_ x: [Tensor?], value: Tensor) -> [Tensor?] {
        let order = x.count - 1
        var y: [Tensor?] = [value]
        for k in stride(from: 1, through: order, by: 1) {
            let inner = sum((1..<k).map { j in product(x[j], y[k - j]).map { Double(k - j) / Double(k) * $0 } })
            let numerator = x[k].map { t in inner.map { t - $0 } ?? t } ?? inner.map { -$0 }
            y.append(numerator.map { $0 / x[0]! })
        }
        return y
    }

    /// `y = a / b`: `y_k = (a_k − Σ_{j=1..k} b_j y_{k−j}) / b_0`.
    static func divide(_ a: [Tensor?], _ b: [Tensor?], value: Tensor) -> [Tensor?] {
        let order = Swift.max(a.count, b.count) - 1
        var y: [Tensor?] = [value]
        for k in stride(from: 1, through: order, by: 1) {
            let inner = cauchy(b, y, k, 1...k)
            let ak = k < a.count ? a[k] : nil
            let numerator = ak.map { t in inner.map { t - $0 } ?? t } ?? inner.map { -$0 }
            y.append(numerator.map { $0 / b[0]! })
        }
        return y
    }

    /// `y = sqrt(x)`, from `y² = x`: `y_k = (x_k − Σ_{j=1..k−1} y_j y_{k−j}) / (2 y_0)`.
    static func sqrt(_ x: [Tensor?], value: Tensor) -> [Tensor?] {
        let order = x.count - 1
        var y: [Tensor?] = [value]
        let twice = 2 * value
        for k in stride(from: 1, through: order, by: 1) {
            // Σ_{j=1..k−1} y_j y_{k−j}: the square's coefficient without its two y_0 y_k terms.
            let inner = k > 1 ? square([nil] + Array(y.dropFirst()) + [nil], k) : nil
            let numerator = x[k].map { t in inner.map { t - $0 } ?? t } ?? inner.map { -$0 }
            y.append(numerator.map { $0 / twice })
        }
        return y
    }

    /// `y = x^p` for a constant exponent `p`, from `x y' = p y x'`:
    /// `y_k = (1/(k x_0)) Σ_{j=1..k} ((p+1) j − k) x_j y_{k−j}` (undefined at `x_0 = 0`, as the
    /// derivative is for non-integer `p`).
    static func power(_ x: [Tensor?], exponent p: Tensor, value: Tensor) -> [Tensor?] {
        let order = x.count - 1
        var y: [Tensor?] = [value]
        let p1 = p + 1
        for k in stride(from: 1, through: order, by: 1) {
            let weighted = sum((1...k).map { j in product(x[j], y[k - j]).map { Double(j) * $0 } })
            let plain = cauchy(x, y, k, 1...k)
            guard let weighted, let plain else { y.append(nil); continue }
            y.append((p1 * weighted - Double(k) * plain) / (Double(k) * x[0]!))
        }
        return y
    }

    /// `(sin x, cos x)` together (`s' = c x'`, `c' = −s x'`), or with `hyperbolic`, `(sinh x, cosh x)`
    /// (`s' = c x'`, `c' = s x'`).
    static func sinCos(_ x: [Tensor?], sin s0: Tensor, cos c0: Tensor, hyperbolic: Bool = false) -> ([Tensor?], [Tensor?]) {
        let order = x.count - 1
        var s: [Tensor?] = [s0], c: [Tensor?] = [c0]
        for k in stride(from: 1, through: order, by: 1) {
            let sk = integrate(x, c, k), ck = integrate(x, s, k)
            s.append(sk)
            c.append(hyperbolic ? ck : ck.map { -$0 })
        }
        return (s, c)
    }

    /// `y` with `y' = (1 + σ y²) x'`: `tan` (σ = 1) and `tanh` (σ = −1). `h = 1 + σ y²` is updated
    /// as each coefficient of `y` arrives.
    static func quadraticODE(_ x: [Tensor?], value: Tensor, sigma: Double) -> [Tensor?] {
        let order = x.count - 1
        var y: [Tensor?] = [value], h: [Tensor?] = [1 + sigma * value * value]
        for k in stride(from: 1, through: order, by: 1) {
            y.append(integrate(x, h, k))
            if k < order { h.append(scaled(square(y, k), sigma)) }
        }
        return y
    }

    /// `y` with `y' = h(x) x'`, where the terms of `h` to order K−1 are given: `atan`, `asin`, `erf`.
    static func integral(_ x: [Tensor?], derivative h: [Tensor?], value: Tensor) -> [Tensor?] {
        let order = x.count - 1
        return [value] + (stride(from: 1, through: order, by: 1)).map { integrate(x, h, $0) }
    }

    /// The terms of `c + σ x²` to order `order`.
    static func shiftedSquare(_ x: [Tensor?], constant: Double, sigma: Double, order: Int) -> [Tensor?] {
        (0...order).map { k in
            let sq = k == 0 ? x[0]! * x[0]! : square(x, k)
            return k == 0 ? constant + sigma * sq! : scaled(sq, sigma)
        }
    }

    /// The terms `x` truncated to `order` (value included).
    static func truncated(_ x: [Tensor?], _ order: Int) -> [Tensor?] { Array(x.prefix(order + 1)) }
}

extension Taylor {
    /// The terms of `1 / q`.
    static func reciprocal(_ q: [Tensor?]) -> [Tensor?] {
        divide([Tensor.ones(like: q[0]!)], q, value: 1 / q[0]!)
    }

    /// The terms of `1 / sqrt(1 − x²)` to order K−1 (the derivative of `asin`).
    static func inverseSquareRootOfOneMinusSquare(_ x: [Tensor?]) -> [Tensor?] {
        let r = shiftedSquare(x, constant: 1, sigma: -1, order: x.count - 2)
        return reciprocal(sqrt(r, value: Fluxion.sqrt(r[0]!)))
    }

    /// The terms of `(2/√π) exp(−x²)` to order K−1 (the derivative of `erf`).
    static func gaussian(_ x: [Tensor?]) -> [Tensor?] {
        let u = shiftedSquare(x, constant: 0, sigma: -1, order: x.count - 2)
        return exp(u, value: Fluxion.exp(u[0]!)).map { scaled($0, 2 / Double.pi.squareRoot()) }
    }
}
