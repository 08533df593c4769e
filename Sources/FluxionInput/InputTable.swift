/// A TOML value as plain Swift data (read once from TOMLKit's document, then validated here).
public indirect enum InputValue: Equatable, Sendable {
    case int(Int), double(Double), string(String), bool(Bool), array([InputValue]), table([String: InputValue])

    var kind: String {
        switch self {
        case .int: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .bool: return "true or false"
        case .array: return "an array"
        case .table: return "a table"
        }
    }
}

/// Parses TOML text into a table of ``InputValue``s; a syntax error names its line and column.
public func parseTOML(_ text: String, file: String) throws(InputError) -> [String: InputValue] {
    var reader = TOMLReader(text, file: file)
    return try reader.document()
}

/// One table of an input file, read key by key with type and range checks; ``finish()`` rejects the
/// keys no one read, suggesting the closest known key.
public final class InputTable {
    let values: [String: InputValue]
    let path: String
    let file: String
    private var known: [String] = []

    public init(_ values: [String: InputValue], path: String = "", file: String) {
        self.values = values
        self.path = path
        self.file = file
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func fail(_ key: String, _ message: String) -> InputError { InputError(file: file, "\(name(key)): \(message)") }

    func value(_ key: String) -> InputValue? {
        known.append(key)
        return values[key]
    }

    public func int(_ key: String, default d: Int? = nil, in range: ClosedRange<Int>) throws(InputError) -> Int {
        guard let v = value(key) else {
            if let d { return d }
            throw fail(key, "missing; an integer in \(range.lowerBound)...\(range.upperBound) is required")
        }
        guard case let .int(i) = v, range.contains(i) else {
            throw fail(key, "must be an integer in \(range.lowerBound)...\(range.upperBound), got \(describe(v))")
        }
        return i
    }

    public func double(_ key: String, default d: Double? = nil, in range: ClosedRange<Double>,
                       open: Bool = false) throws(InputError) -> Double {
        guard let v = value(key) else {
            if let d { return d }
            throw fail(key, "missing; a number in \(range) is required")
        }
        let x: Double
        switch v {
        case let .double(y): x = y
        case let .int(i): x = Double(i)
        default: throw fail(key, "must be a number in \(range), got \(describe(v))")
        }
        guard x.isFinite, range.contains(x), !(open && x == range.lowerBound) else {
            throw fail(key, "must be a number in \(open ? "(" : "[")\(range.lowerBound), \(range.upperBound)], got \(x)")
        }
        return x
    }

    public func bool(_ key: String, default d: Bool) throws(InputError) -> Bool {
        guard let v = value(key) else { return d }
        guard case let .bool(b) = v else { throw fail(key, "must be true or false, got \(describe(v))") }
        return b
    }

    public func string(_ key: String, default d: String? = nil, oneOf allowed: [String]) throws(InputError) -> String {
        guard let v = value(key) else {
            if let d { return d }
            throw fail(key, "missing; one of \(allowed.joined(separator: ", ")) is required")
        }
        guard case let .string(s) = v else { throw fail(key, "must be one of \(allowed.joined(separator: ", ")), got \(describe(v))") }
        guard allowed.isEmpty || allowed.contains(s) else {
            let hint = closest(to: s, among: allowed).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw fail(key, "\"\(s)\" is not one of \(allowed.joined(separator: ", "))\(hint)")
        }
        return s
    }

    public func ints(_ key: String, default d: [Int], count: ClosedRange<Int>, in range: ClosedRange<Int>) throws(InputError) -> [Int] {
        guard let v = value(key) else { return d }
        let message = "must be an array of \(count.lowerBound)...\(count.upperBound) integers in \(range.lowerBound)...\(range.upperBound)"
        guard case let .array(items) = v, count.contains(items.count) else { throw fail(key, "\(message), got \(describe(v))") }
        var result: [Int] = []
        for item in items {
            guard case let .int(i) = item, range.contains(i) else { throw fail(key, "\(message), got \(describe(v))") }
            result.append(i)
        }
        return result
    }

    /// A sub-table (empty when absent).
    public func table(_ key: String) throws(InputError) -> InputTable {
        guard let v = value(key) else { return InputTable([:], path: name(key), file: file) }
        guard case let .table(t) = v else { throw fail(key, "must be a table ([\(name(key))]), got \(describe(v))") }
        return InputTable(t, path: name(key), file: file)
    }

    /// Rejects keys that were never read.
    public func finish() throws(InputError) {
        for key in values.keys.sorted() where !known.contains(key) {
            let hint = closest(to: key, among: known).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw fail(key, "unknown key\(hint); known keys here: \(known.joined(separator: ", "))")
        }
    }

    func describe(_ v: InputValue) -> String {
        switch v {
        case let .int(i): return "\(i)"
        case let .double(x): return "\(x)"
        case let .string(s): return "\"\(s.prefix(40))\""
        case let .bool(b): return "\(b)"
        default: return v.kind
        }
    }
}
