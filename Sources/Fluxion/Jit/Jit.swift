/// A compiled function of any number of trees: `jit(f)` stages `f` to a ``Program`` the first time
/// it sees a new signature (tree structures, leaf shapes and dtypes), optimizes and plans it, and
/// afterwards runs the plan without tracing.
///
/// ```swift
/// let step = jit { (p: Params) in valueAndGrad(loss)(p) }
/// let (l, g) = step(params)       // traces, optimizes, plans
/// let (l2, g2) = step(params2)    // same shapes: runs the cached plan
/// print(step.traceCount)          // 1
/// ```
///
/// Calls are safe from several threads at once. Under another transform (`grad`, `vmap`, `jvp`, or
/// another `jit`) a jitted function binds a `call` of its compiled program, whose derivative and
/// batching rules are derived from the program once; the Swift function is not traced again.
public final class JitFunction<each A: TensorTree, Result>: @unchecked Sendable {
    private let implementation: JitImplementation<repeat each A, Result>

    init(_ body: @escaping (repeat each A) -> Result, outputs: OutputCoding<Result>) {
        implementation = JitImplementation(body, outputs: outputs)
    }

    /// How many times the function has been traced (one per cache miss).
    public var traceCount: Int { implementation.compiled.cache.traceCount }
    /// The number of compiled signatures held.
    public var cacheSize: Int { implementation.compiled.cache.cacheSize }
    /// Why the last cache miss happened: which argument changed shape, dtype, structure or static
    /// value relative to the signature seen before it (nil before any miss).
    public var lastMissExplanation: String? { implementation.compiled.cache.lastMissExplanation }

    /// Calls the compiled function.
    public func callAsFunction(_ args: repeat each A) -> Result {
        // The body does not throw, so neither does tracing it.
        try! implementation.call(repeat each args)
    }

    /// The optimized program for arguments like these (staged afresh; the cache is not touched).
    public func program(for args: repeat each A) -> Program {
        try! implementation.program(repeat each args)
    }
}

/// A compiled function whose body can throw (`try Linalg.cholesky(...)` inside): an error thrown
/// while tracing is thrown by the call and leaves the cache as it was. The compiled program itself
/// does not throw; data-dependent failures inside it follow the primitive's rules under `jit`.
public final class ThrowingJitFunction<each A: TensorTree, Result>: @unchecked Sendable {
    private let implementation: JitImplementation<repeat each A, Result>

    init(_ body: @escaping (repeat each A) throws -> Result, outputs: OutputCoding<Result>) {
        implementation = JitImplementation(body, outputs: outputs)
    }

    public var traceCount: Int { implementation.compiled.cache.traceCount }
    public var cacheSize: Int { implementation.compiled.cache.cacheSize }
    public var lastMissExplanation: String? { implementation.compiled.cache.lastMissExplanation }

    /// Calls the compiled function; throws what the body throws while it is traced.
    public func callAsFunction(_ args: repeat each A) throws -> Result {
        try implementation.call(repeat each args)
    }

    public func program(for args: repeat each A) throws -> Program {
        try implementation.program(repeat each args)
    }
}

/// What ``JitFunction`` and ``ThrowingJitFunction`` share: the compiled core and the Swift body, run
/// as Swift code when it captured a tracer of an enclosing transform.
final class JitImplementation<each A: TensorTree, Result>: @unchecked Sendable {
    let compiled: CompiledFunction
    private let body: (repeat each A) throws -> Result
    private let rebuild: @Sendable ([Tensor], [TreeStructure]) -> Result

    init(_ body: @escaping (repeat each A) throws -> Result, outputs: OutputCoding<Result>) {
        self.body = body
        rebuild = outputs.rebuild
        compiled = CompiledFunction(trace: { leaves, structures, _ in
            let cursor = LeafCursor(leaves, structures)
            let args = (repeat cursor.next((each A).self))
            return outputs.flatten(try body(repeat each args))
        })
    }

    func call(_ args: repeat each A) throws -> Result {
        let (leaves, structures) = flattenArguments(repeat each args)
        guard let result = try compiled.call(leaves, structures, staticValue: nil) else { return try body(repeat each args) }
        return rebuild(result.leaves, result.structures)
    }

