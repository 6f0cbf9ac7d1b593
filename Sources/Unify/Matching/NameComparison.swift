/// Compares first names and last names of two records.
///
/// Levels, strongest first, for a pair of names (`Jean`/`Jean` and so on):
/// - ``MatchLevel/exact``: equal once folded and without spaces (`Jean-Pierre`, `jean pierre`,
///   `JEANPIERRE`; `Müller`, `MULLER`).
/// - ``MatchLevel/swapped`` (first names only): the records' first and last names are
///   crossed: each record's first name is exact or similar to the other's last name, and the
///   reverse, so a form that wrote `DUPONT Jean` in the wrong boxes still matches. The swap is
///   one fact about both names: the first-name field records it and the last-name field reads
///   ``MatchLevel/missing``, so that it is not counted twice.
/// - ``MatchLevel/compound``: the words of one are all words of the other (`Jean-Pierre`
///   and `Jean`; `Dupont-Martin` and `Martin`; `Pierre Jean` and `Jean Pierre`).
/// - ``MatchLevel/nickname`` (first names only): the names share a ``Nicknames`` group.
/// - ``MatchLevel/similar``: Jaro–Winkler ≥ 0.94, a typo in a long name (`Kathrine`/`Katherine`).
/// - ``MatchLevel/phonetic`` (last names only): the same ``FrenchPhonetic`` code
///   (`Dupuis`/`Dupuy`).
/// - ``MatchLevel/initial``: one side is initials only and they agree (`J.` and `Jean`,
///   `J.-P.` and `Jean-Pierre`); two equal initials are this level too, never exact, because
///   `J.` agrees with every J.
/// - ``MatchLevel/close``: Jaro–Winkler ≥ 0.88 (`Jean`/`Jan`).
/// - ``MatchLevel/mismatch``, also for the masculine and feminine forms of one first name
///   (``FirstNameCounterparts``: `Denis`/`Denise`, `Julien`/`Julie`), however similar.
///
/// The thresholds are those of common practice (Splink's name comparisons use 0.92 and
/// 0.88), with the high one raised to 0.94 because French first names are short and share
/// long prefixes: at 0.92, `Bernard`/`Bertrand` (0.938) and `Jean`/`Jan` (0.925) would be
/// similar. Short names stay hard: `Marie`/`Marine` (0.967) are similar even so, and the
/// similar level's u, once estimated, says how often that happens between different people;
/// `Michel`/`Michelle` (0.95) are counterparts, so a mismatch.
enum NameComparison {
    /// Jaro–Winkler from which names are ``MatchLevel/similar``.
    static let similarThreshold = 0.94
    /// Jaro–Winkler from which names are ``MatchLevel/close``.
    static let closeThreshold = 0.88

    /// The levels of the records' first and last names: for each, the best over all pairs of
    /// its values; ``MatchLevel/missing`` when either record lacks the field. When the names
    /// are crossed and neither field is exact, the first names are ``MatchLevel/swapped``
    /// and the last names ``MatchLevel/missing``.
    static func levels(of a: some MatchValues, _ b: some MatchValues) -> (first: MatchLevel, last: MatchLevel) {
        MatchRecord.withValues(.firstNames, of: a, b) { (aFirst: UnsafeBufferPointer<MatchName>, bFirst) in
            MatchRecord.withValues(.lastNames, of: a, b) { (aLast: UnsafeBufferPointer<MatchName>, bLast) in
                let first = MatchField.firstName.bestLevel(aFirst, bFirst, compareFirstNames)
                let last = MatchField.lastName.bestLevel(aLast, bLast, compareLastNames)
                // Crossed names need all four names; checking costs two comparisons, only made
                // when both fields are present and neither is exact.
                if first != .exact, first != .missing, last != .exact, last != .missing,
                   agreesStrongly(aFirst, bLast), agreesStrongly(aLast, bFirst)
                {
                    return (.swapped, .missing)
                }
                return (first, last)
            }
        }
    }

    /// The level of the records' first names (see ``levels(of:_:)``).
    static func firstNames(of a: MatchRecord, _ b: MatchRecord) -> MatchLevel {
        levels(of: a, b).first
    }

    /// The level of the records' last names (see ``levels(of:_:)``).
    static func lastNames(of a: MatchRecord, _ b: MatchRecord) -> MatchLevel {
        levels(of: a, b).last
    }

    /// The level of one pair of names, without looking for swapped names.
    static func compare(_ a: MatchName, _ b: MatchName, as field: MatchField) -> MatchLevel {
        if a.isInitialsOnly || b.isInitialsOnly {
            return initialsAgree(a, b) ? .initial : .mismatch
        }
        if a.squashed == b.squashed { return .exact }
        if isCompound(a, b) { return .compound }
        if field == .firstName, a.nicknameGroups.intersects(b.nicknameGroups) { return .nickname }
        let similarity = JaroWinkler.similarity(a.squashed, b.squashed)
        // Masculine and feminine forms are two people (often of one household), however alike.
        if field == .firstName, similarity >= closeThreshold, FirstNameCounterparts.areCounterparts(a.squashed, b.squashed) {
            return .mismatch
        }
        if similarity >= similarThreshold { return .similar }
        if field == .lastName, !a.phonetic.isEmpty, a.phonetic == b.phonetic { return .phonetic }
        if similarity >= closeThreshold { return .close }
        return .mismatch
    }

    /// ``compare(_:_:as:)`` for first names, as a function value.
    private static func compareFirstNames(_ a: MatchName, _ b: MatchName) -> MatchLevel {
        compare(a, b, as: .firstName)
    }

    /// ``compare(_:_:as:)`` for last names, as a function value.
    private static func compareLastNames(_ a: MatchName, _ b: MatchName) -> MatchLevel {
        compare(a, b, as: .lastName)
    }

    /// Whether some pair of full (not initial) names is exact or similar.
    private static func agreesStrongly(_ a: UnsafeBufferPointer<MatchName>, _ b: UnsafeBufferPointer<MatchName>) -> Bool {
        for i in a.indices where !a[i].isInitialsOnly {
            for j in b.indices where !b[j].isInitialsOnly {
                if a[i].squashed == b[j].squashed || JaroWinkler.similarity(a[i].squashed, b[j].squashed) >= similarThreshold {
                    return true
                }
            }
        }
        return false
    }

    /// One side's initials start the other side's (`J.` and `Jean-Pierre`, `J.-P.` and `Jean`).
    private static func initialsAgree(_ a: MatchName, _ b: MatchName) -> Bool {
        a.initials.count <= b.initials.count ? b.initials.starts(with: a.initials) : a.initials.starts(with: b.initials)
    }

    /// All words of the one with fewer words are words of the other.
    private static func isCompound(_ a: MatchName, _ b: MatchName) -> Bool {
        guard a.tokenHashes.count > 1 || b.tokenHashes.count > 1 else { return false }
        return a.tokenHashes.count <= b.tokenHashes.count
            ? contains(b.tokenHashes, every: a.tokenHashes) : contains(a.tokenHashes, every: b.tokenHashes)
    }

    /// Whether `tokens` holds each of `others`.
    private static func contains(_ tokens: CompactWords, every others: CompactWords) -> Bool {
        for other in others where !tokens.contains(other) { return false }
        return true
    }
}
