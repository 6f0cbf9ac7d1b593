/// Compares the street lines of two records.
///
/// Levels, strongest first:
/// - ``MatchLevel/exact``: same house number and suffix, same street type, same name words.
/// - ``MatchLevel/sameNumberSimilarStreet``: same house number, with the same suffix or a
///   suffix on one side only (`145` and `145 bis`), and similar names: a type that differs
///   (`rue`/`avenue`), a word more or less (`Victor Hugo`/`Hugo`), a typo.
/// - ``MatchLevel/sameStreetOtherNumber``: similar names, and numbers that differ (`145 bis`
///   and `145 ter` are two doors) or a number on one side only.
/// - ``MatchLevel/mismatch``.
///
/// Names are similar when their soft Dice coefficient, 2 × matched words / all words, is at
/// least 0.6, a word matching an equal word or, for words of four letters or more, one with
/// Jaro–Winkler ≥ 0.92. So one name word of two, or two of three, is enough; one of three
/// (`rue du 8 mai 1945` against a `rue du 11 novembre 1918` reduced to words) is not.
enum StreetComparison {
    /// Soft Dice coefficient from which street names are similar.
    static let similarThreshold = 0.6
    /// Jaro–Winkler from which two long words of street names match.
    static let wordThreshold = 0.92

    /// The best level over all pairs of the records' streets; ``MatchLevel/missing`` when
    /// either has none.
    static func compare(_ a: [StreetAddress], _ b: [StreetAddress]) -> MatchLevel {
        MatchField.street.bestLevel(a, b, compare)
    }

    /// The same over values in memory, as ``MatchRecord/withValues(_:of:_:_:)`` decodes them.
    static func compare(_ a: UnsafeBufferPointer<StreetAddress>, _ b: UnsafeBufferPointer<StreetAddress>) -> MatchLevel {
        MatchField.street.bestLevel(a, b, compare)
    }

    /// The level of one pair of street lines.
    static func compare(_ a: StreetAddress, _ b: StreetAddress) -> MatchLevel {
        let sameNumber = a.number != nil && a.number == b.number
        if sameNumber, a.suffix == b.suffix, a.type == b.type, a.nameHashes == b.nameHashes { return .exact }
        guard nameSimilarity(a, b) >= similarThreshold else { return .mismatch }
        if sameNumber, a.suffix == b.suffix || a.suffix.isEmpty || b.suffix.isEmpty { return .sameNumberSimilarStreet }
        return .sameStreetOtherNumber
    }

    /// The soft Dice coefficient of the name words, from 0 to 1.
    static func nameSimilarity(_ a: StreetAddress, _ b: StreetAddress) -> Double {
        // Greedy matching depends on which side leads; a canonical order keeps it symmetric.
        let leadsA = a.nameHashes.count < b.nameHashes.count
            || (a.nameHashes.count == b.nameHashes.count && a.nameHashes.lexicographicallyPrecedes(b.nameHashes))
        return leadsA ? diceCoefficient(a, b) : diceCoefficient(b, a)
    }

    /// The soft Dice coefficient, matching each word of `x` greedily in `y`.
    private static func diceCoefficient(_ x: StreetAddress, _ y: StreetAddress) -> Double {
        guard y.nameCount <= 64 else { return x.nameHashes == y.nameHashes ? 1 : 0 }
        return x.nameText.withUnsafeBufferPointer { xText in
            y.nameText.withUnsafeBufferPointer { yText in
                var used: UInt64 = 0
                var matched = 0
                for i in 0..<x.nameCount {
                    var partner = -1
                    for j in 0..<y.nameCount where used & (1 << UInt64(j)) == 0 && x.nameHashes[i] == y.nameHashes[j] {
                        partner = j
                        break
                    }
                    let xWord = UnsafeBufferPointer(rebasing: xText[x.nameRange(i)])
                    if partner < 0, xWord.count >= 4 {
                        for j in 0..<y.nameCount where used & (1 << UInt64(j)) == 0 {
                            let yWord = UnsafeBufferPointer(rebasing: yText[y.nameRange(j)])
                            if yWord.count >= 4, JaroWinkler.similarity(xWord, yWord) >= wordThreshold {
                                partner = j
                                break
                            }
                        }
                    }
                    if partner >= 0 {
                        used |= 1 << UInt64(partner)
                        matched += 1
                    }
                }
                return 2 * Double(matched) / Double(x.nameCount + y.nameCount)
            }
        }
    }
}
