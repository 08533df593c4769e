/// Elementwise `a >= b`.
struct GreaterEqual: ComparisonBinary {
    var name: String { "ge" }
    static var domain: ElementDomain { [.integer, .real] }
    static func apply<T: Comparable>(_ a: T, _ b: T) -> Bool { a >= b }
}
