import Fluxion

/// How a layer's weights are drawn, from a key, for a weight matrix of shape `[fanIn, fanOut]`.
/// The same key gives the same weights on any machine (counter-based random numbers).
///
/// | initializer | distribution |
/// |---|---|
/// | `glorotNormal` / `glorotUniform` | N(0, 2/(fanIn+fanOut)) / U(±√(6/(fanIn+fanOut))) (Xavier) |
/// | `heNormal` / `heUniform` | N(0, 2/fanIn) / U(±√(6/fanIn)) |
/// | `lecunNormal` / `lecunUniform` | N(0, 1/fanIn) / U(±√(3/fanIn)) |
/// | `siren(omega:first:)` | U(±1/fanIn) for the first layer, U(±√(6/fanIn)/ω) after (Sitzmann et al.) |
/// | `normal(standardDeviation:)` | N(0, σ²) |
/// | `zeros` | 0 |
///
/// Normal draws are plain (not truncated) normal, as PyTorch's `xavier_normal_`.
public enum Initializer: Hashable, Sendable, Codable {
    case glorotNormal, glorotUniform, heNormal, heUniform, lecunNormal, lecunUniform
    case siren(omega: Double, first: Bool)
    case normal(standardDeviation: Double)
    case zeros

    /// A weight tensor of `shape` (`[fanIn, fanOut]`, or a stack of such with leading axes).
    public func callAsFunction(_ key: PRNGKey, shape: [Int], dtype: DType = .float64) -> Tensor {
        precondition(shape.count >= 2, "Initializer: a weight shape has at least two axes [fanIn, fanOut], got \(shape)")
        let fanIn = Double(shape[shape.count - 2]), fanOut = Double(shape[shape.count - 1])
        func normal(_ s: Double) -> Tensor { Random.normal(key, shape: shape, standardDeviation: s, dtype: dtype) }
        func uniform(_ limit: Double) -> Tensor { Random.uniform(key, shape: shape, low: -limit, high: limit, dtype: dtype) }
        switch self {
        case .glorotNormal: return normal((2 / (fanIn + fanOut)).squareRoot())
        case .glorotUniform: return uniform((6 / (fanIn + fanOut)).squareRoot())
        case .heNormal: return normal((2 / fanIn).squareRoot())
        case .heUniform: return uniform((6 / fanIn).squareRoot())
        case .lecunNormal: return normal((1 / fanIn).squareRoot())
        case .lecunUniform: return uniform((3 / fanIn).squareRoot())
        case .siren(let omega, let first): return uniform(first ? 1 / fanIn : (6 / fanIn).squareRoot() / omega)
        case .normal(let s): return normal(s)
        case .zeros: return Tensor.zeros(shape, dtype: dtype)
        }
    }
}
