import ComplexModule

/// Elementwise true division of floating-point tensors.
struct Divide: FieldBinary {
    var name: String { "div" }
    static func apply<T: RealElement>(_ a: T, _ b: T) -> T { a / b }
    static func apply<T: RealElement>(_ a: Complex<T>, _ b: Complex<T>) -> Complex<T> { a / b }
}
