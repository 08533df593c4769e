import Foundation
import Testing
@testable import Fluxion

/// The reference values made by `Reference/make_reference.py` with NumPy and SciPy.
enum Reference {
    static let directory: URL = Bundle.module.url(forResource: "Reference", withExtension: nil)!

    static let values: [String: Tensor] = {
        do { return try NPZ.read(from: directory.appendingPathComponent("reference.npz")) } catch {
            fatalError("cannot load reference.npz: \(error)")
        }
    }()

    static subscript(_ key: String) -> Tensor {
        guard let t = values[key] else { fatalError("reference.npz has no entry \(key)") }
        return t
    }

    static func file(_ name: String) -> URL { directory.appendingPathComponent(name) }
}

/// Expects equal shapes and elementwise `|a - b| <= atol + rtol |b|` (real and imaginary parts).
func expectClose(_ actual: Tensor, _ expected: Tensor, rtol: Double = 1e-10, atol: Double = 1e-12,
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
func expectEqual(_ actual: Tensor, _ expected: [Double], shape: [Int]? = nil, dtype: DType? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.shape == (shape ?? [expected.count]), sourceLocation: sourceLocation)
    if let dtype { #expect(actual.dtype == dtype, sourceLocation: sourceLocation) }
    #expect(actual.doubles == expected, sourceLocation: sourceLocation)
}

/// A deterministic pseudo-random number source for test inputs (SplitMix64).
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func tensor(_ shape: [Int]) -> Tensor {
        Tensor((0..<shape.reduce(1, *)).map { _ in uniform() * 2 - 1 }, shape: shape)
    }
}

/// Row-major strides of a shape.
func rowMajorStrides(_ shape: [Int]) -> [Int] {
    var s = [Int](repeating: 1, count: shape.count)
    var acc = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) { s[i] = acc; acc *= shape[i] }
    return s
}

/// The multi-index of flat position `flat` in `shape`.
func multiIndex(_ flat: Int, _ shape: [Int]) -> [Int] {
    var rest = flat
    return rowMajorStrides(shape).map { s in defer { rest %= s }; return rest / s }
}
