import Fluxion

/// Finite-difference reference solvers for `−Δu − κ u = f` with `u = g` on the boundary (Poisson for
/// κ = 0, Helmholtz for κ = k² > 0), second-order accurate (the five-point stencil in 2-D).
public enum FiniteDifference {
    /// On a rectangle with `nx × ny` interior points, by fast diagonalization on LAPACK: the 1-D
    /// second-difference matrices `Tx = Qx Λ Qxᵀ`, `Ty = Qy M Qyᵀ` (eigh), so that
    /// `U = Qx [(Qxᵀ F Qy) ⊘ (λᵢ + μⱼ − κ)] Qyᵀ` — two products per side. Boundary values enter the
    /// right-hand side. Returns the interior grid `x [nx]`, `y [ny]` and `u [nx, ny]`.
    public static func rectangle(_ box: Box, nx: Int, ny: Int, kappa: Double = 0, source f: (Double, Double) -> Double,
                                 boundary g: (Double, Double) -> Double) throws -> (x: Tensor, y: Tensor, u: Tensor) {
        guard box.dimension == 2, nx >= 2, ny >= 2 else {
            throw GeometryError.invalid("FiniteDifference.rectangle: needs a 2-D box and at least 2×2 interior points")
        }
        let hx = (box.upper[0] - box.lower[0]) / Double(nx + 1), hy = (box.upper[1] - box.lower[1]) / Double(ny + 1)
        let xs = (1...nx).map { box.lower[0] + Double($0) * hx }, ys = (1...ny).map { box.lower[1] + Double($0) * hy }
        var rhs = [Double](repeating: 0, count: nx * ny)
        for i in 0..<nx { for j in 0..<ny {
            var v = f(xs[i], ys[j])
            if i == 0 { v += g(box.lower[0], ys[j]) / (hx * hx) }
            if i == nx - 1 { v += g(box.upper[0], ys[j]) / (hx * hx) }
            if j == 0 { v += g(xs[i], box.lower[1]) / (hy * hy) }
            if j == ny - 1 { v += g(xs[i], box.upper[1]) / (hy * hy) }
            rhs[i * ny + j] = v
        } }
        let (lx, qx) = Linalg.eigh(secondDifference(nx, h: hx))
        let (ly, qy) = Linalg.eigh(secondDifference(ny, h: hy))
        let fh = matmul(matmul(qx.transposed(), Tensor(rhs, shape: [nx, ny])), qy)
        let denominator = lx.reshaped(to: [nx, 1]) + ly.reshaped(to: [1, ny]) - kappa
        let u = matmul(matmul(qx, fh / denominator), qy.transposed())
        return (Tensor(xs), Tensor(ys), u)
    }

    /// `tridiag(−1, 2, −1) / h²`, the 1-D `−d²/dx²` with Dirichlet ends.
    static func secondDifference(_ n: Int, h: Double) -> Tensor {
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            a[i * n + i] = 2 / (h * h)
            if i > 0 { a[i * n + i - 1] = -1 / (h * h) }
            if i < n - 1 { a[i * n + i + 1] = -1 / (h * h) }
        }
        return Tensor(a, shape: [n, n])
    }

    /// On any 2-D domain inside a box, `−Δu = f` with `u = g` on the boundary, on the grid of spacing
    /// `h` over the domain's bounding box: grid nodes inside the domain are unknowns, the others take
    /// `g`. The five-point system is symmetric positive definite and solved by conjugate gradients
    /// (matrix-free) to a relative residual of `tolerance`. Returns the grid axes and `u` on the whole
    /// grid (NaN outside the domain).
    public static func poisson(on domain: any Geometry, spacing h: Double, source f: (Double, Double) -> Double,
                               boundary g: (Double, Double) -> Double, tolerance: Double = 1e-12) throws -> (x: [Double], y: [Double], u: [Double]) {
        guard domain.dimension == 2, h > 0 else { throw GeometryError.invalid("FiniteDifference.poisson: needs a 2-D domain and h > 0") }
        let (lo, hi) = domain.bounds
        let nx = Int(((hi[0] - lo[0]) / h).rounded()) + 1, ny = Int(((hi[1] - lo[1]) / h).rounded()) + 1
        let xs = (0..<nx).map { lo[0] + Double($0) * h }, ys = (0..<ny).map { lo[1] + Double($0) * h }
        var unknown = [Bool](repeating: false, count: nx * ny)
        var u = [Double](repeating: .nan, count: nx * ny)
        for i in 0..<nx { for j in 0..<ny {
            let p = [xs[i], ys[j]]
            if domain.isInterior(p) { unknown[i * ny + j] = true; u[i * ny + j] = 0 }
            else if domain.contains(p) { u[i * ny + j] = g(xs[i], ys[j]) }
        } }
        // b = f + (known neighbours)/h²; A x = (4x − Σ unknown neighbours)/h².
        var b = [Double](repeating: 0, count: nx * ny)
        let neighbours = [(-1, 0), (1, 0), (0, -1), (0, 1)]
        for i in 0..<nx { for j in 0..<ny where unknown[i * ny + j] {
            var v = f(xs[i], ys[j])
            for (di, dj) in neighbours where !unknown[(i + di) * ny + j + dj] { v += u[(i + di) * ny + j + dj] / (h * h) }
            b[i * ny + j] = v
        } }
        func apply(_ x: [Double]) -> [Double] {
            var y = [Double](repeating: 0, count: nx * ny)
            for i in 0..<nx { for j in 0..<ny where unknown[i * ny + j] {
                var v = 4 * x[i * ny + j]
                for (di, dj) in neighbours where unknown[(i + di) * ny + j + dj] { v -= x[(i + di) * ny + j + dj] }
                y[i * ny + j] = v / (h * h)
            } }
            return y
        }
        func dot(_ a: [Double], _ c: [Double]) -> Double { zip(a, c).reduce(0) { $0 + $1.0 * $1.1 } }
        var x = [Double](repeating: 0, count: nx * ny), r = b, p = r
        var rr = dot(r, r)
        let stop = tolerance * tolerance * Swift.max(rr, 1e-300)
        for _ in 0..<(10 * nx * ny) where rr > stop {
            let ap = apply(p)
            let alpha = rr / dot(p, ap)
            for k in x.indices { x[k] += alpha * p[k]; r[k] -= alpha * ap[k] }
            let next = dot(r, r)
            for k in p.indices { p[k] = r[k] + next / rr * p[k] }
            rr = next
        }
        for k in u.indices where unknown[k] { u[k] = x[k] }
        return (xs, ys, u)
    }
}
