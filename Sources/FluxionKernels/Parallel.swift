import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Splitting large loops over the machine's cores.
@usableFromInline package enum Parallel {
    /// The number of worker threads a large loop is split into.
    @usableFromInline package static let threads: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

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
        let chunks = min(threads, count / max(minimumChunk, 1))
        if chunks <= 1 {
            body(0..<count, context)
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable((body, context))
            DispatchQueue.concurrentPerform(iterations: chunks) { i in
                box.value.0(i * count / chunks ..< (i + 1) * count / chunks, box.value.1)
            }
        }
    }
}

/// Wraps a value that the caller guarantees is used safely across threads (disjoint writes).
@usableFromInline package struct UncheckedSendable<T>: @unchecked Sendable {
    @usableFromInline package let value: T
    @inlinable package init(_ value: T) { self.value = value }
}
