import Foundation

/// A value on an extended-XYZ comment line (`key=value`).
public enum XYZValue: Equatable, Sendable {
    case int(Int), double(Double), bool(Bool), string(String), doubles([Double]), ints([Int]), bools([Bool])

    /// The value as a number (an int or a double).
    public var number: Double? {
        switch self {
        case let .int(i): return Double(i)
        case let .double(x): return x
        default: return nil
        }
    }
}

/// A per-atom column of an extended-XYZ frame (`Properties=name:type:width`).
public struct XYZColumn: Equatable, Sendable {
    public enum Kind: String, Sendable { case real = "R", integer = "I", logical = "L", string = "S" }
    public var name: String
    public var kind: Kind
    public var width: Int
    /// Numbers (reals, integers, logicals as 0/1), atom by atom; empty for a string column.
    public var numbers: [Double]
    /// Strings, atom by atom; empty for a numeric column.
    public var strings: [String]

    public init(name: String, reals: [Double], width: Int) {
        self.name = name; self.kind = .real; self.width = width; self.numbers = reals; self.strings = []
    }

    init(name: String, kind: Kind, width: Int, numbers: [Double], strings: [String]) {
        self.name = name; self.kind = kind; self.width = width; self.numbers = numbers; self.strings = strings
    }
}

/// One frame of an extended-XYZ file, as ASE reads and writes them: the species and positions, the
/// cell (`Lattice`, `pbc`), other per-atom columns (forces, velocities, momenta, masses, …) and the
/// comment line's other values (energy, stress, step, …) in their order.
public struct XYZFrame: Equatable, Sendable {
    public var species: [String]
    /// Flat `[N·3]` Cartesian positions.
    public var positions: [Double]
    /// The three lattice vectors (rows), when the frame has a cell.
    public var lattice: [[Double]]?
    public var pbc: [Bool]
    /// Columns after `species` and `pos`.
    public var columns: [XYZColumn]
    /// Comment-line values other than `Lattice`, `Properties` and `pbc`, in order.
    public var info: [(key: String, value: XYZValue)]

    public init(species: [String], positions: [Double], lattice: [[Double]]? = nil, pbc: [Bool]? = nil,
                columns: [XYZColumn] = [], info: [(key: String, value: XYZValue)] = []) {
        self.species = species
        self.positions = positions
        self.lattice = lattice
        self.pbc = pbc ?? Array(repeating: lattice != nil, count: 3)
        self.columns = columns
        self.info = info
    }

    public var atomCount: Int { species.count }

    /// A column by name (`forces`, `velo`, `momenta`, `masses`, …).
    public func column(_ name: String) -> XYZColumn? { columns.first { $0.name == name } }
    /// A comment-line value by name.
    public func value(_ key: String) -> XYZValue? { info.first { $0.key == key }?.value }

    /// The cell as a ``SimulationBox`` (open space when the frame has none or no periodic direction).
    public func box() throws(MDError) -> SimulationBox {
        guard let lattice else { return .free() }
        return try SimulationBox(vectors: lattice, periodic: pbc)
    }

    public static func == (a: XYZFrame, b: XYZFrame) -> Bool {
        a.species == b.species && a.positions == b.positions && a.lattice == b.lattice && a.pbc == b.pbc
            && a.columns == b.columns && a.info.map(\.key) == b.info.map(\.key) && a.info.map(\.value) == b.info.map(\.value)
    }
}

/// Extended XYZ (the format of ASE, QUIP, OVITO): read and write.
public enum ExtendedXYZ {
    /// Every frame of a file's text. A malformed file throws an error naming the line.
    public static func read(_ text: String, file: String = "input") throws(MDError) -> [XYZFrame] {
        var lines: [Substring] = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var frames: [XYZFrame] = []
        var at = 0
        func fail(_ line: Int, _ message: String) -> MDError { MDError("\(file):\(line + 1): \(message)") }
        while at < lines.count {
            let countText = lines[at].trimmingCharacters(in: .whitespaces)
            if countText.isEmpty { at += 1; continue }
            guard let n = Int(countText), n >= 0 else { throw fail(at, "expected the number of atoms, got \"\(countText.prefix(40))\"") }
            guard n <= lines.count - at - 2 else {
                throw fail(at, "the frame declares \(n) atoms but the file has \(max(0, lines.count - at - 2)) more lines")
            }
            let (info, comment) = try parseComment(String(lines[at + 1]), line: at + 1, fail)
            var frame = try frame(info: info, atoms: n, line: at + 1, fail)
            frame.columns = comment.filter { $0.0 != "species" && $0.0 != "pos" }.map {
                XYZColumn(name: $0.0, kind: $0.1, width: $0.2, numbers: [], strings: [])
            }
            for a in 0..<n {
                let fields = lines[at + 2 + a].split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
                try parseAtom(fields, into: &frame, properties: comment, line: at + 2 + a, fail)
            }
            frames.append(frame)
            at += n + 2
        }
        return frames
    }

