import ComplexModule

/// Converts a tensor to another dtype. Floats to integers round toward zero; complex to real keeps
/// the real part; anything to bool tests for nonzero (as NumPy's `astype`).
struct ConvertElementType: ElementwiseBatching, PiecewiseLinear {
    let dtype: DType
    var name: String { "convert_element_type" }
    var rewriteRules: [RewriteRule] { [.identity(keep: 0)] }

    func outputTypes(_ inputs: [TensorType]) -> [TensorType] {
        [TensorType(shape: inputs[0].shape, dtype: dtype)]
    }

    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] {
        let x = inputs[0]
        if x.dtype == dtype { return [x] }
        switch x.dtype {
        case .bool: return [Self.convert(x, from: Bool.self, to: dtype)]
        case .int32: return [Self.convert(x, from: Int32.self, to: dtype)]
        case .int64: return [Self.convert(x, from: Int64.self, to: dtype)]
        case .float32: return [Self.convert(x, from: Float.self, to: dtype)]
        case .float64: return [Self.convert(x, from: Double.self, to: dtype)]
        case .complex64: return [Self.convert(x, from: Complex<Float>.self, to: dtype)]
        case .complex128: return [Self.convert(x, from: Complex<Double>.self, to: dtype)]
        }
    }

    /// Conversions between inexact dtypes are linear (complex to real keeps the real part); to or from
    /// integers and bool there is no derivative.
    func jvp(_ primals: [Tensor], _ tangents: [Tensor?], _ outputs: [Tensor]) -> [Tensor?] {
        guard dtype.isInexact, primals[0].dtype.isInexact, let t = tangents[0] else { return [nil] }
        return [t.cast(to: dtype)]
    }

    func vjp(_ primals: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?]) -> [Tensor?] {
        guard dtype.isInexact, primals[0].dtype.isInexact, let ct = cotangents[0] else { return [nil] }
        return [matchingDType(ct, primals[0])]
    }

    private static func convert<S: ConvertibleElement>(_ x: ArrayValue, from: S.Type, to dtype: DType) -> ArrayValue {
        switch dtype {
        case .bool: Map.unary(x, dtype, S.self, Bool.self) { $0.isNonzero }
        case .int32: Map.unary(x, dtype, S.self, Int32.self) { $0.asInt64.map { Int32(truncatingIfNeeded: $0) } ?? Int32(clamping: $0.asDouble) }
        case .int64: Map.unary(x, dtype, S.self, Int64.self) { $0.asInt64 ?? Int64(clamping: $0.asDouble) }
        case .float32: Map.unary(x, dtype, S.self, Float.self) { Float($0.asDouble) }
        case .float64: Map.unary(x, dtype, S.self, Double.self) { $0.asDouble }
        case .complex64: Map.unary(x, dtype, S.self, Complex<Float>.self) { Complex(Float($0.asDouble), Float($0.imaginaryPart)) }
        case .complex128: Map.unary(x, dtype, S.self, Complex<Double>.self) { Complex($0.asDouble, $0.imaginaryPart) }
        }
    }
}

/// What conversion needs from a source element.
protocol ConvertibleElement {
    var isNonzero: Bool { get }
    /// The exact integer value, for integer and bool sources (so int64 does not pass through a double).
    var asInt64: Int64? { get }
    var asDouble: Double { get }
    var imaginaryPart: Double { get }
}

extension ConvertibleElement {
    var asInt64: Int64? { nil }
    var imaginaryPart: Double { 0 }
}

extension Bool: ConvertibleElement {
    var isNonzero: Bool { self }
    var asInt64: Int64? { self ? 1 : 0 }
    var asDouble: Double { self ? 1 : 0 }
}
extension Int32: ConvertibleElement {
    var isNonzero: Bool { self != 0 }
    var asInt64: Int64? { Int64(self) }
    var asDouble: Double { Double(self) }
}
extension Int64: ConvertibleElement {
    var isNonzero: Bool { self != 0 }
    var asInt64: Int64? { self }
    var asDouble: Double { Double(self) }
}
extension Float: ConvertibleElement {
    var isNonzero: Bool { self != 0 }
    var asDouble: Double { Double(self) }
}
extension Double: ConvertibleElement {
    var isNonzero: Bool { self != 0 }
    var asDouble: Double { self }
}
extension Complex: ConvertibleElement where RealType: RealElement {
    var isNonzero: Bool { self != .zero }
    var asDouble: Double { storedReal.doubleValue }
    var imaginaryPart: Double { storedImaginary.doubleValue }
}

extension Int64 {
    /// Truncation toward zero that saturates at the type's bounds and maps NaN to 0, instead of trapping.
    init(clamping value: Double) {
        if value.isNaN { self = 0 }
        else if value >= 9.223372036854775807e18 { self = .max }
        else if value <= -9.223372036854775808e18 { self = .min }
        else { self = Int64(value) }
    }
}

extension Int32 {
    init(clamping value: Double) { self = Int32(clamping: Int64(clamping: value)) }

}
