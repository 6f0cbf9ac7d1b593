/// A short byte string held in the value itself when it fits in 23 bytes, on the heap
/// otherwise.
///
/// The matcher's normalised values (a folded name, a postcode, a city, a street word) are
/// short. As arrays, each costs an allocation of 48 bytes or more and a reference count,
/// and a record holds a dozen of them; held inline, a value decoded from a record's bytes
/// allocates nothing (``MatchRecord`` keeps only those bytes and decodes values as a
/// comparison reads them).
struct CompactBytes: RandomAccessCollection, Hashable, Sendable, CustomStringConvertible {
    /// Bytes 0..<8, 8..<16 and 16..<23, the lowest byte first; the top byte of `word2` is
    /// the count, or 0xFF when the bytes are on the heap. Bytes past the count are zero, so
    /// equal strings have equal words.
    private var word0: UInt64 = 0
    private var word1: UInt64 = 0
    private var word2: UInt64 = 0
    private var heap: [UInt8]?

    /// The longest string held inline.
    static let inlineCapacity = 23

    /// The empty string.
    init() {}

    /// A copy of the bytes in `buffer`, in three word loads rather than byte by byte: what
    /// decoding a record's values does for each of them.
    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        let count = buffer.count
        guard count <= Self.inlineCapacity else {
            heap = Array(buffer)
            word2 = 0xFF << 56
            return
        }
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(buffer)) }
        word0 = UInt64(littleEndian: words.0)
        word1 = UInt64(littleEndian: words.1)
        word2 = UInt64(littleEndian: words.2) | UInt64(count) << 56
    }

    /// A copy of `bytes`.
    init(_ bytes: some Collection<UInt8>) {
        if let copied = bytes.withContiguousStorageIfAvailable({ CompactBytes($0) }) {
            self = copied
            return
        }
        let count = bytes.count
        guard count <= Self.inlineCapacity else {
            heap = Array(bytes)
            word2 = 0xFF << 56
            return
        }
        var index = 0
        for byte in bytes {
            let shift = UInt64(index & 7) * 8
            switch index >> 3 {
            case 0: word0 |= UInt64(byte) << shift
            case 1: word1 |= UInt64(byte) << shift
            default: word2 |= UInt64(byte) << shift
            }
            index += 1
        }
        word2 |= UInt64(count) << 56
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    var count: Int {
        if let heap { return heap.count }
        return Int(word2 >> 56)
    }

    subscript(position: Int) -> UInt8 {
        if let heap { return heap[position] }
        precondition(position >= 0 && position < Int(word2 >> 56), "CompactBytes index out of range")
        let word = position < 8 ? word0 : position < 16 ? word1 : word2
        return UInt8(truncatingIfNeeded: word >> (UInt64(position & 7) * 8))
    }

    /// Calls `body` with the bytes in contiguous memory, which lives only for the call.
    func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let heap { return try heap.withUnsafeBufferPointer(body) }
        let count = Int(word2 >> 56)
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw.storeBytes(of: word0.littleEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: word1.littleEndian, toByteOffset: 8, as: UInt64.self)
            raw.storeBytes(of: word2.littleEndian, toByteOffset: 16, as: UInt64.self)
            return try body(UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }

    /// The bytes as UTF-8 text.
    var description: String { withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) } }
}

/// A short list of 64-bit integers held in the value itself when it has at most three, on
/// the heap otherwise: the token hashes and offsets of a normalised value (see
/// ``CompactBytes``).
struct CompactWords: RandomAccessCollection, Hashable, Sendable {
    private var word0: UInt64 = 0
    private var word1: UInt64 = 0
    private var word2: UInt64 = 0
    /// How many words are inline; unused when they are on the heap.
    private var inlineCount: UInt8 = 0
    private var heap: [UInt64]?

    /// The longest list held inline.
    static let inlineCapacity = 3

    /// The empty list.
    init() {}

    /// A copy of `words`.
    init(_ words: some Collection<UInt64>) {
        guard words.count <= Self.inlineCapacity else {
            heap = Array(words)
            return
        }
        for word in words {
            switch inlineCount {
            case 0: word0 = word
            case 1: word1 = word
            default: word2 = word
            }
            inlineCount += 1
        }
    }

    /// The first `count` (at most three) of `first`, `second` and `third`.
    init(_ first: UInt64, _ second: UInt64, _ third: UInt64, count: Int) {
        precondition(count >= 0 && count <= Self.inlineCapacity, "CompactWords holds three words inline")
        (word0, word1, word2) = (count > 0 ? first : 0, count > 1 ? second : 0, count > 2 ? third : 0)
        inlineCount = UInt8(count)
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    var count: Int {
        if let heap { return heap.count }
        return Int(inlineCount)
    }

    subscript(position: Int) -> UInt64 {
        if let heap { return heap[position] }
        precondition(position >= 0 && position < Int(inlineCount), "CompactWords index out of range")
        return position == 0 ? word0 : position == 1 ? word1 : word2
    }
}
