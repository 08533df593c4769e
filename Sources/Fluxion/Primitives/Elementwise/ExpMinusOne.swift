import RealModule

/// Elementwise `exp(x) - 1`, accurate near zero.
struct ExpMinusOne: AnalyticUnary {
    var name: String { "expm1" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.expMinusOne(x) }
}
