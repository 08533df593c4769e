import Benchmark

/// Registers a benchmark of warm calls. package-benchmark runs a benchmark's closure once per
/// iteration, so work done in it before `startMeasurement()` — building inputs, tracing and
/// compiling — is redone for every sample, and each sample then times a call made just after a
/// compilation, with the program's plan not yet in cache. Here `prepare` runs once, in the first
/// (warm-up) iteration, and returns the call that every iteration times: a function compiled once
/// and called many times, as the peers' scripts measure theirs.
func warmCalls(_ name: String, configuration: Benchmark.Configuration = Benchmark.defaultConfiguration,
               _ prepare: @escaping @Sendable () -> () -> Void) {
    let prepared = PreparedCall()
    Benchmark(name, configuration: configuration) { benchmark in
        let call = prepared.call(preparingWith: prepare)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { call() }
    }
}

/// The call a warm benchmark times, made by its first iteration. package-benchmark runs one
/// benchmark's iterations one after another on one thread, so the unsynchronized state is safe.
private final class PreparedCall: @unchecked Sendable {
    private var prepared: (() -> Void)?

    func call(preparingWith prepare: () -> () -> Void) -> () -> Void {
        if let prepared { return prepared }
        let made = prepare()
        prepared = made
        return made
    }
}
