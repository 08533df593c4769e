import RealModule

/// Elementwise tangent.
struct Tan: AnalyticUnary {
    var name: String { "tan" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.tan(x) }
}
