/// The Jaro–Winkler similarity of two strings, from 0 (nothing in common) to 1 (equal).
///
/// The standard definition: characters match when equal and no further apart than half the
/// longer length minus one; Jaro is the mean of the two matched fractions and of the matches
/// not transposed; Winkler adds 0.1 of the remaining distance per common leading character,
/// for at most 4, when Jaro is above 0.7 (Winkler's boost threshold). Published values:
/// MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.840, DIXON/DICKSONX 0.813.
///
/// It compares bytes, which is exact for folded Latin text (``FoldedText`` leaves it ASCII)
/// and an approximation for other scripts. The result does not depend on argument order:
/// greedy matching can otherwise differ by a hair when the arguments are swapped, and scores
/// must not depend on which record came first.
///
/// ```swift
/// JaroWinkler.similarity("dupuis", "dupuy")   // 0.893
/// ```
enum JaroWinkler {
    /// Winkler's scale for each common leading character.
    static let prefixScale = 0.1
    /// The longest common prefix that earns a bonus.
    static let maximumPrefix = 4
    /// Jaro similarity below which no prefix bonus is given.
    static let boostThreshold = 0.7

    /// The similarity of two byte strings; 1 when both are empty, 0 when only one is.
    static func similarity(_ a: [UInt8], _ b: [UInt8]) -> Double {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in similarity(a, b) }
        }
    }

    /// The similarity of two normalised values' bytes.
    static func similarity(_ a: CompactBytes, _ b: CompactBytes) -> Double {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in similarity(a, b) }
        }
    }

    /// The similarity of the UTF-8 bytes of two strings, taken as written (no folding).
    static func similarity(_ a: String, _ b: String) -> Double {
        similarity(Array(a.utf8), Array(b.utf8))
    }

    /// The similarity of two byte buffers; allocates nothing on the heap for names of usual
    /// length (the match flags live on the stack).
    static func similarity(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        if a.isEmpty || b.isEmpty { return a.isEmpty && b.isEmpty ? 1 : 0 }
        // A canonical order (shorter first, then by bytes) makes the greedy matching symmetric.
        if a.count > b.count || (a.count == b.count && b.lexicographicallyPrecedes(a)) {
            return ordered(b, a)
        }
        return ordered(a, b)
    }

    /// Jaro–Winkler of buffers already in canonical order.
    private static func ordered(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        let jaro = jaroSimilarity(a, b)
        guard jaro > boostThreshold else { return jaro }
        var prefix = 0
        while prefix < min(maximumPrefix, a.count), a[prefix] == b[prefix] { prefix += 1 }
        return jaro + Double(prefix) * prefixScale * (1 - jaro)
    }

    /// Jaro similarity, the mean of both matched fractions and the untransposed share.
    private static func jaroSimilarity(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        let window = max(0, max(a.count, b.count) / 2 - 1)
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: a.count + b.count) { flags in
            flags.initialize(repeating: false)
            var matches = 0
            for i in 0..<a.count {
                let low = max(0, i - window)
                let high = min(b.count - 1, i + window)
                guard low <= high else { continue }
                for j in low...high where !flags[a.count + j] && a[i] == b[j] {
                    flags[i] = true
                    flags[a.count + j] = true
                    matches += 1
                    break
                }
            }
            guard matches > 0 else { return 0 }
            var halfTranspositions = 0
            var j = 0
            for i in 0..<a.count where flags[i] {
                while !flags[a.count + j] { j += 1 }
                if a[i] != b[j] { halfTranspositions += 1 }
                j += 1
            }
            let m = Double(matches)
            // Whole transpositions, rounded down, as in Winkler's strcmp95.
            let t = Double(halfTranspositions / 2)
            return (m / Double(a.count) + m / Double(b.count) + (m - t) / m) / 3
        }
    }
}
