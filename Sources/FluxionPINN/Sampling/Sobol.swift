import Fluxion

/// The Sobol sequence in base 2 by the Gray-code construction (Antonov–Saleev), 32 bits per
/// coordinate, with Joe and Kuo's direction numbers, randomized by a digital shift (each coordinate's
/// bits XORed with a random 32-bit word from the key), which keeps every (t, m, s)-net property.
struct Sobol {
    /// Joe–Kuo (new-joe-kuo-6.21201) for dimensions 2…21: degree s, coefficient a, initial m₁…mₛ.
    static let table: [(s: Int, a: UInt32, m: [UInt32])] = [
        (1, 0, [1]), (2, 1, [1, 3]), (3, 1, [1, 3, 1]), (3, 2, [1, 1, 1]), (4, 1, [1, 1, 3, 3]),
        (4, 4, [1, 3, 5, 13]), (5, 2, [1, 1, 5, 5, 17]), (5, 4, [1, 1, 5, 5, 5]), (5, 7, [1, 1, 7, 11, 19]),
        (5, 11, [1, 1, 5, 1, 1]), (5, 13, [1, 1, 1, 3, 11]), (5, 14, [1, 3, 5, 5, 31]),
        (6, 1, [1, 3, 3, 9, 7, 49]), (6, 13, [1, 1, 1, 15, 21, 21]), (6, 16, [1, 3, 1, 13, 27, 49]),
        (6, 19, [1, 1, 1, 15, 7, 5]), (6, 22, [1, 3, 1, 15, 13, 25]), (6, 25, [1, 1, 5, 5, 19, 61]),
        (7, 1, [1, 3, 7, 11, 23, 15, 103]), (7, 4, [1, 3, 7, 13, 13, 15, 69]),
    ]
    static let bits = 32
    static var maxDimension: Int { table.count + 1 }

    /// Direction numbers `v[j][k]` for coordinate j, bit k.
    let directions: [[UInt32]]
    let shift: [UInt32]

    /// `key == nil` gives the plain (unshifted) sequence.
    init(dimension: Int, key: PRNGKey?) throws(GeometryError) {
        guard dimension <= Sobol.maxDimension else {
            throw .invalid("sobol sampling: at most \(Sobol.maxDimension) dimensions, got \(dimension)")
        }
        var directions = [(1...Sobol.bits).map { UInt32(1) << UInt32(Sobol.bits - $0) }]
        for j in 1..<dimension {
            let (s, a, m0) = Sobol.table[j - 1]
            var m = m0
            for k in s..<Sobol.bits {
                // m_k = 2a₁m_{k−1} ⊕ 4a₂m_{k−2} ⊕ … ⊕ 2^{s−1}a_{s−1}m_{k−s+1} ⊕ 2^s m_{k−s} ⊕ m_{k−s}
                var value = m[k - s] ^ (m[k - s] << UInt32(s))
                for i in 1..<s where (a >> UInt32(s - 1 - i)) & 1 == 1 { value ^= m[k - i] << UInt32(i) }
                m.append(value)
            }
            directions.append((0..<Sobol.bits).map { m[$0] << UInt32(Sobol.bits - 1 - $0) })
        }
        self.directions = directions
        if let key {
            shift = Random.integers(key, shape: [dimension], low: 0, high: 1 << 32).scalars(as: Int64.self).map { UInt32($0) }
        } else {
            shift = [UInt32](repeating: 0, count: dimension)
        }
    }

    /// Points `offset ..< offset + count` of the sequence.
    func points(_ count: Int, offset: Int = 0) -> [[Double]] {
        let d = directions.count
        // The Gray-code state at `offset`: the XOR of the directions of the set bits of offset's Gray code.
        var x = [UInt32](repeating: 0, count: d)
        let gray = offset ^ (offset >> 1)
        for k in 0..<Sobol.bits where (gray >> k) & 1 == 1 { for j in 0..<d { x[j] ^= directions[j][k] } }
        var result: [[Double]] = []
        result.reserveCapacity(count)
        for n in offset..<(offset + count) {
            result.append((0..<d).map { Double(x[$0] ^ shift[$0]) / 4_294_967_296.0 })
            let c = (~n).trailingZeroBitCount          // the lowest zero bit of n
            if c < Sobol.bits { for j in 0..<d { x[j] ^= directions[j][c] } }
        }
        return result
    }
}

/// The Halton sequence: coordinate j is the radical inverse of the index in the j-th prime base,
/// indices from 1, randomized by a shift modulo 1 (Cranley–Patterson).
struct Halton {
    let bases: [Int]
    let shift: [Double]

    init(dimension: Int, key: PRNGKey?) throws(GeometryError) {
        guard dimension <= 64 else { throw .invalid("halton sampling: at most 64 dimensions, got \(dimension)") }
        var primes: [Int] = [], n = 2
        while primes.count < dimension {
            if primes.allSatisfy({ n % $0 != 0 }) { primes.append(n) }
            n += 1
        }
        bases = primes
        shift = key.map { Vec.uniforms($0, dimension) } ?? [Double](repeating: 0, count: dimension)
    }

    static func radicalInverse(_ i: Int, base: Int) -> Double {
        var (i, f, r) = (i, 1.0, 0.0)
        while i > 0 {
            f /= Double(base)
            r += f * Double(i % base)
            i /= base
        }
        return r
    }

    func points(_ count: Int, offset: Int = 0) -> [[Double]] {
        (offset..<(offset + count)).map { i in
            bases.indices.map { j in
                let v = Halton.radicalInverse(i + 1, base: bases[j]) + shift[j]
                return v >= 1 ? v - 1 : v
            }
        }
    }
}
