/// How closely two records agree on one field: the outcome of a field's comparison.
///
/// One vocabulary serves every field; each field gives only the levels in
/// ``MatchField/levels``. ``missing`` means either side lacks the field, and carries no
/// weight for or against a match.
enum MatchLevel: UInt8, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    /// Either record lacks the field.
    case missing = 0
    /// Equal after normalisation.
    case exact
    /// First names: this record's first name is the other's last name and the reverse (the
    /// last names then read ``missing``, so the one fact counts once).
    case swapped
    /// Names: one is part of the other (`Jean-Pierre` and `Jean`, `Dupont-Martin` and `Dupont`).
    case compound
    /// First names: a short form or a translation of the other (`Alex` and `Alexandre`).
    case nickname
    /// Jaro–Winkler at or above the field's high threshold (names 0.94, cities 0.92, email
    /// local parts 0.92).
    case similar
    /// Last names: the same French phonetic code (`Dupuis` and `Dupuy`).
    case phonetic
    /// Names: one side is initials only and they agree (`J.` and `Jean`).
    case initial
    /// Names: Jaro–Winkler at or above 0.88.
    case close
    /// Birthdays: day and month swapped in the same year (`1980-03-12` and `1980-12-03`).
    case transposedDayMonth
    /// Birthdays: same year and month, another day.
    case sameYearAndMonth
    /// Birthdays: same day and month, another year (a typo in the year).
    case sameDayAndMonth
    /// Birthdays: the same year, where one side knows only the year (a form's "year of birth").
    case sameYear
    /// Birthdays: two complete dates within a year of each other, or in the same year.
    case withinOneYear
    /// Postcodes: same length and same first three characters.
    case sameDistrict
    /// Postcodes: same length and same first two characters (the French département).
    case sameRegion
    /// Streets: same house number and similar street name.
    case sameNumberSimilarStreet
    /// Streets: similar street name with another house number, or a number on one side only.
    case sameStreetOtherNumber
    /// Phones: the same last eight digits in different full numbers.
    case sameLastEightDigits
    /// Phones: one digit changed, or two neighbours swapped, in the last eight digits.
    case oneEditInLastEight
    /// Both sides have the field and none of the other levels applies.
    case mismatch

    /// Room for every level in tables indexed by field and level.
    static let slotCount = 32

    /// The position of the level in tables indexed by level.
    var index: Int { Int(rawValue) }

    /// The name used in saved models: the case name (`sameYearAndMonth`).
    var name: String {
        switch self {
        case .missing: "missing"
        case .exact: "exact"
        case .swapped: "swapped"
        case .compound: "compound"
        case .nickname: "nickname"
        case .similar: "similar"
        case .phonetic: "phonetic"
        case .initial: "initial"
        case .close: "close"
        case .transposedDayMonth: "transposedDayMonth"
        case .sameYearAndMonth: "sameYearAndMonth"
        case .sameDayAndMonth: "sameDayAndMonth"
        case .sameYear: "sameYear"
        case .withinOneYear: "withinOneYear"
        case .sameDistrict: "sameDistrict"
        case .sameRegion: "sameRegion"
        case .sameNumberSimilarStreet: "sameNumberSimilarStreet"
        case .sameStreetOtherNumber: "sameStreetOtherNumber"
        case .sameLastEightDigits: "sameLastEightDigits"
        case .oneEditInLastEight: "oneEditInLastEight"
        case .mismatch: "mismatch"
        }
    }

    /// How an explanation names the level: `transposed day/month`.
    var description: String {
        switch self {
        case .missing: "missing"
        case .exact: "exact"
        case .swapped: "swapped with the other name"
        case .compound: "part of a compound name"
        case .nickname: "nickname"
        case .similar: "similar"
        case .phonetic: "sounds alike"
        case .initial: "initial"
        case .close: "close"
        case .transposedDayMonth: "transposed day/month"
        case .sameYearAndMonth: "same year and month"
        case .sameDayAndMonth: "same day and month"
        case .sameYear: "same year (one side year only)"
        case .withinOneYear: "within a year"
        case .sameDistrict: "same first 3 characters"
        case .sameRegion: "same first 2 characters"
        case .sameNumberSimilarStreet: "same number, similar street"
        case .sameStreetOtherNumber: "same street, other number"
        case .sameLastEightDigits: "same last 8 digits"
        case .oneEditInLastEight: "one digit off in the last 8"
        case .mismatch: "mismatch"
        }
    }

    /// The level named `name` in a saved model, if any.
    init?(name: String) {
        guard let level = MatchLevel.allCases.first(where: { $0.name == name }) else { return nil }
        self = level
    }
}

extension MatchLevel: Codable {
    /// Reads a level by its ``name``.
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let level = MatchLevel(name: name) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Unknown match level \(name)")
        }
        self = level
    }

    /// Writes the level's ``name``.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
