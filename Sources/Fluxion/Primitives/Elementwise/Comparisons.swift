/// Elementwise `a == b`.
struct Equal: ComparisonBinary {
    var name: String { "eq" }
    static var domain: ElementDomain { .all }
    static func apply<T: Comparable>(_ a: T, _ b: T) -> Bool { a == b }
    static func applyEquatable<T: Equatable>(_ a: T, _ b: T) -> Bool? { a == b }
}

/// Elementwise `a != b`.
struct NotEqual: ComparisonBinary {
    var name: String { "ne" }
    static var domain: ElementDomain { .all }
    static func apply<T: Comparable>(_ a: T, _ b: T) -> Bool { a != b }
    static func applyEquatable<T: Equatable>(_ a: T, _ b: T) -> Bool? { a != b }
}

/// Elementwise `a < b`.
struct Less: ComparisonBinary {
    var name: String { "lt" }
    static var domain: ElementDomain { [.integer, .real] }
    static func apply<T: Comparable>(_ a: T, _ b: T) -> Bool { a < b }
}

/// Elementwise `a <= b`.
struct LessEqual: ComparisonBinary {
    var name: String { "le" }
    static var domain: ElementDomain { [.integer, .real] }
    static func apply<T: Comparable>(_ a: T, _ b: T) -> Bool { a <= b }
}

/// Elementwise `a > b`.
struct Greater: ComparisonBinary {
    var name: String { "gt" }
    static var domain: ElementDomain { [.integer, .real] }
    static func apply<T: Comparable>(_ a: T, _ b: T) -> Bool { a > b }
}

/// Elementwise `a >= b`.
struct GreaterEqual: ComparisonBinary {
    var name: String { "ge" }
    static var domain: ElementDomain { [.integer, .real] }
    static func apply<T: Comparable>(_ a: T, _ b: T) -> Bool { a >= b }
}
