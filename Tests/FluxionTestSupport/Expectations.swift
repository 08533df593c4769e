import Fluxion
import Testing

// Shared by the test targets of every module: tolerance checks, deterministic inputs, and the table
// of operations with the derivative order each supports. It uses Fluxion's public API only.

/// Expects equal shapes and elementwise `|a - b| <= atol + rtol |b|` (real and imaginary parts).
public func expectClose(_ actual: Tensor, _ expected: Tensor, rtol: Double = 1e-10, atol: Double = 1e-12,
                 _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.shape == expected.shape, comment, sourceLocation: sourceLocation)
    guard actual.shape == expected.shape else { return }
    let pairs = [(real(actual).doubles, real(expected).doubles), (imag(actual).doubles, imag(expected).doubles)]
    for (a, b) in pairs {
        var worst = 0.0
        var worstIndex = -1
        for i in a.indices {
            let excess = Swift.abs(a[i] - b[i]) - (atol + rtol * Swift.abs(b[i]))
            if excess > worst || (a[i].isNaN != b[i].isNaN) { worst = Swift.max(excess, 1); worstIndex = i }
        }
        #expect(worstIndex < 0, "element \(worstIndex): \(worstIndex >= 0 ? a[worstIndex] : 0) vs \(worstIndex >= 0 ? b[worstIndex] : 0). \(comment?.description ?? "")",
                sourceLocation: sourceLocation)
    }
}

/// Expects an exact match of shape, dtype and elements.
public func expectEqual(_ actual: Tensor, _ expected: [Double], shape: [Int]? = nil, dtype: DType? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.shape == (shape ?? [expected.count]), sourceLocation: sourceLocation)
    if let dtype { #expect(actual.dtype == dtype, sourceLocation: sourceLocation) }
    #expect(actual.doubles == expected, sourceLocation: sourceLocation)
}

/// A deterministic pseudo-random number source for test inputs (SplitMix64).
public struct TestRandom {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    public mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    public mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    public mutating func tensor(_ shape: [Int]) -> Tensor {
        Tensor((0..<shape.reduce(1, *)).map { _ in uniform() * 2 - 1 }, shape: shape)
    }
}

/// Row-major strides of a shape.
public func rowMajorStrides(_ shape: [Int]) -> [Int] {
    var s = [Int](repeating: 1, count: shape.count)
    var acc = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) { s[i] = acc; acc *= shape[i] }
    return s
}

/// The multi-index of flat position `flat` in `shape`.
public func multiIndex(_ flat: Int, _ shape: [Int]) -> [Int] {
    var rest = flat
    return rowMajorStrides(shape).map { s in defer { rest %= s }; return rest / s }
}
