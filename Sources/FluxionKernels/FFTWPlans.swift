import Foundation
import CFFTW
import Synchronization

/// FFTW plans, cached per transform description behind a lock.
///
/// FFTW's planner is not thread-safe, so planning (and the cache) is serialized by a mutex; executing
/// a plan on new arrays (`fftw_execute_dft` and friends) is thread-safe. Plans are made on scratch
/// arrays of the same layout, since planning with `FFTW_MEASURE` overwrites its arrays, and executed
/// on the tensors' own buffers (64-byte aligned, except tiny ones, which are planned unaligned).
package enum FFTWPlans {
    /// How hard FFTW searches for a fast plan. `.measure` times candidate algorithms once per new
    /// transform shape (milliseconds to seconds), then runs faster; `.estimate` plans instantly.
    package enum Effort: Sendable { case estimate, measure }

    /// The kind of transform a plan computes.
    package enum Kind: Hashable, Sendable {
        case complex(forward: Bool)
        case realToComplex
        case complexToReal
        case realToReal([Int32])   // FFTW r2r kinds, one per transformed axis
    }

    /// One dimension of FFTW's guru interface: extent, input stride, output stride (in elements).
    package struct Dim: Hashable, Sendable {
        let n: Int
        let inputStride: Int
        let outputStride: Int
    }

    package struct Key: Hashable, Sendable {
        package let kind: Kind
        package let dims: [Dim]
        package let loops: [Dim]
        package let inputCount: Int
        package let outputCount: Int
        package let effort: Effort

        package init(kind: Kind, dims: [Dim], loops: [Dim], inputCount: Int, outputCount: Int, effort: Effort) {
            self.kind = kind
            self.dims = dims
            self.loops = loops
            self.inputCount = inputCount
            self.outputCount = outputCount
            self.effort = effort
        }
    }

    private struct Plan: @unchecked Sendable { let plan: fftw_plan }

    private static let cache = Mutex<[Key: Plan]>([:])
    private static let effortSetting = Mutex<Effort>(.estimate)
    /// Transforms with at least this many elements are planned for several threads.
    private static let threadedSize = 1 << 16

    /// The planning effort used for transforms not yet planned: `compiledEffort` inside a compiled
    /// (jitted) program, else the setting.
    package static var effort: Effort {
        get { compiledEffort ?? effortSetting.withLock { $0 } }
        set { effortSetting.withLock { $0 = newValue } }
    }

    /// The effort for transforms in compiled programs, set while one runs: `.measure`, so that
    /// planning belongs to the first call (compilation), as XLA's does.
    @TaskLocal package static var compiledEffort: Effort?

    /// Whether a plan with this effort exists (for tests).
    package static func hasPlans(effort: Effort) -> Bool {
        cache.withLock { $0.keys.contains { $0.effort == effort } }
    }

    /// Where measured plans are remembered between processes (FFTW wisdom):
    /// `$FLUXION_CACHE_DIR`, else `$XDG_CACHE_HOME/fluxion`, else `~/.cache/fluxion`.
    package static var wisdomPath: String? {
        let env = ProcessInfo.processInfo.environment
        let directory = env["FLUXION_CACHE_DIR"] ?? env["XDG_CACHE_HOME"].map { $0 + "/fluxion" }
            ?? env["HOME"].map { $0 + "/.cache/fluxion" }
        return directory.map { $0 + "/fftw-wisdom" }
    }

    /// Reads the wisdom file once, before the first measured plan.
    private static let wisdomLoaded: Bool = {
        guard let path = wisdomPath else { return false }
        return fftw_import_wisdom_from_filename(path) != 0
    }()

    /// Writes the wisdom after a measured plan, atomically (a temporary file renamed over the old).
    private static func saveWisdom() {
        guard let path = wisdomPath else { return }
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = path + ".\(getpid()).tmp"
        if fftw_export_wisdom_to_filename(temporary) != 0 { rename(temporary, path) } else { unlink(temporary) }
    }

    private static let threadsReady: Bool = fftw_init_threads() != 0

    /// The plan for `key`, made on first use.
    private static func plan(_ key: Key) -> fftw_plan {
        cache.withLock { cache in
            if let p = cache[key] { return p.plan }
            _ = threadsReady
            fftw_plan_with_nthreads(key.inputCount >= threadedSize ? Int32(Parallel.threads) : 1)
            // Only c2r may destroy its input (FFTW cannot preserve it in several dimensions); its caller
            // passes a copy. Every other kind leaves the tensor's buffer intact.
            let preserve = key.kind == .complexToReal ? FFTW_DESTROY_INPUT : FFTW_PRESERVE_INPUT
            // Tiny arrays are only 16-byte aligned (see BufferCache); tell FFTW not to assume more.
            let unaligned = key.inputCount * 16 < BufferCache.smallBytes || key.outputCount * 16 < BufferCache.smallBytes
                ? FFTW_UNALIGNED : 0
            if key.effort == .measure { _ = wisdomLoaded }
            let flags = (key.effort == .measure ? FFTW_MEASURE : FFTW_ESTIMATE) | preserve | unaligned
            let dims = key.dims.map { fftw_iodim(n: Int32($0.n), is: Int32($0.inputStride), os: Int32($0.outputStride)) }
            let loops = key.loops.map { fftw_iodim(n: Int32($0.n), is: Int32($0.inputStride), os: Int32($0.outputStride)) }
            let input = fftw_malloc(max(key.inputCount, 1) * 16)!
            let output = fftw_malloc(max(key.outputCount, 1) * 16)!
            defer { fftw_free(input); fftw_free(output) }
            let made: fftw_plan?
            switch key.kind {
            case .complex(let forward):
                made = fftw_plan_guru_dft(Int32(dims.count), dims, Int32(loops.count), loops,
                                          input.assumingMemoryBound(to: fftw_complex.self),
                                          output.assumingMemoryBound(to: fftw_complex.self),
                                          forward ? FFTW_FORWARD : FFTW_BACKWARD, flags)
            case .realToComplex:
                made = fftw_plan_guru_dft_r2c(Int32(dims.count), dims, Int32(loops.count), loops,
                                              input.assumingMemoryBound(to: Double.self),
                                              output.assumingMemoryBound(to: fftw_complex.self), flags)
            case .complexToReal:
                made = fftw_plan_guru_dft_c2r(Int32(dims.count), dims, Int32(loops.count), loops,
                                              input.assumingMemoryBound(to: fftw_complex.self),
                                              output.assumingMemoryBound(to: Double.self), flags)
            case .realToReal(let kinds):
                let k = kinds.map { fftw_r2r_kind(UInt32($0)) }
                made = fftw_plan_guru_r2r(Int32(dims.count), dims, Int32(loops.count), loops,
                                          input.assumingMemoryBound(to: Double.self),
                                          output.assumingMemoryBound(to: Double.self), k, flags)
            }
            guard let made else { fatalError("fft: FFTW could not plan the transform \(key)") }
            cache[key] = Plan(plan: made)
            if key.effort == .measure { saveWisdom() }
            return made
        }
    }

    /// Runs the transform described by `key` from `input` into `output` (a c2r input is destroyed).
    package static func execute(_ key: Key, _ input: UnsafeMutableRawPointer, _ output: UnsafeMutableRawPointer) {
        if key.dims.contains(where: { $0.n == 0 }) || key.loops.contains(where: { $0.n == 0 }) { return }
        let p = plan(key)
        switch key.kind {
        case .complex:
            fftw_execute_dft(p, input.assumingMemoryBound(to: fftw_complex.self), output.assumingMemoryBound(to: fftw_complex.self))
        case .realToComplex:
            fftw_execute_dft_r2c(p, input.assumingMemoryBound(to: Double.self), output.assumingMemoryBound(to: fftw_complex.self))
        case .complexToReal:
            fftw_execute_dft_c2r(p, input.assumingMemoryBound(to: fftw_complex.self), output.assumingMemoryBound(to: Double.self))
        case .realToReal:
            fftw_execute_r2r(p, input.assumingMemoryBound(to: Double.self), output.assumingMemoryBound(to: Double.self))
        }
    }

    /// Guru dimensions for transforming `axes` of arrays with row-major shapes `inShape` and
    /// `outShape`: the transformed axes (extents from `logical`), and every other axis as a loop.
    package static func layout(axes: [Int], logical: [Int], inShape: [Int], outShape: [Int]) -> (dims: [Dim], loops: [Dim]) {
        let si = StridedCopy.contiguousStrides(inShape), so = StridedCopy.contiguousStrides(outShape)
        let dims = zip(axes, logical).map { Dim(n: $0.1, inputStride: si[$0.0], outputStride: so[$0.0]) }
        let loops = (0..<inShape.count).filter { !axes.contains($0) }.map {
            Dim(n: inShape[$0], inputStride: si[$0], outputStride: so[$0])
        }
        return (dims, loops)
    }
}
