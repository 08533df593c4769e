/// The identity, with a derivative of zero: what ``stopGradient(_:)`` binds.
struct StopGradient: ElementwiseBatching, NonDifferentiable {
    var name: String { "stop_gradient" }
    func outputTypes(_ inputs: [TensorType]) -> [TensorType] { inputs }
    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue] { inputs }
}
