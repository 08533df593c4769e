import RealModule

/// Piecewise constant, so its derivative is zero. Elementwise rounding to the nearest integer, ties to even (as NumPy).
struct Round: RealUnary, NonDifferentiable {
    var name: String { "round" }
    static func apply<T: RealElement>(_ x: T) -> T { x.rounded(.toNearestOrEven) }
}
