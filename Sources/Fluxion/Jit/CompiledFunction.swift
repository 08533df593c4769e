/// The non-generic core of a jitted function: it stages the function on flat leaves, caches one
/// optimized program and plan per signature, runs the plan on concrete arguments, and binds a
/// ``Call`` of the program when the arguments are traced by an enclosing transform. Keeping it
/// free of generic parameters keeps the cached-call path free of generic metadata lookups.
final class CompiledFunction: @unchecked Sendable {
    /// Runs the Swift function on leaves (tracers while staging) rebuilt with the given structures
    /// and static value; returns the output leaves and structures. It throws only if the Swift
    /// function does.
    typealias Trace = ([Tensor], [TreeStructure], AnyHashable?) throws -> ([Tensor], [TreeStructure])

    let cache = JitCache()
    private let trace: Trace

    init(trace: @escaping Trace) {
        self.trace = trace
    }

    private func stage(_ types: [TensorType], _ structures: [TreeStructure], _ staticValue: AnyHashable?)
        throws -> (Program, [TreeStructure]) {
        var outStructures: [TreeStructure] = []
        let program = try StagingInterpreter.stage(types, blockingMaps: true) { leaves in
            let (out, s) = try trace(leaves, structures, staticValue)
            outStructures = s
            return out
        }
        return (program, outStructures)
    }

    /// The output leaves of a call and the structures of the result's trees (which the typed caller
    /// rebuilds the result from: no `Any` in between), or nil when the function must run as Swift
    /// code (it captured a tracer of an enclosing transform, which a compiled program cannot hold).
    func call(_ leaves: [Tensor], _ structures: [TreeStructure], staticValue: AnyHashable?) throws
        -> (leaves: [Tensor], structures: [TreeStructure])? {
        let concrete = leaves.allSatisfy { if case .concrete = $0.storage { true } else { false } }
        guard let entry = try cache.lastEntry(leaves, structures, staticValue: staticValue) ?? {
            let types = leaves.map { $0.type }
            let signature = JitCache.Signature(structures: structures, types: types, staticValue: staticValue)
            return try cache.entry(signature, stage: { try stage(types, structures, staticValue) })
        }() else { return nil }
        let outputs: [Tensor]
        if concrete {
            outputs = entry.plan.run(leaves)
        } else {
            // Traced by an enclosing transform: bind a call of the compiled program.
            outputs = bind(Call(function: entry.function), leaves)
        }
        return (outputs, entry.outputStructures)
    }

    /// The optimized program for a signature (staged afresh).
    func program(_ leaves: [Tensor], _ structures: [TreeStructure], staticValue: AnyHashable?) throws -> Program {
        Passes.optimize(try stage(leaves.map(\.type), structures, staticValue).0)
    }
}
