import Synchronization

/// The non-generic core of ``JitFunction``: signatures, the cache of plans, trace counting and miss
/// explanations. Keeping it free of generic parameters keeps the cached-call path free of generic
/// metadata lookups when it is called from other modules.
final class JitCache: @unchecked Sendable {
    struct Signature: Hashable {
        let structure: String
        let types: [TensorType]
        let staticValue: AnyHashable?
    }

    struct Entry: @unchecked Sendable {
        let plan: ExecutionPlan
        /// The traced output tree, whose structure rebuilds each call's outputs.
        let outputTemplate: Any
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

    /// The entry for `signature`, staging with `stage` on a miss; nil when the staged program
    /// captured a tracer of an enclosing transform (it then cannot be cached).
    func entry(_ signature: Signature, stage: () -> (Program, Any)) -> Entry? {
        state.withLock { st in
            if let (lastSig, lastEntry) = st.last, lastSig == signature { return lastEntry }
            if let hit = st.cache[signature] {
                st.last = (signature, hit)
                return hit
            }
            st.traces += 1
            st.lastMiss = Self.explain(previous: st.lastSignature, current: signature)
            st.lastSignature = signature
            let (program, output) = stage()
            guard let plan = ExecutionPlan(Passes.optimize(program)) else { return nil }
            let e = Entry(plan: plan, outputTemplate: output)
            st.cache[signature] = e
            st.last = (signature, e)
            return e
        }
    }

    static func explain(previous: Signature?, current: Signature) -> String {
        guard let previous else {
            return "first call: traced for " + current.types.map(\.description).joined(separator: ", ")
        }
        if previous.structure != current.structure { return "the argument's tree structure changed" }
        if previous.types.count != current.types.count {
            return "the number of tensors changed from \(previous.types.count) to \(current.types.count)"
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
