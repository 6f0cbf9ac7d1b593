/// The levels at which two records agree, one per ``MatchField``: what a pair looks like to
/// the model, and the data expectation–maximisation learns from.
///
/// Packed into one integer, a byte per field in ``MatchField`` order, so vectors are cheap
/// to store, count and sort by the million.
struct ComparisonVector: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The level of field `i` is byte `i`, lowest first.
    let bits: UInt64

    /// The vector with these packed bits; bytes that are no level read as missing.
    init(bits: UInt64) {
        self.bits = bits
    }

    /// The vector with the given levels and every other field missing.
    init(_ levels: [MatchField: MatchLevel]) {
        var bits: UInt64 = 0
        for (field, level) in levels { bits |= UInt64(level.rawValue) << UInt64(field.index * 8) }
        self.bits = bits
    }

    /// Compares two records field by field.
    ///
    /// Every comparison is symmetric, so the vector does not depend on which record comes
    /// first. The city is compared only when either record lacks a postcode: the two say
    /// one thing (see ``CityComparison``).
    init(comparing a: some MatchValues, _ b: some MatchValues) {
        // Each field's values are decoded onto the stack for its comparison (or read from a
        // record decoded once): nothing is allocated, and passing a record costs one retain.
        let postcode = MatchRecord.withValues(.postcodes, of: a, b, PostcodeComparison.compare)
        let city: MatchLevel = postcode == .missing ? MatchRecord.withValues(.cities, of: a, b, CityComparison.compare) : .missing
        let names = NameComparison.levels(of: a, b)
        var bits = UInt64(names.first.rawValue)
        bits |= UInt64(names.last.rawValue) << 8
        bits |= UInt64(MatchRecord.withValues(.birthdays, of: a, b, BirthdayComparison.compare).rawValue) << 16
        bits |= UInt64(postcode.rawValue) << 24
        bits |= UInt64(city.rawValue) << 32
        bits |= UInt64(MatchRecord.withValues(.streets, of: a, b, StreetComparison.compare).rawValue) << 40
        bits |= UInt64(MatchRecord.withValues(.phones, of: a, b, PhoneComparison.compare).rawValue) << 48
        bits |= UInt64(MatchRecord.withValues(.emailLocalParts, of: a, b, EmailComparison.compare).rawValue) << 56
        self.bits = bits
    }

    /// The level of `field`.
    subscript(field: MatchField) -> MatchLevel {
        MatchLevel(rawValue: UInt8(truncatingIfNeeded: bits >> UInt64(field.index * 8))) ?? .missing
    }

    /// `last name exact, birthday transposed day/month, …`, the fields that are not missing.
    var description: String {
        MatchField.allCases.filter { self[$0] != .missing }.map { "\($0) \(self[$0])" }.joined(separator: ", ")
    }

    /// By packed bits, which orders vectors deterministically.
    static func < (lhs: ComparisonVector, rhs: ComparisonVector) -> Bool { lhs.bits < rhs.bits }
}
