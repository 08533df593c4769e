/// Elementwise `a > b`.
struct Greater: ComparisonBinary {
    var name: String { "gt" }
    static var domain: ElementDomain { [.integer, .real] }
    static func apply<T: Comparable>(_ a: T, _ b: T) -> Bool { a > b }
}
