/// Elementwise `a != b`.
struct NotEqual: ComparisonBinary {
    var name: String { "ne" }
    static var domain: ElementDomain { .all }
    static func apply<T: Comparable>(_ a: T, _ b: T) -> Bool { a != b }
    static func applyEquatable<T: Equatable>(_ a: T, _ b: T) -> Bool? { a != b }
}
