/// MurmurHash3 (x64, 128-bit) of a byte string.
///
/// Used for two things that need speed and a wide digest but no secrecy: the id of an
/// event that arrived without one (a hash of its canonical JSON; 128 bits make an
/// accidental clash among billions of events negligible), and the 64-bit integer key that
/// indexes event ids in the log (an integer index stays fast where a text one does not).
struct ContentDigest: Hashable, Sendable {
    var high: UInt64
    var low: UInt64

    init(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) {
        let c1: UInt64 = 0x87c3_7b91_1142_53d5
        let c2: UInt64 = 0x4cf5_ad43_2745_937f
        var h1 = seed
        var h2 = seed
        let count = bytes.count
        let blockCount = count / 16
        for block in 0..<blockCount {
            var k1 = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: block * 16, as: UInt64.self))
            var k2 = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: block * 16 + 8, as: UInt64.self))
            k1 &*= c1; k1 = k1.rotatedLeft(31); k1 &*= c2; h1 ^= k1
            h1 = h1.rotatedLeft(27); h1 &+= h2; h1 = h1 &* 5 &+ 0x52dc_e729
            k2 &*= c2; k2 = k2.rotatedLeft(33); k2 &*= c1; h2 ^= k2
            h2 = h2.rotatedLeft(31); h2 &+= h1; h2 = h2 &* 5 &+ 0x3849_5ab5
        }
        let tail = blockCount * 16
        var k1: UInt64 = 0
        var k2: UInt64 = 0
        for position in stride(from: count - 1, through: tail, by: -1) {
            let byte = UInt64(bytes[position])
            let shift = UInt64((position - tail) % 8) * 8
            if position - tail >= 8 { k2 ^= byte << shift } else { k1 ^= byte << shift }
        }
        if count - tail > 8 { k2 &*= c2; k2 = k2.rotatedLeft(33); k2 &*= c1; h2 ^= k2 }
        if count - tail > 0 { k1 &*= c1; k1 = k1.rotatedLeft(31); k1 &*= c2; h1 ^= k1 }
        h1 ^= UInt64(count); h2 ^= UInt64(count)
        h1 &+= h2; h2 &+= h1
        h1 = ContentDigest.finalMix(h1); h2 = ContentDigest.finalMix(h2)
        h1 &+= h2; h2 &+= h1
        high = h1
        low = h2
    }

    init(_ text: String) {
        var text = text
        self = text.withUTF8 { ContentDigest(UnsafeRawBufferPointer($0)) }
    }

    /// The first 64 bits as a signed integer, the shape SQLite stores in an INTEGER column.
    var integerKey: Int64 { Int64(bitPattern: high) }

    /// 32 lower-case hex digits, as MurmurHash3 reference code prints (h1 then h2, big-endian).
    var hex: String {
        func digits(_ value: UInt64) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }
        return digits(high) + digits(low)
    }

    private static func finalMix(_ value: UInt64) -> UInt64 {
        var k = value
        k ^= k >> 33
        k &*= 0xff51_afd7_ed55_8ccd
        k ^= k >> 33
        k &*= 0xc4ce_b9fe_1a85_ec53
        k ^= k >> 33
        return k
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotatedLeft(_ count: UInt64) -> UInt64 { (self << count) | (self >> (64 - count)) }
}
