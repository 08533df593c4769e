import Benchmark

// The benchmark suite. Each workload of the design notes is measured beside its peer in the same run;
// ratios are Fluxion's median over the peer's.
//
//   swift package --disable-sandbox benchmark                       # everything
//   swift package --disable-sandbox benchmark --filter "W1.*"       # one workload
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident],
        warmupIterations: 2,
        maxDuration: .seconds(4),
        maxIterations: 200
    )
    foundationBenchmarks()
    differentiationBenchmarks()
    taylorBenchmarks()
    jitBenchmarks()
    ioBenchmarks()
    nnBenchmarks()
    mdBenchmarks()
}
