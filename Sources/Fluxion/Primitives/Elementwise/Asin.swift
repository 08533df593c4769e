import RealModule

/// Elementwise inverse sine.
struct Asin: AnalyticUnary {
    var name: String { "asin" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.asin(x) }
}
