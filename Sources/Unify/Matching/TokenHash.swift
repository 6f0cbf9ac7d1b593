/// A stable 64-bit FNV-1a hash of bytes, for comparing tokens and grouping blocking keys.
///
/// Unlike Swift's `Hasher`, which is seeded per process, the value is the same in every run,
/// so anything ordered by it (blocks, candidate pairs) is deterministic. A collision only
/// makes two tokens look equal or two blocks share candidates, with odds of about one in
/// 2^64 per pair of distinct inputs.
enum TokenHash {
    /// The hash of `bytes`.
    static func of<Bytes: Sequence<UInt8>>(_ bytes: Bytes, seed: UInt64 = 0xCBF2_9CE4_8422_2325) -> UInt64 {
        var hash = seed
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
