import Testing
@testable import Fluxion
import FluxionTestSupport

@Suite("Concurrent use")
struct ConcurrencyTests {
    /// Several tasks plan and run FFTs of new shapes, products and factorizations at once; each result
    /// must equal the one computed alone. Planning new FFT shapes concurrently exercises the plan lock.
    @Test func libraryIsSafeUnderConcurrentUse() async throws {
        let sizes = Array(17...32)
        let inputs = sizes.map { n in Tensor((0..<(n * n)).map { Double(($0 * 7919) % 101) / 101 }, shape: [n, n]) }
        func work(_ x: Tensor) throws -> [Double] {
            let f = FFT.ifft2(FFT.fft2(x))
            let spd = matmul(x, x.mT) + Tensor.eye(x.shape[0]) * Double(x.shape[0])
            let l = try Linalg.cholesky(spd)
            return real(f).doubles + matmul(l, l.mT).doubles + FFT.dct(x).doubles
        }
        let results = try await withThrowingTaskGroup(of: (Int, [Double]).self) { group in
            for (i, x) in inputs.enumerated() {
                for _ in 0..<3 { group.addTask { (i, try work(x)) } }
            }
            var all: [(Int, [Double])] = []
            for try await r in group { all.append(r) }
            return all
        }
        for (i, values) in results {
            #expect(values == (try work(inputs[i])))
        }
        #expect(results.count == sizes.count * 3)
    }
}
