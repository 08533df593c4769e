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
            return formatComplex(a.elements(as: Complex<Float>.self).map { (Double($0.real), Double($0.imaginary)) })
        case .complex128:
            return formatComplex(a.elements(as: Complex<Double>.self).map { ($0.real, $0.imaginary) })
        }
    }

    /// Formats reals with one style for the whole tensor: `1.`, `0.5`, or scientific when the
    /// magnitudes span more than 1e-4 ... 1e8, as NumPy does.
    static func formatReals(_ values: [Double]) -> [String] {
        let finite = values.filter { $0.isFinite && $0 != 0 }.map { Swift.abs($0) }
        let scientific = !finite.isEmpty && (finite.max()! >= 1e8 || finite.min()! < 1e-4)
        return values.map { v in
            if v.isNaN { return "nan" }
            if v.isInfinite { return v > 0 ? "inf" : "-inf" }
            if scientific { return String(format: "%.8e", v) }
            var s = String(format: "%.8f", v)
            while s.hasSuffix("0") { s.removeLast() }
            return s
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
