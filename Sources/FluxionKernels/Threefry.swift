/// The Threefry-2x32 block cipher with 20 rounds (Salmon et al., "Parallel random numbers: as easy as
/// 1, 2, 3", SC 2011), the counter-based generator JAX also uses: output `i` depends only on the key
/// and the counter `i`, so streams are reproducible on any machine, in any order, on any thread.
package enum Threefry {
    private static let rotations: [UInt32] = [13, 15, 26, 6, 17, 29, 16, 24]

    @inline(__always)
    private static func rotl(_ x: UInt32, _ r: UInt32) -> UInt32 { (x << r) | (x >> (32 - r)) }

    /// Encrypts the counter `(c0, c1)` under the key `(k0, k1)`.
    package static func hash(_ k0: UInt32, _ k1: UInt32, _ c0: UInt32, _ c1: UInt32) -> (UInt32, UInt32) {
        let ks = (k0, k1, k0 ^ k1 ^ 0x1BD1_1BDA)
        func key(_ i: Int) -> UInt32 { i % 3 == 0 ? ks.0 : i % 3 == 1 ? ks.1 : ks.2 }
        var x0 = c0 &+ ks.0, x1 = c1 &+ ks.1
        for round in 0..<20 {
            x0 = x0 &+ x1
            x1 = rotl(x1, rotations[round % 8])
            x1 ^= x0
            if round % 4 == 3 {
                // Key injection every four rounds.
                let s = round / 4 + 1
                x0 = x0 &+ key(s)
                x1 = x1 &+ key(s + 1) &+ UInt32(s)
            }
        }
        return (x0, x1)
    }

    /// `count` 32-bit words from the key: word `2p` and `2p + 1` are the hash of the 64-bit counter `p`.
    package static func bits(_ k0: UInt32, _ k1: UInt32, count: Int) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: count)
        for p in 0..<((count + 1) / 2) {
            let (y0, y1) = hash(k0, k1, UInt32(truncatingIfNeeded: p >> 32), UInt32(truncatingIfNeeded: p))
            out[2 * p] = y0
            if 2 * p + 1 < count { out[2 * p + 1] = y1 }
        }
        return out
    }
}
