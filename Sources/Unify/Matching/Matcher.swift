/// The probabilistic matcher as integration uses it: candidate pairs by blocking, then a
/// Fellegi–Sunter score for each.
///
/// Pure and store-independent: it takes ``MatchRecord``s built from offline records' traits
/// and returns pairs and scores; deciding links (a threshold on ``MatchScore/weight`` or
/// ``MatchScore/matchProbability``), recording the explanation (``MatchScore/description``)
/// and merging customers belong to the caller. The model comes from
/// ``ExpectationMaximisation/estimate(pairs:records:starting:options:)`` or
/// ``MatchModel/default``.
///
/// Cost: scoring one pair takes about a microsecond or less in release builds and
/// allocates nothing (see `MatchingSpeedReport` in the tests for how it is measured).
///
/// ```swift
/// let matcher = Matcher(model: .default)
/// let pairs = matcher.candidatePairs(records)
/// for pair in pairs {
///     let score = matcher.score(records[pair.first], records[pair.second])
///     if score.weight > 10 { link(pair, because: score.description) }
/// }
/// ```
struct Matcher: Sendable {
    /// The model that scores pairs.
    var model: MatchModel
    /// The blocking rules that find candidate pairs.
    var rules: [BlockingRule]
    /// Blocks with more records than this are skipped (see ``CandidatePairs``).
    var maximumBlockSize: Int

    /// A matcher with a model and blocking; every rule and blocks of at most 100 records by default.
    init(model: MatchModel = .default, rules: [BlockingRule] = BlockingRule.allCases, maximumBlockSize: Int = 100) {
        self.model = model
        self.rules = rules
        self.maximumBlockSize = maximumBlockSize
    }

    /// The pairs of `records` worth scoring.
    func candidatePairs(_ records: [MatchRecord]) -> CandidatePairs {
        CandidatePairs(records: records, rules: rules, maximumBlockSize: maximumBlockSize)
    }

    /// The pairs worth scoring between `records[..<firstSideCount]` and the rest.
    func candidatePairs(_ records: [MatchRecord], acrossFirst firstSideCount: Int) -> CandidatePairs {
        CandidatePairs(
            records: records, rules: rules, maximumBlockSize: maximumBlockSize,
            sides: .across(firstSideCount: firstSideCount)
        )
    }

    /// The score of two records; the same in either order.
    func score(_ a: MatchRecord, _ b: MatchRecord) -> MatchScore {
        model.score(a, b)
    }

    /// The score of each candidate pair, in the pairs' order.
    func scores(_ pairs: CandidatePairs, in records: [MatchRecord]) -> [MatchScore] {
        pairs.map { model.score(records[$0.first], records[$0.second]) }
    }
}
