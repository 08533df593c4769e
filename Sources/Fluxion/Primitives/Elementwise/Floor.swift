import RealModule

/// Elementwise floor.
struct Floor: RealUnary {
    var name: String { "floor" }
    static func apply<T: RealElement>(_ x: T) -> T { x.rounded(.down) }
}
