import Dispatch

/// The fused loop over a neighbor list: energy, forces and virial of a pair potential in one pass,
/// split into a fixed number of chunks of about equal pair counts that run in parallel, each with
/// its own force array, summed in chunk order — so the result does not depend on the thread count
/// or the scheduling (restarts are bit-for-bit on any machine).
struct PairLoop<K: PairKernel>: Sendable {
    let kernel: K

    typealias Runner = @Sendable (NeighborList, [Double], [Double], [Int]?, Int) -> (energy: Double, forces: [Double], virial: [Double])

    /// The loop for a kernel, specialized for the shipped potentials (a generic loop calls the
    /// kernel through its witness table, per pair; a concrete one inlines it).
    static func runner(_ kernel: K) -> Runner {
        if let k = kernel as? LennardJones.Kernel {
            let loop = PairLoop<LennardJones.Kernel>(kernel: k)
            return { loop.run($0, positions: $1, shifts: $2, species: $3, speciesCount: $4) }
        }
        if let k = kernel as? Morse.Kernel {
            let loop = PairLoop<Morse.Kernel>(kernel: k)
            return { loop.run($0, positions: $1, shifts: $2, species: $3, speciesCount: $4) }
        }
        if let k = kernel as? SoftSphere.Kernel {
            let loop = PairLoop<SoftSphere.Kernel>(kernel: k)
            return { loop.run($0, positions: $1, shifts: $2, species: $3, speciesCount: $4) }
        }
        let loop = PairLoop(kernel: kernel)
        return { loop.run($0, positions: $1, shifts: $2, species: $3, speciesCount: $4) }
    }
    /// Chunks (fixed, not the core count, for determinism).
    static var chunkCount: Int { 4 }

