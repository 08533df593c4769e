/// A TOML 1.0 reader for Fluxion's input files, in Swift, fuzzed with the other readers of user files.
///
/// It reads comments, bare, quoted and dotted keys, `[tables]`, basic and literal strings (single- and
/// multi-line, with escapes), integers (decimal, hexadecimal, octal, binary, with underscores),
/// floats (with exponents, `inf`, `nan`), booleans, arrays (across lines, trailing comma) and inline
/// tables. Dates, times and arrays of tables (`[[name]]`) are not used by Fluxion's files and are
/// reported as such. Every error names its line and column; nesting deeper than 64 is an error, not
/// a stack overflow.
struct TOMLReader {
    let bytes: [UInt8]
    let file: String
    var index = 0
    var line = 1
    var lineStart = 0
    static let maxDepth = 64

    init(_ text: String, file: String) {
        bytes = Array(text.utf8)
        self.file = file
    }

    // MARK: Errors and positions

    func error(_ message: String) -> InputError {
        InputError(file: file, "line \(line), column \(index - lineStart + 1): \(message)")
    }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }
    func peek(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }

    mutating func advance() {
        if current == UInt8(ascii: "\n") { line += 1; lineStart = index + 1 }
        index += 1
    }

    mutating func skipSpaces() { while current == 0x20 || current == 0x09 { advance() } }

    mutating func skipComment() throws(InputError) {
        guard current == UInt8(ascii: "#") else { return }
        while let c = current, c != UInt8(ascii: "\n") {
            if c < 0x20 && c != 0x09 && !(c == 0x0D && peek(1) == UInt8(ascii: "\n")) { throw error("control character in a comment") }
            advance()
        }
    }

    /// Spaces, a comment, then the end of the line (or of the file).
    mutating func endOfLine() throws(InputError) {
        skipSpaces()
        try skipComment()
        if current == 0x0D && peek(1) == UInt8(ascii: "\n") { advance() }
        guard current == nil || current == UInt8(ascii: "\n") else { throw error("expected the end of the line") }
        if current != nil { advance() }
    }

    /// Spaces, comments and new lines (inside arrays).
    mutating func skipBlank() throws(InputError) {
        while true {
            skipSpaces()
            try skipComment()
            if current == UInt8(ascii: "\n") || (current == 0x0D && peek(1) == UInt8(ascii: "\n")) {
                if current == 0x0D { advance() }
                advance()
            } else { return }
        }
    }

    // MARK: Document

    mutating func document() throws(InputError) -> [String: InputValue] {
        var root: [String: InputValue] = [:]
        var table: [String] = []
        var headers: Set<[String]> = []
        while true {
            try skipBlank()
            guard let c = current else { return root }
            if c == UInt8(ascii: "[") {
                advance()
                if current == UInt8(ascii: "[") { throw error("arrays of tables ([[name]]) are not used in Fluxion's input files") }
                skipSpaces()
                let path = try key()
                skipSpaces()
                guard current == UInt8(ascii: "]") else { throw error("expected ] to close the table header") }
                advance()
                guard headers.insert(path).inserted else { throw error("table [\(path.joined(separator: "."))] defined twice") }
                try Self.insert(.table([:]), at: path, into: &root, asTable: true, reader: self)
                table = path
                try endOfLine()
            } else {
                let path = try key()
                skipSpaces()
                guard current == UInt8(ascii: "=") else { throw error("expected = after the key \(path.joined(separator: "."))") }
                advance()
                skipSpaces()
                let v = try value(depth: 0)
                try Self.insert(v, at: table + path, into: &root, asTable: false, reader: self)
                try endOfLine()
            }
        }
    }

    /// Puts a value at a dotted path, creating the tables on the way; a key defined twice is an error.
    static func insert(_ value: InputValue, at path: [String], into table: inout [String: InputValue], asTable: Bool,
                       reader: TOMLReader) throws(InputError) {
        let name = path[0]
        if path.count == 1 {
            if let existing = table[name] {
                if asTable, case .table = existing { return }   // a header for a table made by dotted keys
                throw reader.error("\(name) is defined twice")
            }
            table[name] = value
            return
        }
        var inner: [String: InputValue]
        switch table[name] {
        case nil: inner = [:]
        case let .table(t)?: inner = t
        default: throw reader.error("\(name) is not a table")
        }
        try insert(value, at: Array(path.dropFirst()), into: &inner, asTable: asTable, reader: reader)
        table[name] = .table(inner)
    }

    // MARK: Keys

    static func isBare(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2D
    }

    mutating func key() throws(InputError) -> [String] {
        var parts: [String] = []
        while true {
            skipSpaces()
            guard let c = current else { throw error("expected a key") }
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                if peek(1) == c && peek(2) == c { throw error("a key cannot be a multi-line string") }
                parts.append(try string())
            } else if Self.isBare(c) {
                let start = index
                while let d = current, Self.isBare(d) { advance() }
                parts.append(String(decoding: bytes[start..<index], as: UTF8.self))
            } else {
                throw error("expected a key (letters, digits, _ and -, or a quoted name)")
            }
            skipSpaces()
            guard current == UInt8(ascii: ".") else { return parts }
            advance()
        }
    }

    // MARK: Values

    mutating func value(depth: Int) throws(InputError) -> InputValue {
        guard depth < Self.maxDepth else { throw error("values nested deeper than \(Self.maxDepth)") }
        guard let c = current else { throw error("expected a value") }
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return .string(try string())
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "{"): return try inlineTable(depth: depth)
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            for (word, v) in [("true", true), ("false", false)] where matches(word) {
                index += word.utf8.count
                return .bool(v)
            }
            throw error("expected a value (true or false?)")
        default: return try number()
        }
    }

    func matches(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard index + w.count <= bytes.count, Array(bytes[index..<(index + w.count)]) == w else { return false }
        if let next = peek(w.count), Self.isBare(next) { return false }
        return true
    }

    mutating func array(depth: Int) throws(InputError) -> InputValue {
        advance()   // [
        var items: [InputValue] = []
        while true {
            try skipBlank()
            if current == UInt8(ascii: "]") { advance(); return .array(items) }
            items.append(try value(depth: depth + 1))
            try skipBlank()
            if current == UInt8(ascii: ",") { advance(); continue }
            guard current == UInt8(ascii: "]") else { throw error("expected , or ] in an array") }
            advance()
            return .array(items)
        }
    }

    mutating func inlineTable(depth: Int) throws(InputError) -> InputValue {
        advance()   // {
        var table: [String: InputValue] = [:]
        skipSpaces()
        if current == UInt8(ascii: "}") { advance(); return .table(table) }
        while true {
            let path = try key()
            skipSpaces()
            guard current == UInt8(ascii: "=") else { throw error("expected = in an inline table") }
            advance()
            skipSpaces()
            let v = try value(depth: depth + 1)
            try Self.insert(v, at: path, into: &table, asTable: false, reader: self)
            skipSpaces()
            if current == UInt8(ascii: ",") { advance(); continue }
            guard current == UInt8(ascii: "}") else { throw error("expected , or } in an inline table (on one line)") }
            advance()
            return .table(table)
        }
    }

    /// A number: integers in bases 10, 16, 8 and 2 and floats, with underscores between digits.
    mutating func number() throws(InputError) -> InputValue {
        let start = index
        while let c = current, Self.isBare(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") ||
                ((c == UInt8(ascii: ":")) ) {
            if c == UInt8(ascii: ":") { throw error("dates and times are not used in Fluxion's input files") }
            advance()
        }
        var text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard !text.isEmpty else { throw error("expected a value") }
        if ["inf", "+inf", "-inf", "nan", "+nan", "-nan"].contains(text) {
            return .double(text.hasSuffix("nan") ? .nan : (text.hasPrefix("-") ? -.infinity : .infinity))
        }
        // Underscores must sit between digits.
        let chars = Array(text)
        for (i, ch) in chars.enumerated() where ch == "_" {
            guard i > 0, i < chars.count - 1, chars[i - 1].isHexDigit, chars[i + 1].isHexDigit else {
                throw error("misplaced _ in the number \(text.prefix(40))")
            }
        }
        text = text.replacingOccurrences(of: "_", with: "")
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where text.hasPrefix(prefix) {
            guard let v = Int(text.dropFirst(2), radix: radix) else { throw error("not a number: \(text.prefix(40))") }
            return .int(v)
        }
        let isFloat = text.contains(".") || (!text.hasPrefix("0x") && text.lowercased().contains("e"))
        let digits = text.hasPrefix("+") || text.hasPrefix("-") ? String(text.dropFirst()) : text
        guard let first = digits.first, first.isNumber else { throw error("not a value: \(text.prefix(40))") }
        if digits.count > 1 && first == "0" && digits.dropFirst().first?.isNumber == true {
            throw error("leading zeros are not allowed: \(text.prefix(40))")
        }
        if isFloat {
            // A dot needs digits on both sides.
            if let dot = digits.firstIndex(of: ".") {
                let after = digits[digits.index(after: dot)...]
                guard after.first?.isNumber == true else { throw error("a decimal point needs digits after it: \(text.prefix(40))") }
            }
            guard let v = Double(text), v.isFinite || text.lowercased().contains("e") else { throw error("not a number: \(text.prefix(40))") }
            return .double(v)
        }
        guard digits.allSatisfy(\.isNumber), let v = Int(text) else { throw error("not a number (or too large): \(text.prefix(40))") }
        return .int(v)
    }

    // MARK: Strings

    mutating func string() throws(InputError) -> String {
        let quote = current!
        let literal = quote == UInt8(ascii: "'")
        let multiline = peek(1) == quote && peek(2) == quote
        if multiline {
            index += 3
            // A new line right after the opening quotes is trimmed.
            if current == 0x0D && peek(1) == UInt8(ascii: "\n") { advance() }
            if current == UInt8(ascii: "\n") { advance() }
        } else {
            advance()
        }
        var out: [UInt8] = []
        while true {
            guard let c = current else { throw error("unterminated string") }
            if c == quote {
                if !multiline { advance(); break }
                if peek(1) == quote && peek(2) == quote {
                    // Up to two quotes may precede the closing three.
                    var run = 3
                    while peek(run) == quote && run < 5 { run += 1 }
                    out += [UInt8](repeating: quote, count: run - 3)
                    index += run
                    break
                }
                out.append(c)
                advance()
                continue
            }
            if c == UInt8(ascii: "\n") && !multiline { throw error("a new line inside a one-line string") }
            if c < 0x20 && c != 0x09 && c != UInt8(ascii: "\n") && !(c == 0x0D && peek(1) == UInt8(ascii: "\n")) || c == 0x7F {
                throw error("control character in a string")
            }
            if c == UInt8(ascii: "\\") && !literal {
                advance()
                guard let e = current else { throw error("unterminated string") }
                switch e {
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let count = e == UInt8(ascii: "u") ? 4 : 8
                    guard index + count < bytes.count,
                          let code = UInt32(String(decoding: bytes[(index + 1)...(index + count)], as: UTF8.self), radix: 16),
                          let scalar = Unicode.Scalar(code) else { throw error("bad \\u escape") }
                    out += Array(String(Character(scalar)).utf8)
                    index += count
                case UInt8(ascii: " "), 0x09, 0x0D, UInt8(ascii: "\n"):
                    guard multiline else { throw error("unknown escape: a backslash before white space") }
                    // A line-ending backslash trims the new line and the white space after it.
                    while let w = current, w == 0x20 || w == 0x09 || w == 0x0D || w == UInt8(ascii: "\n") { advance() }
                    continue
                default: throw error("unknown escape \\\(Character(Unicode.Scalar(e)))")
                }
                advance()
                continue
            }
            out.append(c)
            advance()
        }
        return String(decoding: out, as: UTF8.self)
    }
}
