import RealModule

/// Elementwise inverse tangent.
struct Atan: AnalyticUnary {
    var name: String { "atan" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.atan(x) }
}
