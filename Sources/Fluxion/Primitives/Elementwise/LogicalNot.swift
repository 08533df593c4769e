/// Elementwise logical not of a bool tensor.
struct LogicalNot: ElementwiseUnary, NonDifferentiable {
    var name: String { "not" }
    static var domain: ElementDomain { .bool }
    func evaluate(_ x: ArrayValue) -> ArrayValue { Map.unary(x, .bool, Bool.self, Bool.self) { !$0 } }
}
