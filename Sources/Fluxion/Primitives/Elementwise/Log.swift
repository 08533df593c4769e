import RealModule

/// Elementwise natural logarithm.
struct Log: AnalyticUnary {
    var name: String { "log" }
    static func apply<T: ElementaryFunctions>(_ x: T) -> T { T.log(x) }
}
