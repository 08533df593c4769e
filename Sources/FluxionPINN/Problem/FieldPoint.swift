import Fluxion

/// The field at one point, and its derivatives, as a residual sees them: `u.value`, `u.x`, `u.xx`,
/// `u.t`, `u.d(i, order: k)`, `u.partial([1, 1])`, `u.laplacian`, the point's coordinates and the
/// problem's trainable coefficients.
///
/// Derivatives are computed by Taylor mode, grouped so that each is computed once: the residual is
/// first run on a recording field that only notes which derivatives it reads, then every coordinate
/// whose highest pure derivative is of order k joins one k-th order pass with one direction per
/// coordinate (Burgers' `u, u_x, u_xx, u_t` are two passes: order 2 along x, order 1 along t).
/// Mixed partials nest univariate series (``partialDerivative(_:orders:)``).
///
/// Time, when the domain is a ``SpaceTime``, is the last coordinate; ``laplacian`` sums the spatial
/// coordinates only.
public final class FieldPoint {
    /// The point's coordinates, `[dimension]`.
    public let position: Tensor
    public let dimension: Int
    /// The index of the time coordinate, or nil for a steady problem.
    public let timeIndex: Int?
    let field: (Tensor) -> Tensor
    let coefficients: [String: Tensor]
    /// nil while recording.
    private var pure: [Int: [Tensor]]?
    private(set) var requests: [Int: Int] = [:]
    private var valueShape: [Int]

    /// A recording field: every derivative is zero and its request is noted.
    init(recording position: Tensor, timeIndex: Int?, valueShape: [Int], coefficients: [String: Tensor]) {
        self.position = position
        dimension = position.shape[0]
        self.timeIndex = timeIndex
        field = { _ in Tensor.zeros(valueShape) }
        self.coefficients = coefficients
        self.valueShape = valueShape
        pure = nil
    }

    /// A field that computes the derivatives `requests` asks for (coordinate → highest pure order).
    init(_ field: @escaping (Tensor) -> Tensor, at position: Tensor, timeIndex: Int?, requests: [Int: Int],
         coefficients: [String: Tensor]) {
        self.position = position
        dimension = position.shape[0]
        self.timeIndex = timeIndex
        self.field = field
        self.coefficients = coefficients
        var pure: [Int: [Tensor]] = [:]
        var value: Tensor?
        for order in Set(requests.values).sorted() where order > 0 {
            let axes = requests.filter { $0.value == order }.keys.sorted()
            let eye = Tensor.eye(position.shape[0], dtype: position.dtype)
            let directions = Tensor.stack(axes.map { eye[$0] })
            let d = directionalDerivatives(field, at: position, alongEach: directions, order: order)
            value = d[0]
            for (r, axis) in axes.enumerated() { pure[axis] = (0...order).map { k in k == 0 ? d[0] : d[k][r] } }
        }
        let v = value ?? field(position)
        pure[-1] = [v]
        valueShape = v.shape
        self.pure = pure
    }

    /// u at the point.
    public var value: Tensor {
        guard let pure else { return Tensor.zeros(valueShape) }
        return pure[-1]![0]
    }

    /// `∂ᵏu/∂xᵢᵏ` (coordinate `i`, order `k ≥ 1`).
    public func d(_ i: Int, order k: Int = 1) -> Tensor {
        precondition(i >= 0 && i < dimension && k >= 1,
                     "FieldPoint.d: coordinate \(i) of \(dimension) and order \(k) ≥ 1 expected")
        guard let pure else {
            requests[i] = Swift.max(requests[i] ?? 0, k)
            return Tensor.zeros(valueShape)
        }
        guard let series = pure[i], series.count > k else {
            preconditionFailure("FieldPoint.d: derivative \(k) of coordinate \(i) was not recorded (does the residual branch on values?)")
        }
        return series[k]
    }

    /// The mixed partial `∂^|α|u / ∂x₀^α₀ ∂x₁^α₁ …` for the multi-index `orders` (one per coordinate).
    public func partial(_ orders: [Int]) -> Tensor {
        precondition(orders.count == dimension, "FieldPoint.partial: \(dimension) orders expected, got \(orders)")
        let nonzero = orders.enumerated().filter { $0.element > 0 }
        if nonzero.isEmpty { return value }
        if nonzero.count == 1 { return d(nonzero[0].offset, order: nonzero[0].element) }
        // Mixed partials are computed on demand (nested series), so recording notes nothing for them.
        guard pure != nil else { return Tensor.zeros(valueShape) }
        return partialDerivative(field, orders: orders)(position)
    }

    /// The spatial coordinates' indices.
    public var spatialAxes: [Int] { (0..<dimension).filter { $0 != timeIndex } }

    /// `Σᵢ ∂²u/∂xᵢ²` over the spatial coordinates.
    public var laplacian: Tensor { spatialAxes.map { d($0, order: 2) }.reduce(Tensor.zeros(valueShape), +) }

    /// `∂u/∂x₀`, `∂²u/∂x₀²`, … of the first coordinate; `y` is the second.
    public var x: Tensor { d(0) }
    public var xx: Tensor { d(0, order: 2) }
    public var xxx: Tensor { d(0, order: 3) }
    public var xxxx: Tensor { d(0, order: 4) }
    public var y: Tensor { d(1) }
    public var yy: Tensor { d(1, order: 2) }

    /// `∂u/∂t` and `∂²u/∂t²`, for a ``SpaceTime`` domain.
    public var t: Tensor { d(requireTime(), order: 1) }
    public var tt: Tensor { d(requireTime(), order: 2) }

    private func requireTime() -> Int {
        guard let timeIndex else { preconditionFailure("FieldPoint.t: the problem's domain has no time (use a SpaceTime domain)") }
        return timeIndex
    }

    /// Coordinate `i` of the point (a scalar tensor).
    public func coordinate(_ i: Int) -> Tensor { position[i] }

    /// The time coordinate.
    public var time: Tensor { position[requireTime()] }

    /// A trainable coefficient of the problem, by name.
    public func coefficient(_ name: String) -> Tensor {
        guard let c = coefficients[name] else {
            preconditionFailure("FieldPoint.coefficient: no coefficient \"\(name)\"; the problem has \(coefficients.keys.sorted())")
        }
        return c
    }
}
