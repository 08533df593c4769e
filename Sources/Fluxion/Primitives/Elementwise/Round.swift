import RealModule

/// Elementwise rounding to the nearest integer, ties to even (as NumPy).
struct Round: RealUnary {
    var name: String { "round" }
    static func apply<T: RealElement>(_ x: T) -> T { x.rounded(.toNearestOrEven) }
}
