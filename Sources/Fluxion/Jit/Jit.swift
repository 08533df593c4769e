import Synchronization

/// A compiled function: `jit(f)` stages `f` to a ``Program`` the first time it sees a new
/// signature (tree structure, leaf shapes and dtypes, static argument), optimizes and plans it, and
/// afterwards runs the plan without tracing.
///
/// ```swift
/// let step = jit { (p: Params) in valueAndGrad(loss)(p) }
/// let (l, g) = step(params)       // traces, optimizes, plans
/// let (l2, g2) = step(params2)    // same shapes: runs the cached plan
/// print(step.traceCount)          // 1
/// ```
///
/// Calls are safe from several threads at once. Under another transform (inside `grad`, `vmap` or
/// another `jit`) a jitted function is inlined into the enclosing computation.
public final class JitFunction<T: TensorTree, S: Hashable & Sendable, U: TensorTree>: @unchecked Sendable {
    private let body: (T, S) -> U

    struct Signature: Hashable {
        let structure: String
        let types: [TensorType]
        let staticValue: S
    }

    private struct Entry: @unchecked Sendable {
        let plan: ExecutionPlan
        let outputTemplate: U
    }

    private struct State: @unchecked Sendable {
        var cache: [Signature: Entry] = [:]
        var traces = 0
        var lastSignature: Signature?
        var lastMiss: String?
    }

    private let state = Mutex(State())

    init(_ body: @escaping (T, S) -> U) { self.body = body }

    /// How many times the function has been traced (one per cache miss).
    public var traceCount: Int { state.withLock { $0.traces } }

    /// The number of compiled signatures held.
    public var cacheSize: Int { state.withLock { $0.cache.count } }

    /// Why the last cache miss happened: which argument changed shape, dtype, structure or static
    /// value relative to the signature seen before it (nil before any miss).
    public var lastMissExplanation: String? { state.withLock { $0.lastMiss } }

    func signature(_ x: T, _ s: S) -> Signature {
        Signature(structure: treeStructure(x), types: x.leaves.map(\.type), staticValue: s)
    }

    /// The optimized program for arguments like these (staged afresh; the cache is not touched).
    public func program(_ x: T, _ s: S) -> Program {
        Passes.optimize(stage(x, s).program)
    }

    private func stage(_ x: T, _ s: S) -> (program: Program, output: U) {
        var output: U?
        let program = StagingInterpreter.stage(x.leaves.map(\.type)) { leaves in
            let y = body(x.replacingLeaves(leaves), s)
            output = y
            return y.leaves
        }
        return (program, output!)
    }

    func call(_ x: T, _ s: S) -> U {
        let leaves = x.leaves
        // Under an enclosing transform the arguments are tracers: inline.
        guard leaves.allSatisfy({ if case .concrete = $0.storage { return true }; return false }) else { return body(x, s) }
        let sig = signature(x, s)
        let entry: Entry? = state.withLock { st in
            if let hit = st.cache[sig] { return hit }
            st.traces += 1
            st.lastMiss = explainMiss(previous: st.lastSignature, current: sig)
            st.lastSignature = sig
            let (program, output) = stage(x, s)
            guard let plan = ExecutionPlan(Passes.optimize(program)) else { return nil }
            let e = Entry(plan: plan, outputTemplate: output)
            st.cache[sig] = e
            return e
        }
        // A program that captured a tracer of an enclosing transform cannot be cached: run eagerly.
        guard let entry else { return body(x, s) }
        let results = entry.plan.run(leaves.map { $0.concrete(for: "jit") })
        return entry.outputTemplate.replacingLeaves(results.map { Tensor(array: $0) })
    }

    private func explainMiss(previous: Signature?, current: Signature) -> String {
        guard let previous else { return "first call: traced for \(describe(current))" }
        if previous.structure != current.structure { return "the argument's tree structure changed" }
        if previous.types.count != current.types.count { return "the number of tensors changed from \(previous.types.count) to \(current.types.count)" }
        for (i, (a, b)) in zip(previous.types, current.types).enumerated() where a != b {
            if a.shape != b.shape { return "tensor \(i) changed shape from \(a.shape) to \(b.shape)" }
            return "tensor \(i) changed dtype from \(a.dtype) to \(b.dtype)"
        }
        if previous.staticValue != current.staticValue {
            return "the static argument changed from \(previous.staticValue) to \(current.staticValue)"
        }
        return "a signature seen before was evicted"
    }

    private func describe(_ s: Signature) -> String {
        s.types.map(\.description).joined(separator: ", ")
    }
}

/// A jitted function of one tree.
extension JitFunction where S == StaticNone {
    public func callAsFunction(_ x: T) -> U { call(x, StaticNone()) }
    /// The optimized program for arguments like `x`.
    public func program(for x: T) -> Program { program(x, StaticNone()) }
}

/// A jitted function of a tree and a static argument (part of the cache key, a constant in the
/// program).
extension JitFunction {
    public func callAsFunction(_ x: T, _ staticArgument: S) -> U { call(x, staticArgument) }
    public func program(for x: T, _ staticArgument: S) -> Program { program(x, staticArgument) }
}

/// The static argument of a function that has none.
public struct StaticNone: Hashable, Sendable {}

/// Compiles `f` with a cache keyed by the argument's structure, shapes and dtypes.
public func jit<T: TensorTree, U: TensorTree>(_ f: @escaping (T) -> U) -> JitFunction<T, StaticNone, U> {
    JitFunction { x, _ in f(x) }
}

/// Compiles `f` whose second argument is static: a Swift value (an integer, a flag, an enum) that
/// is fixed in the program and part of the cache key, so Swift control flow may depend on it.
public func jit<T: TensorTree, S: Hashable & Sendable, U: TensorTree>(_ f: @escaping (T, S) -> U) -> JitFunction<T, S, U> {
    JitFunction(f)
}

/// A description of a tree's shape apart from its tensors (keys, counts and non-tensor values).
func treeStructure<T: TensorTree>(_ x: T) -> String {
    if x is Tensor { return "T" }
    if let array = x as? [Tensor] { return "[T×\(array.count)]" }
    let recorder = TreeRecorder()
    try? x.encode(to: recorder)
    return recorder.events.map { event -> String in
        switch event {
        case .leaf: return "T"
        case .value(let v): return "\(v)"
        case .keyed(let keys): return "{" + keys.joined(separator: ",") + "}"
        case .unkeyed(let n): return "[\(n)]"
        case .nilValue: return "nil"
        }
    }.joined(separator: " ")
}
