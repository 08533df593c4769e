import ComplexModule
import Foundation

/// Printing like NumPy: nested brackets, a shared format per tensor, summarized with `...` when a
/// tensor has more than 1000 elements (the first and last three entries of each axis are shown).
extension Tensor: CustomStringConvertible {
    public var description: String {
        guard case .concrete(let a) = storage else {
            if case .traced(let t) = storage { return "Traced<\(t.interpreter.transformName)>(\(t.type))" }
            return ""
        }
        let strings = Self.formatted(a)
        let summarize = a.count > 1000
        let body = Self.nest(strings, shape: a.shape, summarize: summarize, indent: "Tensor(".count)
        let suffix = a.dtype == .float64 || a.dtype == .int64 || a.dtype == .bool ? "" : ", dtype=\(a.dtype)"
        return "Tensor(\(body)\(suffix))"
    }

    /// Every element as text, in row-major order.
    private static func formatted(_ a: ArrayValue) -> [String] {
        switch a.dtype {
        case .bool: return a.elements(as: Bool.self).map { $0 ? "True" : "False" }
        case .int32: return a.elements(as: Int32.self).map { "\($0)" }
        case .int64: return a.elements(as: Int64.self).map { "\($0)" }
        case .float32: return formatReals(a.elements(as: Float.self).map(Double.init))
        case .float64: return formatReals(a.elements(as: Double.self))
        case .complex64:
            return formatComplex(a.elements(as: Complex<Float>.self).map { (Double($0.storedReal), Double($0.storedImaginary)) })
        case .complex128:
            return formatComplex(a.elements(as: Complex<Double>.self).map { ($0.storedReal, $0.storedImaginary) })
        }
    }

    /// Formats reals with one style for the whole tensor, as NumPy does: fixed point (`1. `, `2.5`,
    /// decimal points aligned) unless the magnitudes reach 1e8 or fall below 1e-4, then scientific
    /// (`1.e-05`); at most 8 digits after the point, trailing zeros dropped.
    static func formatReals(_ values: [Double]) -> [String] {
        let finite = values.filter { $0.isFinite && $0 != 0 }.map { Swift.abs($0) }
        let scientific = !finite.isEmpty && (finite.max()! >= 1e8 || finite.min()! < 1e-4)
        // Split each number into the part before the fraction, the fraction digits, and a suffix.
        let parts: [(String, String, String)?] = values.map { v in
            guard v.isFinite else { return nil }
            let text = String(format: scientific ? "%.8e" : "%.8f", v)
            let exponentStart = text.firstIndex(of: "e") ?? text.endIndex
            let mantissa = text[..<exponentStart]
            let dot = mantissa.firstIndex(of: ".")!
            var fraction = String(mantissa[mantissa.index(after: dot)...])
            while fraction.hasSuffix("0") { fraction.removeLast() }
            return (String(mantissa[..<dot]), fraction, String(text[exponentStart...]))
        }
        let fractionWidth = parts.compactMap { $0?.1.count }.max() ?? 0
        return zip(values, parts).map { v, p in
            guard let (whole, fraction, exponent) = p else { return v.isNaN ? "nan" : v > 0 ? "inf" : "-inf" }
            // Scientific notation pads the fraction with zeros, fixed point with spaces (as NumPy).
            let pad = String(repeating: scientific ? "0" : " ", count: fractionWidth - fraction.count)
            return scientific ? "\(whole).\(fraction)\(pad)\(exponent)" : "\(whole).\(fraction)\(pad)"
        }
    }

    private static func formatComplex(_ values: [(Double, Double)]) -> [String] {
        let re = formatReals(values.map(\.0)), im = formatReals(values.map { Swift.abs($0.1) })
        return values.indices.map { i in "\(re[i])\(values[i].1 < 0 ? "-" : "+")\(im[i])j" }
    }

    private static func nest(_ strings: [String], shape: [Int], summarize: Bool, indent: Int) -> String {
        if shape.isEmpty { return strings.first ?? "" }
        let width = strings.map(\.count).max() ?? 0
        func render(_ offset: Int, _ axis: Int) -> String {
            let n = shape[axis]
            let stride = shape[(axis + 1)...].reduce(1, *)
            var items: [String] = []
            let shown: [Int?] = summarize && n > 6 ? (Array(0..<3) + [nil] + Array((n - 3)..<n)) : Array(0..<n)
            for i in shown {
                guard let i else { items.append("..."); continue }
                if axis == shape.count - 1 {
                    let s = strings[offset + i]
                    items.append(String(repeating: " ", count: width - s.count) + s)
                } else {
                    items.append(render(offset + i * stride, axis + 1))
                }
            }
            if axis == shape.count - 1 { return "[" + items.joined(separator: ", ") + "]" }
            let pad = String(repeating: " ", count: indent + axis + 1)
            let gap = String(repeating: "\n", count: shape.count - axis - 1)
            return "[" + items.joined(separator: ",\(gap)\(pad)") + "]"
        }
        return render(0, 0)
    }
}
