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
    private let cache = JitCache()

    init(_ body: @escaping (T, S) -> U) { self.body = body }

    /// How many times the function has been traced (one per cache miss).
    public var traceCount: Int { cache.traceCount }

    /// The number of compiled signatures held.
    public var cacheSize: Int { cache.cacheSize }

    /// Why the last cache miss happened: which argument changed shape, dtype, structure or static
    /// value relative to the signature seen before it (nil before any miss).
    public var lastMissExplanation: String? { cache.lastMissExplanation }

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
        var arrays: [ArrayValue] = []
        arrays.reserveCapacity(leaves.count)
        var types: [TensorType] = []
        types.reserveCapacity(leaves.count)
        for leaf in leaves {
            // Under an enclosing transform the arguments are tracers: inline.
            guard case .concrete(let a) = leaf.storage else { return body(x, s) }
            arrays.append(a)
            types.append(a.type)
        }
        let plain = T.self == Tensor.self || T.self == [Tensor].self
        let signature = JitCache.Signature(structure: plain ? "" : treeStructure(x), types: types,
                                           staticValue: S.self == StaticNone.self ? nil : AnyHashable(s))
        // A program that captured a tracer of an enclosing transform cannot be cached: run eagerly.
        guard let entry = cache.entry(signature, stage: { let (p, o) = stage(x, s); return (p, o) }) else { return body(x, s) }
        let results = entry.plan.run(arrays)
        if U.self == Tensor.self { return Tensor(array: results[0]) as! U }
        return (entry.outputTemplate as! U).replacingLeaves(results.map { Tensor(array: $0) })
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
