/// Elementwise logical and.
struct LogicalAnd: LogicalBinary {
    var name: String { "and" }
    static func apply(_ a: Bool, _ b: Bool) -> Bool { a && b }
}
