/// An interpreter decides what applying a primitive means: evaluating it (the base case), or
/// recording it, differentiating it, batching it. Interpreters nest; each has a level, and
/// ``bind(_:_:)`` hands a primitive to the innermost (highest-level) interpreter whose tracers appear
/// among the inputs, which may in turn bind primitives to the interpreters below it.
protocol Interpreter: AnyObject, Sendable {
    /// The nesting depth: 1 for the outermost transform, larger for transforms applied inside it.
    var level: Int { get }
    /// What the error message calls this transform (`"grad"`, `"jit"`, `"vmap"`).
    var transformName: String { get }
    /// Applies `primitive` to inputs, at least one of which is a tracer of this interpreter.
    func process<P: Primitive>(_ primitive: P, _ inputs: [Tensor]) -> [Tensor]
}

/// A tensor value seen by an interpreter while a transform traces a function.
///
/// Interpreters subclass this to attach what they carry (a tangent, a batch axis, a program
/// variable). The abstract type is always known.
class Tracer: @unchecked Sendable {
    let interpreter: any Interpreter
    let type: TensorType
    init(interpreter: any Interpreter, type: TensorType) {
        self.interpreter = interpreter
        self.type = type
    }

    /// The value this tracer stands for, when it is known while tracing. Differentiation traces
    /// real values (as JAX's `grad` does), so Swift control flow on them works; staging and batching
    /// tracers have none.
    var knownValue: Tensor? { nil }
}

/// The stack of active transforms for the current task: a transform pushes its interpreter for the
/// duration of the function it traces, so that nested transforms get increasing levels.
enum TraceStack {
    @TaskLocal static var depth: Int = 0
    /// Whether a function is being staged into a program (by `jit`): loops then stay loops in the
    /// program instead of being unrolled.
    @TaskLocal static var staging: Bool = false
    /// The staging interpreter of the `jit` trace whose direct `vmap` calls may become blocked maps
    /// (``BlockedMap``); nil inside the sub-programs staged for rules and control flow.
    @TaskLocal static var blockedMapStage: ObjectIdentifier? = nil
}

/// Applies a primitive to tensors: the single entry through which every operation passes.
///
/// With no traced inputs the primitive is evaluated eagerly; otherwise the highest-level interpreter
/// among the inputs' tracers processes it.
func bind<P: Primitive>(_ primitive: P, _ inputs: [Tensor]) -> [Tensor] {
    var top: (any Interpreter)?
    for x in inputs {
        if case .traced(let t) = x.storage, t.interpreter.level > (top?.level ?? 0) {
            top = t.interpreter
        }
    }
    if let top { return top.process(primitive, inputs) }
    return EagerInterpreter.evaluate(primitive, inputs)
}

/// Binds a primitive that has exactly one output.
func bind1<P: Primitive>(_ primitive: P, _ inputs: Tensor...) -> Tensor {
    bind(primitive, inputs)[0]
}

/// The base interpreter: checks types, then runs the CPU implementation.
enum EagerInterpreter {
    static func evaluate<P: Primitive>(_ primitive: P, _ inputs: [Tensor]) -> [Tensor] {
        let arrays = inputs.map { $0.concrete(for: primitive.name) }
        primitive.checkEagerly(arrays)
        return primitive.evaluate(arrays).map { Tensor(array: $0) }
    }
}