    func program(_ args: repeat each A) throws -> Program {
        let (leaves, structures) = flattenArguments(repeat each args)
        return try compiled.program(leaves, structures, staticValue: nil)
    }
}

/// A compiled function of a tree and a static argument: a Swift value (an integer, a flag, an
/// enum) that is fixed in the program and part of the cache key, so Swift control flow may depend
/// on it.
public final class StaticJitFunction<T: TensorTree, S: Hashable & Sendable, Result>: @unchecked Sendable {
    private let compiled: CompiledFunction
    private let body: (T, S) -> Result
    private let rebuild: @Sendable ([Tensor], [TreeStructure]) -> Result

    init(_ body: @escaping (T, S) -> Result, outputs: OutputCoding<Result>) {
        self.body = body
        rebuild = outputs.rebuild
        compiled = CompiledFunction(
            trace: { leaves, structures, s in outputs.flatten(body(T.unflatten(structures[0], leaves: leaves), s!.base as! S)) })
    }

    public var traceCount: Int { compiled.cache.traceCount }
    public var cacheSize: Int { compiled.cache.cacheSize }
    public var lastMissExplanation: String? { compiled.cache.lastMissExplanation }

    public func callAsFunction(_ x: T, _ staticArgument: S) -> Result {
        let (leaves, structure) = x.flattened()
        // The body does not throw, so neither does tracing it.
        guard let result = try! compiled.call(leaves, [structure], staticValue: AnyHashable(staticArgument)) else {
            return body(x, staticArgument)
        }
        return rebuild(result.leaves, result.structures)
    }

    public func program(for x: T, _ staticArgument: S) -> Program {
        let (leaves, structure) = x.flattened()
        return try! compiled.program(leaves, [structure], staticValue: AnyHashable(staticArgument))
    }
}

// MARK: jit

/// Compiles `f`, a function of trees returning a tree, with a cache keyed by the arguments' tree
/// structures, shapes and dtypes.
public func jit<each A: TensorTree, U: TensorTree>(_ f: @escaping (repeat each A) -> U) -> JitFunction<repeat each A, U> {
    JitFunction(f, outputs: .tree(U.self))
}

/// Compiles `f`, a function of trees returning two trees (a value and a gradient, a state and an
/// observation).
public func jit<each A: TensorTree, U1: TensorTree, U2: TensorTree>(_ f: @escaping (repeat each A) -> (U1, U2))
    -> JitFunction<repeat each A, (U1, U2)> {
    JitFunction(f, outputs: .pair(U1.self, U2.self))
}

/// Compiles `f`, a function of trees returning three trees.
public func jit<each A: TensorTree, U1: TensorTree, U2: TensorTree, U3: TensorTree>(_ f: @escaping (repeat each A) -> (U1, U2, U3))
    -> JitFunction<repeat each A, (U1, U2, U3)> {
    JitFunction(f, outputs: .triple(U1.self, U2.self, U3.self))
}

/// Compiles `f`, whose body can throw while it is traced:
///
/// ```swift
/// let solve = jit { (a: Tensor, b: Tensor) throws in try Linalg.solve(a, b) }
/// let x = try solve(a, b)
/// ```
public func jit<each A: TensorTree, U: TensorTree>(_ f: @escaping (repeat each A) throws -> U)
    -> ThrowingJitFunction<repeat each A, U> {
    ThrowingJitFunction(f, outputs: .tree(U.self))
}

/// Compiles `f`, whose body can throw, returning two trees.
public func jit<each A: TensorTree, U1: TensorTree, U2: TensorTree>(_ f: @escaping (repeat each A) throws -> (U1, U2))
    -> ThrowingJitFunction<repeat each A, (U1, U2)> {
    ThrowingJitFunction(f, outputs: .pair(U1.self, U2.self))
}

/// `jit(f)` of a throwing function of one tree, where a function is expected.
@_disfavoredOverload
public func jit<A: TensorTree, U: TensorTree>(_ f: @escaping (A) throws -> U) -> (A) throws -> U {
    let compiled = ThrowingJitFunction(f, outputs: .tree(U.self))
    return { try compiled($0) }
}

/// Compiles `f` whose second argument is static (part of the cache key, a constant in the program).
///
/// ```swift
/// let power = jit { (x: Tensor, n: Int) in pow(x, Double(n)) }
/// ```
public func jit<T: TensorTree, S: Hashable & Sendable, U: TensorTree>(_ f: @escaping (T, S) -> U) -> StaticJitFunction<T, S, U> {
    StaticJitFunction(f, outputs: .tree(U.self))
}

