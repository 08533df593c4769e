/// A primitive operation: the unit that every interpreter (eager evaluation now; differentiation,
/// batching and staging as they arrive) knows how to process.
///
/// A primitive is a value: its stored properties are its static parameters (axes, shapes, flags).
/// Two equal primitives applied to equal inputs give equal outputs, which is what lets a staged
/// program deduplicate and cache them.
///
/// Every primitive lives in its own file under `Primitives/`, holding all of its rules: shape
/// inference, evaluation, its derivatives (``DifferentiationRules``), its Taylor-mode rule
/// (``TaylorRules``) and its batching rule (``BatchingRules``).
protocol Primitive: Hashable, Sendable, CustomStringConvertible, DifferentiationRules, BatchingRules, TaylorRules {
    /// The primitive's name as it appears in error messages and printed programs.
    var name: String { get }
    /// Shape and dtype inference. Stops with a message naming the operation and the shapes when the
    /// inputs do not fit.
    func outputTypes(_ inputs: [TensorType]) -> [TensorType]
    /// The CPU implementation on concrete arrays whose types passed ``outputTypes(_:)``.
    func evaluate(_ inputs: [ArrayValue]) -> [ArrayValue]
    /// Whether eager evaluation checks ``outputTypes(_:)`` first. Primitives that call user code,
    /// whose output types are only known by staging it, skip it: evaluation then runs the code once.
    static var checksTypesEagerly: Bool { get }
    /// The check eager evaluation makes before ``evaluate(_:)``: ``outputTypes(_:)`` when
    /// ``checksTypesEagerly``. Elementwise primitives accept the common cases (one dtype, equal
    /// shapes or a scalar operand) without building the output types, and ask ``outputTypes(_:)``
    /// for the others, so every error message stays the same.
    func checkEagerly(_ inputs: [ArrayValue])
    /// ``evaluate(_:)`` of a primitive with one output, without the result array (a compiled
    /// program's steps call this for such primitives).
    func evaluateSingle(_ inputs: [ArrayValue]) -> ArrayValue
    /// Whether `jit` may evaluate the primitive on constant inputs while compiling (constant folding).
    static var isFoldable: Bool { get }
    /// The operation of the fused element-wise loop that computes this primitive, if any: `jit`
    /// fuses runs of such primitives into one pass.
    var fusedOperation: FusedLoop.Op? { get }
    /// Algebraic simplifications: when one matches an equation of this primitive, `jit` replaces
    /// the equation's output by one of its operands (`x + 0 -> x`).
    var rewriteRules: [RewriteRule] { get }
}

extension Primitive {
    var description: String { name }
    static var checksTypesEagerly: Bool { true }
    func checkEagerly(_ inputs: [ArrayValue]) {
        if Self.checksTypesEagerly { _ = outputTypes(inputs.map { $0.type }) }
    }
    func evaluateSingle(_ inputs: [ArrayValue]) -> ArrayValue { evaluate(inputs)[0] }
    static var isFoldable: Bool { true }
    var fusedOperation: FusedLoop.Op? { nil }
    var rewriteRules: [RewriteRule] { [] }
}


/// Formats a list of shapes the way error messages print them: `[2, 3] and [4]`.
func describeShapes(_ types: [TensorType]) -> String {
    types.map { "\($0.shape)" }.joined(separator: " and ")
}