    /// The comment line's key/value pairs and the `Properties` columns.
    static func parseComment(_ text: String, line: Int, _ fail: (Int, String) -> MDError) throws(MDError)
        -> ([(String, String)], [(String, XYZColumn.Kind, Int)]) {
        var pairs: [(String, String)] = []
        var chars = Array(text), i = 0
        func skipSpace() { while i < chars.count, chars[i] == " " || chars[i] == "\t" || chars[i] == "\r" { i += 1 } }
        func word(stoppingAt stops: Set<Character>) throws(MDError) -> String {
            if i < chars.count, chars[i] == "\"" || chars[i] == "{" || chars[i] == "[" {
                let close: Character = chars[i] == "\"" ? "\"" : chars[i] == "{" ? "}" : "]"
                let open = chars[i]
                i += 1
                var out = ""
                while i < chars.count, chars[i] != close {
                    if chars[i] == "\\", open == "\"", i + 1 < chars.count { i += 1 }
                    out.append(chars[i]); i += 1
                }
                guard i < chars.count else { throw fail(line, "an unclosed \(open) in the comment line") }
                i += 1
                return open == "\"" ? out : out.replacingOccurrences(of: ",", with: " ")
            }
            var out = ""
            while i < chars.count, !stops.contains(chars[i]) { out.append(chars[i]); i += 1 }
            return out
        }
        skipSpace()
        while i < chars.count {
            let key = try word(stoppingAt: ["=", " ", "\t", "\r"])
            guard !key.isEmpty else { throw fail(line, "a value without a key in the comment line") }
            skipSpace()
            if i < chars.count, chars[i] == "=" {
                i += 1
                skipSpace()
                pairs.append((key, try word(stoppingAt: [" ", "\t", "\r"])))
            } else {
                pairs.append((key, "T"))
            }
            skipSpace()
        }
        var columns: [(String, XYZColumn.Kind, Int)] = [("species", .string, 1), ("pos", .real, 3)]
        if let spec = pairs.first(where: { $0.0.lowercased() == "properties" })?.1 {
            let parts = spec.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count % 3 == 0, !parts.isEmpty else { throw fail(line, "Properties must be name:type:width triples, got \"\(spec.prefix(60))\"") }
            columns = []
            for k in stride(from: 0, to: parts.count, by: 3) {
                guard let kind = XYZColumn.Kind(rawValue: String(parts[k + 1])), let width = Int(parts[k + 2]), (1...1000).contains(width) else {
                    throw fail(line, "Properties: \"\(parts[k]):\(parts[k + 1]):\(parts[k + 2])\" is not name:R|I|L|S:width")
                }
                columns.append((String(parts[k]), kind, width))
            }
        }
        guard let species = columns.first(where: { $0.0 == "species" }), species.1 == .string, species.2 == 1,
              let pos = columns.first(where: { $0.0 == "pos" }), pos.1 == .real, pos.2 == 3 else {
            throw fail(line, "Properties must include species:S:1 and pos:R:3")
        }
        guard Set(columns.map(\.0)).count == columns.count else { throw fail(line, "Properties names a column twice") }
        return (pairs, columns)
    }

    static func frame(info pairs: [(String, String)], atoms n: Int, line: Int, _ fail: (Int, String) -> MDError) throws(MDError) -> XYZFrame {
        var frame = XYZFrame(species: [], positions: [])
        for (key, raw) in pairs {
            switch key.lowercased() {
            case "properties": continue
            case "lattice":
                let v = raw.split(separator: " ").compactMap { Double($0) }
                guard v.count == 9, v.allSatisfy(\.isFinite), raw.split(separator: " ").count == 9 else {
                    throw fail(line, "Lattice must be 9 numbers, got \"\(raw.prefix(60))\"")
                }
                frame.lattice = [Array(v[0..<3]), Array(v[3..<6]), Array(v[6..<9])]
            case "pbc":
                let flags = raw.split(separator: " ").map { parseBool(String($0)) }
                guard flags.count == 3, flags.allSatisfy({ $0 != nil }) else { throw fail(line, "pbc must be three of T/F, got \"\(raw.prefix(30))\"") }
                frame.pbc = flags.map { $0! }
            default:
                frame.info.append((key, parseValue(raw)))
            }
        }
        if frame.lattice != nil, !pairs.contains(where: { $0.0.lowercased() == "pbc" }) { frame.pbc = [true, true, true] }
        if frame.lattice == nil, frame.pbc.contains(true) { throw fail(line, "pbc is periodic but the frame has no Lattice") }
        frame.species.reserveCapacity(n)
        return frame
    }

