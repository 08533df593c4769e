import Benchmark
import Fluxion
import Foundation

/// Reading one 256 MiB member of an NPZ archive, stored and deflated: the peak resident memory should
/// be about the member's size (the file is mapped, the elements read or inflated straight into the
/// tensor). The archives are written once, before the measurement, and kept in the temporary folder.
func ioBenchmarks() {
    let count = 1 << 25   // 2^25 float64: 256 MiB
    for compressed in [false, true] {
        let name = compressed ? "deflated" : "stored"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fluxion-benchmark-256MiB-\(name).npz")
        Benchmark("IO read a 256 MiB NPZ member, \(name) / Fluxion",
                  configuration: .init(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(10), maxIterations: 5)) { benchmark in
            if !FileManager.default.fileExists(atPath: url.path) {
                // A smooth signal with some noise: compressible, but not trivially.
                let x = sin(Tensor.linspace(0, 1000, count: count)) + 1e-3 * Random.normal(PRNGKey(seed: 7), shape: [count])
                try NPZ.write(["small": Tensor([1.0, 2.0]), "x": x], to: url, compressed: compressed)
            }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try NPZArchive(contentsOf: url).tensor(named: "x"))
            }
        }
    }
}
