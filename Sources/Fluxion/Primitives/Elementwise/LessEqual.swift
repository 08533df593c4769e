/// Elementwise `a <= b`.
struct LessEqual: ComparisonBinary {
    var name: String { "le" }
    static var domain: ElementDomain { [.integer, .real] }
    static func apply<T: Comparable>(_ a: T, _ b: T) -> Bool { a <= b }
}
