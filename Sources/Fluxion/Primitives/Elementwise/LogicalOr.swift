/// Elementwise logical or.
struct LogicalOr: LogicalBinary {
    var name: String { "or" }
    static func apply(_ a: Bool, _ b: Bool) -> Bool { a || b }
}
