/// Compares the email local parts of two records.
///
/// Levels, strongest first:
/// - ``MatchLevel/exact``: the same normalised local part (``EmailLocalPart``) at any domains.
/// - ``MatchLevel/similar``: Jaro–Winkler ≥ 0.92 (`jean.dupont` and `jean.dupond75`… not,
///   `jeandupont` and `jeandupond` yes).
/// - ``MatchLevel/mismatch``.
enum EmailComparison {
    /// Jaro–Winkler from which local parts are ``MatchLevel/similar``.
    static let similarThreshold = 0.92

    /// The best level over all pairs of the records' local parts; ``MatchLevel/missing`` when
    /// either has none.
    static func compare(_ a: [EmailLocalPart], _ b: [EmailLocalPart]) -> MatchLevel {
        MatchField.emailLocalPart.bestLevel(a, b, compare)
    }

    /// The same over values in memory, as ``MatchRecord/withValues(_:of:_:_:)`` decodes them.
    static func compare(_ a: UnsafeBufferPointer<EmailLocalPart>, _ b: UnsafeBufferPointer<EmailLocalPart>) -> MatchLevel {
        MatchField.emailLocalPart.bestLevel(a, b, compare)
    }

    /// The level of one pair of local parts.
    static func compare(_ a: EmailLocalPart, _ b: EmailLocalPart) -> MatchLevel {
        if a.text == b.text { return .exact }
        return JaroWinkler.similarity(a.text, b.text) >= similarThreshold ? .similar : .mismatch
    }
}
