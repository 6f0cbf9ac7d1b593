/// A field of a person that the matcher compares, one per column of a comparison vector.
///
/// The order of the cases is the order of fields in a ``ComparisonVector`` and in a
/// ``MatchModel``'s explanation. Each field has its own comparison, whose levels it lists in
/// ``levels`` from the strongest agreement to ``MatchLevel/mismatch``.
enum MatchField: UInt8, CaseIterable, Sendable, Hashable, Comparable, CustomStringConvertible {
    case firstName
    case lastName
    case birthday
    case postcode
    case city
    case street
    case phone
    case emailLocalPart

    /// The position of the field in a comparison vector.
    var index: Int { Int(rawValue) }

    /// The levels its comparison can give besides ``MatchLevel/missing``, best first: when a
    /// record holds several values, the pair of values with the earliest level wins.
    var levels: [MatchLevel] {
        switch self {
        case .firstName: [.exact, .swapped, .compound, .nickname, .similar, .initial, .close, .mismatch]
        case .lastName: [.exact, .compound, .similar, .phonetic, .close, .initial, .mismatch]
        case .birthday: [.exact, .transposedDayMonth, .sameYearAndMonth, .sameDayAndMonth, .sameYear, .withinOneYear, .mismatch]
        case .postcode: [.exact, .sameDistrict, .sameRegion, .mismatch]
        case .city: [.exact, .similar, .mismatch]
        case .street: [.exact, .sameNumberSimilarStreet, .sameStreetOtherNumber, .mismatch]
        case .phone: [.exact, .sameLastEightDigits, .oneEditInLastEight, .mismatch]
        case .emailLocalPart: [.exact, .similar, .mismatch]
        }
    }

    /// The name used in saved models: the case name (`lastName`).
    var name: String {
        switch self {
        case .firstName: "firstName"
        case .lastName: "lastName"
        case .birthday: "birthday"
        case .postcode: "postcode"
        case .city: "city"
        case .street: "street"
        case .phone: "phone"
        case .emailLocalPart: "emailLocalPart"
        }
    }

    /// How an explanation names the field: `last name`.
    var description: String {
        switch self {
        case .firstName: "first name"
        case .lastName: "last name"
        case .birthday: "birthday"
        case .postcode: "postcode"
        case .city: "city"
        case .street: "street"
        case .phone: "phone"
        case .emailLocalPart: "email local part"
        }
    }

    /// The field named `name` in a saved model, if any.
    init?(name: String) {
        guard let field = MatchField.allCases.first(where: { $0.name == name }) else { return nil }
        self = field
    }

    /// How strong `level` is for this field: 0 for the best level, larger for weaker ones,
    /// and past every listed level for ``MatchLevel/missing`` or a level the field never gives.
    func rank(of level: MatchLevel) -> Int {
        Int(MatchField.ranks[index &* MatchLevel.slotCount &+ level.index])
    }

    /// Ranks by field and level, computed once so that picking the best of several value
    /// pairs costs a load.
    private static let ranks: [UInt8] = {
        var ranks = [UInt8](repeating: UInt8.max, count: MatchField.allCases.count * MatchLevel.slotCount)
        for field in MatchField.allCases {
            for (rank, level) in field.levels.enumerated() {
                ranks[field.index * MatchLevel.slotCount + level.index] = UInt8(rank)
            }
        }
        return ranks
    }()

    /// In comparison-vector order.
    static func < (lhs: MatchField, rhs: MatchField) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension MatchField: Codable {
    /// Reads a field by its ``name``.
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let field = MatchField(name: name) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Unknown match field \(name)")
        }
        self = field
    }

    /// Writes the field's ``name``.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
