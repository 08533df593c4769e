import Fluxion
import FluxionNN

/// The usual PINN network: optionally a periodic embedding of the periodic coordinates and random
/// Fourier features, then an MLP.
public struct FieldNetwork: Layer {
    public var periodic: PeriodicEmbedding?
    public var features: FourierFeatures?
    public var mlp: MLP

    /// `inputs` coordinates, hidden widths, one output; `fourierFeatures` frequencies of scale
    /// `fourierScale` in front when non-zero. `periods` (one entry per coordinate, `nil` for a
    /// coordinate that is not periodic) puts a ``PeriodicEmbedding`` first, so the network is exactly
    /// periodic in those coordinates, derivatives included. Weights from `key` (Glorot normal).
    public init(inputs: Int, hidden: [Int], activation: Activation = .tanh, fourierFeatures: Int = 0,
                fourierScale: Double = 1, periods: [Double?]? = nil, key: PRNGKey) {
        periodic = periods.flatMap { p in p.contains { $0 != nil } ? PeriodicEmbedding(periods: p) : nil }
        let width = periodic?.outputs ?? inputs
        features = fourierFeatures > 0
            ? FourierFeatures(width, features: fourierFeatures, scale: fourierScale, key: key.foldIn(1000)) : nil
        mlp = MLP(widths: [features?.outputs ?? width] + hidden + [1], activation: activation, key: key)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let embedded = periodic.map { $0(x) } ?? x
        return mlp(features.map { $0(embedded) } ?? embedded)
    }
}

extension Problem {
    /// The periods of the domain's coordinates that the problem's periodic conditions name (the
    /// extent of the domain's bounds along each), `nil` for the others: the `periods` of a
    /// ``FieldNetwork`` that satisfies those conditions exactly.
    public var periodicCoordinates: [Double?] {
        let (lower, upper) = domain.bounds
        var periods = [Double?](repeating: nil, count: domain.dimension)
        for c in conditions {
            if case let .periodic(axis, _) = c.kind, axis >= 0 && axis < periods.count { periods[axis] = upper[axis] - lower[axis] }
        }
        return periods
    }

    /// The problem without its periodic conditions, for a network with a periodic embedding of
    /// ``periodicCoordinates``, which satisfies them exactly (values and every derivative).
    public func withoutPeriodicTerms() -> Problem {
        var p = self
        p.conditions.removeAll { if case .periodic = $0.kind { return true } else { return false } }
        return p
    }
}
