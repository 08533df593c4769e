import RealModule

/// Elementwise ceiling.
struct Ceil: RealUnary {
    var name: String { "ceil" }
    static func apply<T: RealElement>(_ x: T) -> T { x.rounded(.up) }
}
