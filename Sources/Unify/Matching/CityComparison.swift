/// Compares the cities of two records.
///
/// Levels, strongest first:
/// - ``MatchLevel/exact``: equal once normalised (``CityName``: `St-Étienne` and
///   `SAINT ETIENNE CEDEX 2`, `Paris 11e` and `Paris`, `Brussel` and `Bruxelles`).
/// - ``MatchLevel/similar``: Jaro–Winkler ≥ 0.92 once the words both names start with are
///   set aside, so `Saint-Denis` and `Saint-Genis` are not similar just for sharing `saint`.
/// - ``MatchLevel/mismatch``.
///
/// A postcode says more than a city and the two are not independent evidence: counting both
/// would credit one fact twice. So the city is compared only when either record lacks a
/// postcode (see ``ComparisonVector/init(comparing:_:)``); this function itself always compares.
enum CityComparison {
    /// Jaro–Winkler from which cities are ``MatchLevel/similar``.
    static let similarThreshold = 0.92

    /// The best level over all pairs of the records' cities; ``MatchLevel/missing`` when
    /// either has none.
    static func compare(_ a: [CityName], _ b: [CityName]) -> MatchLevel {
        MatchField.city.bestLevel(a, b, compare)
    }

    /// The same over values in memory, as ``MatchRecord/withValues(_:of:_:_:)`` decodes them.
    static func compare(_ a: UnsafeBufferPointer<CityName>, _ b: UnsafeBufferPointer<CityName>) -> MatchLevel {
        MatchField.city.bestLevel(a, b, compare)
    }

    /// The level of one pair of cities.
    static func compare(_ a: CityName, _ b: CityName) -> MatchLevel {
        if a.squashed == b.squashed { return .exact }
        var common = 0
        let most = min(a.tokenHashes.count, b.tokenHashes.count) - 1
        while common < most, a.tokenHashes[common] == b.tokenHashes[common] { common += 1 }
        let similarity = a.squashed.withUnsafeBufferPointer { x in
            b.squashed.withUnsafeBufferPointer { y in
                JaroWinkler.similarity(
                    UnsafeBufferPointer(rebasing: x[Int(a.tokenStarts[common])...]),
                    UnsafeBufferPointer(rebasing: y[Int(b.tokenStarts[common])...])
                )
            }
        }
        return similarity >= similarThreshold ? .similar : .mismatch
    }
}