/// `jit(f)` where a function is expected: `grad(jit(f))`, `vmap(jit(f))`, or a compiled function
/// passed as a closure. The result keeps its compile cache.
@_disfavoredOverload
public func jit<A: TensorTree, U: TensorTree>(_ f: @escaping (A) -> U) -> (A) -> U {
    let compiled = JitFunction(f, outputs: .tree(U.self))
    return { compiled($0) }
}

/// `jit(f)` of a function of two trees, where a function is expected.
@_disfavoredOverload
public func jit<A: TensorTree, B: TensorTree, U: TensorTree>(_ f: @escaping (A, B) -> U) -> (A, B) -> U {
    let compiled = JitFunction(f, outputs: .tree(U.self))
    return { compiled($0, $1) }
}

/// `jit(f)` of a function of three trees, where a function is expected.
@_disfavoredOverload
public func jit<A: TensorTree, B: TensorTree, C: TensorTree, U: TensorTree>(_ f: @escaping (A, B, C) -> U) -> (A, B, C) -> U {
    let compiled = JitFunction(f, outputs: .tree(U.self))
    return { compiled($0, $1, $2) }
}

// MARK: flattening arguments and results

/// The leaves of several trees, one after the other, and each tree's structure.
func flattenArguments<each A: TensorTree>(_ args: repeat each A) -> ([Tensor], [TreeStructure]) {
    var leaves: [Tensor] = [], structures: [TreeStructure] = []
    for a in repeat each args {
        let (l, s) = a.flattened()
        if leaves.isEmpty { leaves = l } else { leaves += l }     // one argument: its own array, no copy
        structures.append(s)
    }
    return (leaves, structures)
}

/// Hands out the argument trees of a call one by one from their flat leaves.
final class LeafCursor {
    private let leaves: [Tensor]
    private let structures: [TreeStructure]
    private var leafPosition = 0, treePosition = 0

    init(_ leaves: [Tensor], _ structures: [TreeStructure]) {
        self.leaves = leaves
        self.structures = structures
    }

    func next<T: TensorTree>(_ type: T.Type) -> T {
        let s = structures[treePosition]
        defer { treePosition += 1; leafPosition += s.leafCount }
        return T.unflatten(s, leaves: Array(leaves[leafPosition..<(leafPosition + s.leafCount)]))
    }
}

/// How a jitted function's result is taken apart into leaves and put back together: a tree, or a
/// tuple of trees.
struct OutputCoding<Result>: Sendable {
    let flatten: @Sendable (Result) -> ([Tensor], [TreeStructure])
    let rebuild: @Sendable ([Tensor], [TreeStructure]) -> Result

    static func tree<U: TensorTree>(_: U.Type) -> OutputCoding<U> {
        OutputCoding<U>(flatten: { let (l, s) = $0.flattened(); return (l, [s]) },
                        rebuild: { l, s in U.unflatten(s[0], leaves: l) })
    }

    static func pair<U1: TensorTree, U2: TensorTree>(_: U1.Type, _: U2.Type) -> OutputCoding<(U1, U2)> {
        OutputCoding<(U1, U2)>(
            flatten: { r in
                let (a, b) = (r.0.flattened(), r.1.flattened())
                return (a.leaves + b.leaves, [a.structure, b.structure])
            },
            rebuild: { l, s in
                let c = LeafCursor(l, s)
                return (c.next(U1.self), c.next(U2.self))
            })
    }

    static func triple<U1: TensorTree, U2: TensorTree, U3: TensorTree>(_: U1.Type, _: U2.Type, _: U3.Type)
        -> OutputCoding<(U1, U2, U3)> {
        OutputCoding<(U1, U2, U3)>(
            flatten: { r in
                let (a, b, c) = (r.0.flattened(), r.1.flattened(), r.2.flattened())
                return (a.leaves + b.leaves + c.leaves, [a.structure, b.structure, c.structure])
            },
            rebuild: { l, s in
                let c = LeafCursor(l, s)
                return (c.next(U1.self), c.next(U2.self), c.next(U3.self))
            })
    }
}