    static func parseAtom(_ fields: [Substring], into frame: inout XYZFrame, properties: [(String, XYZColumn.Kind, Int)],
                          line: Int, _ fail: (Int, String) -> MDError) throws(MDError) {
        let expected = properties.reduce(0) { $0 + $1.2 }
        guard fields.count == expected else { throw fail(line, "expected \(expected) fields per atom (Properties), got \(fields.count)") }
        var f = 0, column = -1
        for (name, kind, width) in properties {
            if name != "species" && name != "pos" { column += 1 }
            for _ in 0..<width {
                let text = String(fields[f])
                f += 1
                switch (name, kind) {
                case ("species", _): frame.species.append(text)
                case ("pos", _):
                    guard let x = Double(text), x.isFinite else { throw fail(line, "pos: \"\(text.prefix(30))\" is not a finite number") }
                    frame.positions.append(x)
                case (_, .string): frame.columns[column].strings.append(text)
                case (_, .real):
                    guard let x = Double(text) else { throw fail(line, "\(name): \"\(text.prefix(30))\" is not a number") }
                    frame.columns[column].numbers.append(x)
                case (_, .integer):
                    guard let x = Int(text) else { throw fail(line, "\(name): \"\(text.prefix(30))\" is not an integer") }
                    frame.columns[column].numbers.append(Double(x))
                case (_, .logical):
                    guard let b = parseBool(text) else { throw fail(line, "\(name): \"\(text.prefix(30))\" is not T or F") }
                    frame.columns[column].numbers.append(b ? 1 : 0)
                }
            }
        }
    }

    static func parseBool(_ s: String) -> Bool? {
        switch s { case "T", "True", "true", "TRUE": return true; case "F", "False", "false", "FALSE": return false; default: return nil }
    }

    static func parseValue(_ raw: String) -> XYZValue {
        let parts = raw.split(separator: " ").map(String.init)
        if parts.count > 1 {
            if let ints = Optional(parts.compactMap { Int($0) }), ints.count == parts.count { return .ints(ints) }
            if let xs = Optional(parts.compactMap { Double($0) }), xs.count == parts.count { return .doubles(xs) }
            if let bs = Optional(parts.compactMap { parseBool($0) }), bs.count == parts.count { return .bools(bs) }
            return .string(raw)
        }
        if let i = Int(raw) { return .int(i) }
        if let x = Double(raw) { return .double(x) }
        if let b = parseBool(raw) { return .bool(b) }
        return .string(raw)
    }

    /// A frame as text, in ASE's layout (`Lattice`, `Properties`, the other values, `pbc`; reals as `%16.8f`).
    public static func format(_ frame: XYZFrame) -> String {
        var comment: [String] = []
        if let lattice = frame.lattice { comment.append("Lattice=\"\(lattice.joined().map(number).joined(separator: " "))\"") }
        let properties = ["species:S:1", "pos:R:3"] + frame.columns.map { "\($0.name):\($0.kind.rawValue):\($0.width)" }
        comment.append("Properties=\(properties.joined(separator: ":"))")
        for (key, value) in frame.info { comment.append("\(key)=\(text(value))") }
        comment.append("pbc=\"\(frame.pbc.map { $0 ? "T" : "F" }.joined(separator: " "))\"")
        var out = "\(frame.atomCount)\n\(comment.joined(separator: " "))\n"
        out.reserveCapacity(out.count + frame.atomCount * (8 + 17 * (3 + frame.columns.reduce(0) { $0 + $1.width })))
        for a in 0..<frame.atomCount {
            // Padded to two characters, never cut: Foundation's `padding` counts UTF-16 units, and
            // cut a name whose characters are longer than one unit (a combining mark).
            out += frame.species[a] + String(repeating: " ", count: max(0, 2 - frame.species[a].count))
            for c in 0..<3 { out += String(format: " %16.8f", frame.positions[3 * a + c]) }
            for column in frame.columns {
                for k in 0..<column.width {
                    let i = a * column.width + k
                    switch column.kind {
                    case .real: out += String(format: " %16.8f", column.numbers[i])
                    case .integer: out += " \(Int(column.numbers[i]))"
                    case .logical: out += column.numbers[i] != 0 ? " T" : " F"
                    case .string: out += " " + column.strings[i]
                    }
                }
            }
            out += "\n"
        }
        return out
    }

    /// Frames as one file's text.
    public static func write(_ frames: [XYZFrame]) -> String { frames.map(format).joined() }

    static func number(_ x: Double) -> String { "\(x)" }

    static func text(_ v: XYZValue) -> String {
        switch v {
        case let .int(i): return "\(i)"
        case let .double(x): return "\(x)"
        case let .bool(b): return b ? "T" : "F"
        case let .string(s): return s.contains(" ") || s.contains("=") || s.contains("\"") || s.isEmpty
            ? "\"\(s.replacingOccurrences(of: "\"", with: "\\\""))\"" : s
        case let .doubles(xs): return "\"\(xs.map { "\($0)" }.joined(separator: " "))\""
        case let .ints(xs): return "\"\(xs.map { "\($0)" }.joined(separator: " "))\""
        case let .bools(bs): return "\"\(bs.map { $0 ? "T" : "F" }.joined(separator: " "))\""
        }
    }
}
