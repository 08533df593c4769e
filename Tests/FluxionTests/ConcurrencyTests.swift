import Testing
@testable import Fluxion
import FluxionTestSupport
import Foundation

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

    /// `concurrentMap` returns the calls' results in order, equal to running them one by one; inside
    /// a call the engine's loops and products stay on one thread; a jitted function runs in all
    /// calls at once; the first error by index is thrown after every call finished.
    @Test func concurrentMapRunsIndependentComputations() throws {
        let x = Random.normal(PRNGKey(seed: 1), shape: [4096, 64]), w = Random.normal(PRNGKey(seed: 2), shape: [64, 64])
        let f = jit { (x: Tensor, w: Tensor) in tanh(matmul(x, w)).sum(alongAxes: [0]) }
        let blocks = (0..<6).map { x[($0 * 600)..<(($0 + 1) * 600 + 496)] }
        let alone = blocks.map { f($0, w).doubles }
        var threadsInside: [Int] = []
        let together = concurrentMap(blocks.count) { i -> [Double] in
            if i == 0 { threadsInside.append(Parallel.threads) }
            return f(blocks[i], w).doubles
        }
        #expect(together == alone)
        #expect(threadsInside == [1] && Parallel.threads == Parallel.cores)

        struct Failure: Error, Equatable { let index: Int }
        var ran = Set<Int>()
        let lock = NSLock()
        #expect(throws: Failure(index: 2)) {
            _ = try concurrentMap(8) { (i: Int) throws(Failure) -> Int in
                lock.withLock { _ = ran.insert(i) }
                if i == 2 || i == 5 { throw Failure(index: i) }
                return i
            }
        }
        #expect(ran == Set(0..<8))
    }

    /// Inside a transform the calls run on the calling thread, which holds the transform's state: a
    /// gradient through `concurrentMap` is the gradient of the same sum written directly.
    @Test func concurrentMapInsideTransforms() {
        let x = Tensor([0.3, -1.2, 0.7, 2.0])
        let direct = grad { (x: Tensor) in (sin(x) * x).sum() }(x)
        let f = { (x: Tensor) in concurrentMap(2) { i in (sin(x[(2 * i)..<(2 * i + 2)]) * x[(2 * i)..<(2 * i + 2)]).sum() }.reduce(Tensor(0.0), +) }
        #expect(grad(f)(x).doubles == direct.doubles)
        #expect(jit(grad(f))(x).doubles.elementsEqual(direct.doubles) { abs($0 - $1) < 1e-14 })
    }

    /// The worker pool runs every piece of a split loop exactly once: back-to-back jobs (the workers
    /// still watching), a job whose pieces split their own loops, and jobs from several threads at
    /// once (one runs on the pool, the others through Dispatch).
    @Test func workerPoolRunsEveryPieceOnce() async {
        func check(_ count: Int, _ run: (Int, (Int) -> Void) -> Void) -> Bool {
            let hits = UnsafeMutablePointer<Int>.allocate(capacity: count)
            hits.initialize(repeating: 0, count: count)
            defer { hits.deallocate() }
            run(count) { hits[$0] += 1 }
            return (0..<count).allSatisfy { hits[$0] == 1 }
        }
        for count in [2, 3, 17, 1000] {
            for _ in 0..<50 { #expect(check(count) { n, body in Parallel.perform(n, body) }) }
        }
        #expect(check(64) { n, body in Parallel.perform(8) { i in Parallel.perform(8) { j in body(8 * i + j) } } })
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<200).allSatisfy { _ in check(9) { n, body in Parallel.perform(n, body) } } }
            }
            return await group.reduce(true) { $0 && $1 }
        }
        #expect(results)
    }
}
