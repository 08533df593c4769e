import RealModule

/// Piecewise constant, so its derivative is zero. Elementwise floor.
struct Floor: RealUnary, NonDifferentiable {
    var name: String { "floor" }
    static func apply<T: RealElement>(_ x: T) -> T { x.rounded(.down) }
}
