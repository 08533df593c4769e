/// Elementwise logical exclusive or.
struct LogicalXor: LogicalBinary {
    var name: String { "xor" }
    static func apply(_ a: Bool, _ b: Bool) -> Bool { a != b }
}
