import CVectorMath
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Fluxion's worker threads for loops split over the cores (`Parallel.forChunks`, products).
///
/// Waking a sleeping thread takes tens of microseconds (45 µs median measured on a 2-core VM, where
/// a split loop of 2 × 50 µs took as long as running both halves on one thread), and a jitted
/// program runs dozens of split operations back to back. So after finishing a piece of work each
/// worker keeps watching for the next for a short while (``spinSeconds``) before it sleeps, and the
/// next operation's pieces start at once. The calling thread takes pieces too, and waits (spinning)
/// until every piece is done. One job runs at a time: a loop started while the pool is busy (a
/// piece of a job that splits its own loops, or another thread's) runs through Dispatch instead.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool(workers: Parallel.cores - 1)

    /// How long an idle worker watches for work before sleeping.
    static let spinSeconds = 200e-6

    /// One split loop: `body(i)` for `i` in `0..<count`, pieces taken in order by whoever is free.
    /// The body is held through a pointer, not retained: a worker may still hold the job (finding no
    /// piece left) after the caller returned, and the body must not outlive the caller's scope.
    private final class Job: @unchecked Sendable {
        let body: UnsafePointer<(Int) -> Void>
        let count: Int
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        init(_ body: UnsafePointer<(Int) -> Void>, count: Int) {
            self.body = body
            self.count = count
        }
        /// Takes and runs pieces until none is left.
        func work() {
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < count else { return }
                body.pointee(i)
                done.add(1, ordering: .releasing)
            }
        }
    }

    private let workers: Int
    /// Bumped for every job; workers watch it.
    private let generation = Atomic<Int>(0)
    private let current = Mutex<Job?>(nil)
    /// Held by the thread whose job runs.
    private let busy = Atomic<Bool>(false)
    private let sleeping = Atomic<Int>(0)
    private let wake = DispatchSemaphore(value: 0)

    private init(workers: Int) {
        self.workers = max(0, workers)
        for _ in 0..<self.workers {
            var thread = pthread_t()
            let context = Unmanaged.passRetained(self).toOpaque()
            let created = pthread_create(&thread, nil, { context in
                Unmanaged<WorkerPool>.fromOpaque(context!).takeUnretainedValue().workerLoop()
                return nil
            }, context)
            if created == 0 { pthread_detach(thread) } else { Unmanaged<WorkerPool>.fromOpaque(context).release() }
        }
    }

    /// Runs `body(0) … body(count − 1)` on the pool's workers and the calling thread; returns when all
    /// are done.
    func perform(_ count: Int, _ body: (Int) -> Void) {
        if workers == 0 || count == 1 {
            for i in 0..<count { body(i) }
            return
        }
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            // Busy (a nested split, or another thread's job): Dispatch's pool.
            withoutActuallyEscaping(body) { body in
                let box = UncheckedSendable(body)
                DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
            }
            return
        }
        withoutActuallyEscaping(body) { body in
            let stored = UnsafeMutablePointer<(Int) -> Void>.allocate(capacity: 1)
            stored.initialize(to: body)
            defer { stored.deinitialize(count: 1); stored.deallocate() }
            let job = Job(stored, count: count)
            current.withLock { $0 = job }
            generation.add(1, ordering: .releasing)
            let asleep = sleeping.exchange(0, ordering: .acquiringAndReleasing)
            for _ in 0..<asleep { wake.signal() }
            job.work()
            // Every piece taken is finished by whoever took it; `body` is not called after this.
            while job.done.load(ordering: .acquiring) < count { fluxion_cpu_relax() }
            current.withLock { $0 = nil }
        }
        busy.store(false, ordering: .releasing)
    }

    private func workerLoop() {
        var seen = generation.load(ordering: .acquiring)
        while true {
            // Watch for the next job for a while, then sleep until one is posted.
            var spins = 0, started = 0.0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins & 255 == 0 {
                    let now = Self.seconds()
                    if started == 0 { started = now } else if now - started > Self.spinSeconds { break }
                }
                fluxion_cpu_relax()
            }
            if generation.load(ordering: .acquiring) == seen {
                sleeping.add(1, ordering: .acquiringAndReleasing)
                // A job posted between the check above and the count is seen here; a wake-up then
                // left in the semaphore only costs one extra turn of this loop later.
                if generation.load(ordering: .acquiring) == seen { wake.wait() }
                continue
            }
            seen = generation.load(ordering: .acquiring)
            if let job = current.withLock({ $0 }) { job.work() }
        }
    }

    private static func seconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
