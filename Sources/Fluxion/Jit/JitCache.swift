import Synchronization

/// The cache of a jitted function: signatures, compiled entries, trace counting and miss
/// explanations.
final class JitCache: @unchecked Sendable {
    struct Signature: Hashable {
        let structures: [TreeStructure]
        let types: [TensorType]
        let staticValue: AnyHashable?
    }

    struct Entry: @unchecked Sendable {
        let plan: ExecutionPlan
        /// The optimized program, called by enclosing transforms.
        let function: ClosedFunction
        /// The structures of the result's trees.
        let outputStructures: [TreeStructure]
    }

    private struct State: @unchecked Sendable {
        var cache: [Signature: Entry] = [:]
        /// The previous call's entry: loops call with one signature, and comparing is cheaper than hashing.
        var last: (Signature, Entry)?
        var traces = 0
        var lastSignature: Signature?
        var lastMiss: String?
    }

    private let state = Mutex(State())

    var traceCount: Int { state.withLock { $0.traces } }
    var cacheSize: Int { state.withLock { $0.cache.count } }
    var lastMissExplanation: String? { state.withLock { $0.lastMiss } }

    /// The previous call's entry when this call has the same signature, compared field by field
    /// against the leaves without building a ``Signature`` (the common case of a loop).
    func lastEntry(_ leaves: [Tensor], _ structures: [TreeStructure], staticValue: AnyHashable?) -> Entry? {
        state.withLock { st in
            guard let (signature, entry) = st.last, signature.types.count == leaves.count,
                  signature.staticValue == staticValue, signature.structures == structures else { return nil }
            for (type, leaf) in zip(signature.types, leaves) where type.dtype != leaf.dtype || type.shape != leaf.shape {
                return nil
            }
            return entry
        }
    }

    /// The entry for `signature` (after ``lastEntry(_:_:staticValue:)`` missed), staging with `stage`
    /// on a miss; nil when the staged program captured a tracer of an enclosing transform (it then
    /// cannot be cached). An error thrown while staging leaves the cache as it was.
    func entry(_ signature: Signature, stage: () throws -> (Program, [TreeStructure])) throws -> Entry? {
        try state.withLock { st in
            if let hit = st.cache[signature] {
                st.last = (signature, hit)
                return hit
            }
            let (program, outStructures) = try stage()
            let optimized = Passes.optimize(program)
            guard let plan = ExecutionPlan(optimized) else { return nil }
            st.traces += 1
            st.lastMiss = Self.explain(previous: st.lastSignature, current: signature)
            st.lastSignature = signature
            let e = Entry(plan: plan, function: ClosedFunction(optimized: optimized), outputStructures: outStructures)
            st.cache[signature] = e
            st.last = (signature, e)
            return e
        }
    }

    static func explain(previous: Signature?, current: Signature) -> String {
        guard let previous else {
            return "first call: traced for " + current.types.map(\.description).joined(separator: ", ")
        }
        if previous.structures.count != current.structures.count {
            return "the number of arguments changed from \(previous.structures.count) to \(current.structures.count)"
        }
        for (i, (a, b)) in zip(previous.structures, current.structures).enumerated() {
            if let d = b.difference(from: a, words: ("now", "before")) {
                return "the tree structure of argument \(i) changed: \(d) (non-tensor values are static; keep a value "
                    + "that changes from call to call, such as a step counter, in a scalar Tensor)"
            }
        }
        for (i, (a, b)) in zip(previous.types, current.types).enumerated() where a != b {
            if a.shape != b.shape { return "tensor \(i) changed shape from \(a.shape) to \(b.shape)" }
            return "tensor \(i) changed dtype from \(a.dtype) to \(b.dtype)"
        }
        if previous.staticValue != current.staticValue {
            return "the static argument changed from \(previous.staticValue?.base ?? "none") to \(current.staticValue?.base ?? "none")"
        }
        return "a signature seen before was evicted"
    }
}