    /// `positions` are the list's unwrapped positions (flat), `shifts` its image vectors (flat).
    func run(_ list: NeighborList, positions u: [Double], shifts: [Double], species: [Int]?, speciesCount: Int)
        -> (energy: Double, forces: [Double], virial: [Double]) {
        let n = list.atomCount, d = list.box.dimension
        let chunks = n < 512 ? 1 : Self.chunkCount
        // Chunk boundaries in atoms, by pair count.
        var bounds = [0]
        for c in 1..<chunks {
            let target = list.pairCount * c / chunks
            var a = bounds.last!
            while a < n && list.offsets[a] < target { a += 1 }
            bounds.append(a)
        }
        bounds.append(n)
        let ranges = (0..<chunks).map { bounds[$0]..<bounds[$0 + 1] }
        let results = Slots<(Double, [Double], [Double])>(chunks, (0, [], []))
        let work = { @Sendable (c: Int) in
            results.slots[c] = d == 3 ? self.chunk3(list, u, shifts, species, speciesCount, ranges[c])
                                      : self.chunk(list, u, shifts, species, speciesCount, ranges[c])
        }
        if chunks == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: work) }
        let forces = results.slots.map { $0.1 }, virials = results.slots.map { $0.2 }
        let energies = results.slots.map { $0.0 }
        var total = forces[0]
        for c in 1..<chunks { for k in 0..<total.count { total[k] += forces[c][k] } }
        var imageForces = virials[0]
        for c in 1..<chunks { for k in 0..<imageForces.count { imageForces[k] += virials[c][k] } }
        // W = Σ_pairs (u_j + s − u_i) ⊗ f = Σ_k u_k ⊗ F_k + Σ_images s ⊗ (Σ of its pairs' f): one pass
        // over the atoms instead of six products per pair.
        var virial = [Double](repeating: 0, count: d * d)
        for a in 0..<n { for r in 0..<d { for c in 0..<d { virial[r * d + c] += u[a * d + r] * total[a * d + c] } } }
        for m in 0..<(imageForces.count / d) {
            for r in 0..<d { for c in 0..<d { virial[r * d + c] += shifts[m * d + r] * imageForces[m * d + c] } }
        }
        // Symmetric in exact arithmetic; symmetrized against rounding.
        for r in 0..<d { for c in (r + 1)..<d where c < d {
            let mean = 0.5 * (virial[r * d + c] + virial[c * d + r])
            virial[r * d + c] = mean
            virial[c * d + r] = mean
        } }
        return (energies.reduce(0, +), total, virial)
    }

    /// Any dimension.
    func chunk(_ list: NeighborList, _ u: [Double], _ shifts: [Double], _ species: [Int]?, _ s: Int, _ atoms: Range<Int>)
        -> (Double, [Double], [Double]) {
        let d = list.box.dimension, zero = list.zeroImage
        var f = [Double](repeating: 0, count: u.count), w = [Double](repeating: 0, count: list.images.count * d), energy = 0.0
        var x = [Double](repeating: 0, count: d)
        for i in atoms {
            for p in list.offsets[i]..<list.offsets[i + 1] {
                let j = Int(list.neighbors[p]), m = Int(list.imageIndices[p])
                var r2 = 0.0
                for c in 0..<d { x[c] = u[j * d + c] + shifts[m * d + c] - u[i * d + c]; r2 += x[c] * x[c] }
                let pair = species.map { $0[i] * s + $0[j] } ?? 0
                guard r2 < kernel.cutoffSquared(pair) else { continue }
                let (e, fr) = kernel.evaluate(r2, pair)
                // A self-image pair (i == j) acts on one atom twice: its forces cancel, energy counts once.
                energy += e
                for c in 0..<d {
                    f[j * d + c] += fr * x[c]
                    f[i * d + c] -= fr * x[c]
                    if m != zero { w[m * d + c] += fr * x[c] }
                }
            }
        }
        return (energy, f, w)
    }

    /// Three dimensions, unrolled.
    func chunk3(_ list: NeighborList, _ u: [Double], _ shifts: [Double], _ species: [Int]?, _ s: Int, _ atoms: Range<Int>)
        -> (Double, [Double], [Double]) {
        var f = [Double](repeating: 0, count: u.count)
        var imageForces = [Double](repeating: 0, count: 3 * list.images.count)
        var energy = 0.0
        u.withUnsafeBufferPointer { u in
        shifts.withUnsafeBufferPointer { shifts in
        list.neighbors.withUnsafeBufferPointer { neighbors in
        list.imageIndices.withUnsafeBufferPointer { images in
        f.withUnsafeMutableBufferPointer { f in
            for i in atoms {
                let xi = u[3 * i], yi = u[3 * i + 1], zi = u[3 * i + 2]
                var fxi = 0.0, fyi = 0.0, fzi = 0.0
                let si = species.map { $0[i] * s } ?? 0
                // Pairs seen directly: no image shift.
                for p in list.offsets[i]..<list.directEnd[i] {
                    let j = Int(neighbors[p])
                    let dx = u[3 * j] - xi, dy = u[3 * j + 1] - yi, dz = u[3 * j + 2] - zi
                    let r2 = dx * dx + dy * dy + dz * dz
                    let pair = species.map { si + $0[j] } ?? 0
                    var (e, fr) = (0.0, 0.0)
                    if K.finiteBeyondCutoff {
                        // Without a branch: evaluated for every pair, zeroed beyond the cutoff.
                        let inside: Double = r2 < kernel.cutoffSquared(pair) ? 1 : 0
                        (e, fr) = kernel.evaluate(r2, pair)
                        (e, fr) = (e * inside, fr * inside)
                    } else {
                        guard r2 < kernel.cutoffSquared(pair) else { continue }
                        (e, fr) = kernel.evaluate(r2, pair)
                    }
                    energy += e
                    let fx = fr * dx, fy = fr * dy, fz = fr * dz
                    f[3 * j] += fx; f[3 * j + 1] += fy; f[3 * j + 2] += fz
                    fxi -= fx; fyi -= fy; fzi -= fz
                }
                // Pairs through a periodic image.
                for p in list.directEnd[i]..<list.offsets[i + 1] {
                    let j = Int(neighbors[p]), m = 3 * Int(images[p])
                    let dx = u[3 * j] + shifts[m] - xi, dy = u[3 * j + 1] + shifts[m + 1] - yi
                    let dz = u[3 * j + 2] + shifts[m + 2] - zi
                    let r2 = dx * dx + dy * dy + dz * dz
                    let pair = species.map { si + $0[j] } ?? 0
                    guard r2 < kernel.cutoffSquared(pair) else { continue }
                    let (e, fr) = kernel.evaluate(r2, pair)
                    // A self-image pair (i == j) acts on one atom twice: its forces cancel, energy counts once.
                    energy += e
                    let fx = fr * dx, fy = fr * dy, fz = fr * dz
                    f[3 * j] += fx; f[3 * j + 1] += fy; f[3 * j + 2] += fz
                    fxi -= fx; fyi -= fy; fzi -= fz
                    // The virial is Σ_k u_k ⊗ F_k + Σ_pairs s ⊗ f (see `run`): only pairs seen through
                    // an image add here.
                    imageForces[m] += fx; imageForces[m + 1] += fy; imageForces[m + 2] += fz
                }
                f[3 * i] += fxi; f[3 * i + 1] += fyi; f[3 * i + 2] += fzi
            }
        } } } } }
        return (energy, f, imageForces)
    }
}

/// One result slot per chunk of a parallel loop; each chunk writes only its own slot (through a
/// raw buffer, so no two threads touch the same array value).
final class Slots<T>: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<T>
    init(_ count: Int, _ initial: T) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: initial)
    }
    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }
}
