import RealModule

/// Elementwise sine.
struct Sin: AnalyticUnary {
    var name: String { "sin" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.sin(x) }
}
