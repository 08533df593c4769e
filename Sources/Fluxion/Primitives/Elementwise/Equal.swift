/// Elementwise `a == b`.
struct Equal: ComparisonBinary {
    var name: String { "eq" }
    static var domain: ElementDomain { .all }
    static func apply<T: Comparable>(_ a: T, _ b: T) -> Bool { a == b }
    static func applyEquatable<T: Equatable>(_ a: T, _ b: T) -> Bool? { a == b }
}
