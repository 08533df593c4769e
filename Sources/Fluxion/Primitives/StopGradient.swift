/// The identity, with a derivative of zero: what ``stopGradient(_:)`` binds.
struct StopGradient: ElementwiseBatching, NonDifferentiable {
    var name: String { "stop_gradient" }
    var rewriteRules: [RewriteRule] { [.identity(keep: 0)] }
    func outputTypes(_ inputs: [TensorType]) -> [TensorType] { inputs }
    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] { inputs }
}
