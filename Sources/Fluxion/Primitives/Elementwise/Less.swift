/// Elementwise `a < b`.
struct Less: ComparisonBinary {
    var name: String { "lt" }
    static var domain: ElementDomain { [.integer, .real] }
    static func apply<T: Comparable>(_ a: T, _ b: T) -> Bool { a < b }
}
