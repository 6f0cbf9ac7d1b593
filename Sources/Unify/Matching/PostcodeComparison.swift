/// Compares the postcodes of two records.
///
/// Levels, strongest first:
/// - ``MatchLevel/exact``.
/// - ``MatchLevel/sameDistrict``: same length and the same first three characters (a French
///   postal sector such as `750xx`, a Belgian or Swiss district).
/// - ``MatchLevel/sameRegion``: same length and the same first two characters (the French
///   département, a Belgian province, a Swiss region).
/// - ``MatchLevel/mismatch``, also for any two codes of countries known to differ: `7500`
///   (Tournai) and `75001` (Paris) share a prefix and nothing else.
///
/// Codes of different lengths are compared whole only, for the same reason.
enum PostcodeComparison {
    /// The best level over all pairs of the records' postcodes; ``MatchLevel/missing`` when
    /// either has none.
    static func compare(_ a: [Postcode], _ b: [Postcode]) -> MatchLevel {
        MatchField.postcode.bestLevel(a, b, compare)
    }

    /// The same over values in memory, as ``MatchRecord/withValues(_:of:_:_:)`` decodes them.
    static func compare(_ a: UnsafeBufferPointer<Postcode>, _ b: UnsafeBufferPointer<Postcode>) -> MatchLevel {
        MatchField.postcode.bestLevel(a, b, compare)
    }

    /// The level of one pair of postcodes.
    static func compare(_ a: Postcode, _ b: Postcode) -> MatchLevel {
        if !a.countryCode.isEmpty, !b.countryCode.isEmpty, a.countryCode != b.countryCode { return .mismatch }
        if a.code == b.code { return .exact }
        guard a.code.count == b.code.count else { return .mismatch }
        if a.code.count > 3, a.code.prefix(3).elementsEqual(b.code.prefix(3)) { return .sameDistrict }
        if a.code.prefix(2).elementsEqual(b.code.prefix(2)) { return .sameRegion }
        return .mismatch
    }
}
