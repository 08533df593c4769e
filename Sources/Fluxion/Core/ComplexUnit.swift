import ComplexModule

/// The imaginary unit in both precisions.
enum ComplexUnit {
    static let i64 = Complex<Float>(0, 1)
    static let i128 = Complex<Double>(0, 1)
}
