import RealModule

/// Piecewise constant, so its derivative is zero. Elementwise ceiling.
struct Ceil: RealUnary, NonDifferentiable {
    var name: String { "ceil" }
    static func apply<T: RealElement>(_ x: T) -> T { x.rounded(.up) }
}
