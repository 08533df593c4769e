import RealModule

/// Elementwise exponential.
struct Exp: AnalyticUnary {
    var name: String { "exp" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.exp(x) }
}
