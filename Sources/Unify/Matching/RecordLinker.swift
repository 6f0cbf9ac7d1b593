/// Decides whether two records are linked: the Fellegi–Sunter weight at or above the
/// threshold, and no disagreement that tells relatives apart (see ``MatchingPolicy``).
///
/// The decision depends on the two records and the fixed parameters only, never on what
/// else is in the store or the order events came in, which is what keeps matching
/// order-neutral.
struct RecordLinker: Sendable {
    let policy: MatchingPolicy
    let model: MatchModel

    /// The score of a pair when it is a link, `nil` otherwise.
    func link(_ a: some MatchValues, _ b: some MatchValues) -> MatchScore? {
        let score = model.score(a, b)
        guard score.weight >= policy.threshold else { return nil }
        if policy.holdBackRelatives, Self.relativesDisagreement(score.comparison, a, b) != nil { return nil }
        return score
    }

    /// The field on which the pair disagrees where the members of one household differ, or
    /// `nil`: first names (twins share everything else); birthdays, outright or as two
    /// complete dates within a year, as siblings' often are; phones, since each member has a
    /// mobile of their own. Independent weights overcount what a household shares (last
    /// name, street, postcode, city), and on the matching benchmark these disagreements
    /// marked wrong links far more often than right ones (Benchmarks/README.md).
    static func relativesDisagreement(
        _ comparison: ComparisonVector, _ a: some MatchValues, _ b: some MatchValues
    ) -> MatchField? {
        // Two complete dates a few months apart are two people; a year alone agreeing
        // (``MatchLevel/sameYear``) is all one side knows.
        switch comparison[.birthday] {
        case .mismatch, .withinOneYear: return .birthday
        default: break
        }
        if comparison[.firstName] == .mismatch { return .firstName }
        if comparison[.phone] == .mismatch { return .phone }
        return nil
    }
}
