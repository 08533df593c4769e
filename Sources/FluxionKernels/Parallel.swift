import CVectorMath
#if canImport(Glibc)
import Glibc
#endif

/// Splitting large loops over the machine's cores.
@usableFromInline package enum Parallel {
    /// The cores this process may run on (its affinity mask, so `taskset -c 1` means one).
    @usableFromInline package static let cores: Int = max(1, Int(fluxion_available_cpus()))

    /// Whether this thread runs one of several independent computations started by ``map(_:_:)``:
    /// the cores are then shared out by computation, and its loops and products stay on this thread.
    @TaskLocal @usableFromInline package static var isSharedOut = false

    /// The number of worker threads a large loop is split into: the machine's cores, or one inside a
    /// computation that ``map(_:_:)`` runs beside others.
    @inlinable package static var threads: Int { isSharedOut ? 1 : cores }

    /// Runs `body(0) … body(count − 1)` on the machine's cores, each call on one thread whose own
    /// loops and products are not split further (one thread budget: the parallelism is the calls'),
    /// and returns the results in order. Errors are rethrown after every call has finished (the first
    /// by index).
    package static func map<T, E: Error>(_ count: Int, _ body: (Int) throws(E) -> T) throws(E) -> [T] {
        if count <= 1 || threads == 1 { return try serialMap(count, body) }
        let results = UnsafeMutablePointer<Result<T, E>?>.allocate(capacity: count)
        results.initialize(repeating: nil, count: count)
        defer { results.deinitialize(count: count); results.deallocate() }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable((body, results))
            // Pieces are taken in order by whichever thread is free, so a `count` above the number
            // of cores balances itself.
            perform(count) { i in
                $isSharedOut.withValue(true) {
                    box.value.1[i] = Result { () throws(E) -> T in try box.value.0(i) }
                }
            }
        }
        return try values(UnsafeBufferPointer(start: results, count: count).lazy.map { $0.unsafelyUnwrapped })
    }

    /// Below this many elements per thread, a loop runs on the calling thread: the cost of waking a
    /// second thread (a few microseconds) is then larger than the work it would take over.
    @usableFromInline package static let minimumChunk = 1 << 15

    /// Runs `body` over disjoint chunks of `0..<count`, on several threads when `count` is large.
    @inlinable package static func forChunks(_ count: Int, minimumChunk: Int = Parallel.minimumChunk,
                                             _ body: (Range<Int>) -> Void) {
        forChunks(count, minimumChunk: minimumChunk, passing: ()) { range, _ in body(range) }
    }

    /// ``forChunks(_:minimumChunk:_:)`` with the loop's pointers passed to `body` rather than captured:
    /// a body that captures only constants (the element function of a generic loop, known at the
    /// call site) is specialized by the compiler with that function inlined. Captured beside the
    /// pointers, the function stays a closure value, called through its context for every element.
    /// Inlinable, so that the loops calling it are specialized in the engine's module.
    @inlinable package static func forChunks<Context>(_ count: Int, minimumChunk: Int = Parallel.minimumChunk,
                                                      passing context: Context, _ body: (Range<Int>, Context) -> Void) {
        // The size test first: a small loop does not read the thread budget (a task-local value).
        let pieces = count / max(minimumChunk, 1)
        let chunks = pieces <= 1 ? 1 : min(threads, pieces)
        if chunks <= 1 {
            body(0..<count, context)
            return
        }
        perform(chunks) { i in body(i * count / chunks ..< (i + 1) * count / chunks, context) }
    }

    /// ``map(_:_:)`` on the calling thread, one call after another: every call runs, then the first
    /// error by index is thrown.
    package static func serialMap<T, E: Error>(_ count: Int, _ body: (Int) throws(E) -> T) throws(E) -> [T] {
        try values((0..<count).map { i in Result { () throws(E) -> T in try body(i) } })
    }

    /// The calls' values in order, or the first error by index.
    private static func values<T, E: Error>(_ results: some Collection<Result<T, E>>) throws(E) -> [T] {
        var out: [T] = []
        out.reserveCapacity(results.count)
        for r in results { out.append(try r.get()) }
        return out
    }

    /// Runs `body(0) … body(count − 1)` on Fluxion's workers (``WorkerPool``) and the calling
    /// thread, and returns when all are done; one after another on this thread when it has one
    /// thread (``threads``: inside a computation ``map(_:_:)`` runs beside others).
    @usableFromInline package static func perform(_ count: Int, _ body: (Int) -> Void) {
        if threads == 1 {
            for i in 0..<count { body(i) }
            return
        }
        WorkerPool.shared.perform(count, body)
    }
}

/// Wraps a value that the caller guarantees is used safely across threads (disjoint writes).
@usableFromInline package struct UncheckedSendable<T>: @unchecked Sendable {
    @usableFromInline package let value: T
    @inlinable package init(_ value: T) { self.value = value }
}
