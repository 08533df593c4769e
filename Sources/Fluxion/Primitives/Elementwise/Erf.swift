import RealModule

/// Elementwise error function.
struct Erf: RealUnary {
    var name: String { "erf" }
    static func apply<T: RealElement>(_ x: T) -> T { T.erf(x) }
}
