import RealModule

/// Elementwise inverse cosine.
struct Acos: AnalyticUnary {
    var name: String { "acos" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.acos(x) }
}
