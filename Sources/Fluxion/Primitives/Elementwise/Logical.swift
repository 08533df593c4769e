/// Elementwise logical and.
struct LogicalAnd: LogicalBinary {
    var name: String { "and" }
    static func apply(_ a: Bool, _ b: Bool) -> Bool { a && b }
}

/// Elementwise logical or.
struct LogicalOr: LogicalBinary {
    var name: String { "or" }
    static func apply(_ a: Bool, _ b: Bool) -> Bool { a || b }
}

/// Elementwise logical exclusive or.
struct LogicalXor: LogicalBinary {
    var name: String { "xor" }
    static func apply(_ a: Bool, _ b: Bool) -> Bool { a != b }
}
