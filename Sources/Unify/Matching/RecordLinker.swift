/// Decides whether two records are linked: the Fellegi–Sunter weight at or above the
/// threshold, and no disagreement that relatives share (see ``MatchingPolicy``).
///
/// The decision depends on the two records and the fixed parameters only, never on what
/// else is in the store or the order events came in, which is what keeps matching
/// order-neutral.
struct RecordLinker: Sendable {
    let policy: MatchingPolicy
    let model: MatchModel

    /// The score of a pair when it is a link, `nil` otherwise.
    func link(_ a: MatchRecord, _ b: MatchRecord) -> MatchScore? {
        let score = model.score(a, b)
        guard score.weight >= policy.threshold else { return nil }
        if policy.holdBackRelatives {
            let comparison = score.comparison
            if comparison[.firstName] == .mismatch || comparison[.birthday] == .mismatch { return nil }
        }
        return score
    }
}
