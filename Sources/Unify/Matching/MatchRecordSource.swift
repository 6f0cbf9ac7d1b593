/// The values of a ``MatchRecord`` as an event wrote them, before normalisation: what the
/// store keeps of each record, so that a record is rebuilt (``record``) exactly as it was
/// first made, without reading its event again.
struct MatchRecordSource: Sendable, Hashable {
    var firstNames: [String] = []
    var lastNames: [String] = []
    var birthdays: [String] = []
    var postcodes: [String] = []
    var cities: [String] = []
    var streets: [String] = []
    var phones: [String] = []
    var emails: [String] = []
    var country: String?

    /// The values of one event's traits, read as Segment's reserved traits.
    ///
    /// Read: `firstName`, `lastName`, `name` (split when `firstName` or `lastName` is
    /// absent, for the absent part), `birthday`, `address{street, city, postalCode, state,
    /// country}` and the same at the top level (`street`, `city`, `postalCode`/`postcode`,
    /// `country`); the snake-case spellings CRM exports use (`first_name`, `postal_code`,
    /// `birth_date`, `zip`) too. A value may be a string or a number (postcodes often are).
    /// An `address` written as one string is read as a street line. Phones and emails come
    /// from the event's identifiers, already normalised upstream.
    init(traits: JSONObject, phones: [String], emails: [String]) {
        let address = traits["address"]?.objectValue ?? [:]
        func text(_ keys: [String], in object: JSONObject) -> String? {
            for key in keys {
                if let value = object[key]?.stringValue, !value.isEmpty { return value }
            }
            return nil
        }
        country = text(["country"], in: address) ?? text(["country"], in: traits)
        let first = text(["firstName", "first_name", "firstname"], in: traits)
        let last = text(["lastName", "last_name", "lastname"], in: traits)
        firstNames = first.map { [$0] } ?? []
        lastNames = last.map { [$0] } ?? []
        if first == nil || last == nil, let name = text(["name", "fullName", "full_name"], in: traits) {
            let split = FullName.split(name)
            if first == nil, let splitFirst = split.first { firstNames.append(splitFirst) }
            if last == nil, let splitLast = split.last { lastNames.append(splitLast) }
        }
        let postcodeKeys = ["postalCode", "postal_code", "postcode", "zip", "zipCode", "zip_code"]
        var streets = [text(["street", "line1", "street1"], in: address), text(["street"], in: traits)]
        if case .string(let line)? = traits["address"] { streets.append(line) }
        birthdays = [text(["birthday", "birthdate", "birth_date", "birthDate", "dateOfBirth"], in: traits)].compactMap(\.self)
        postcodes = [text(postcodeKeys, in: address), text(postcodeKeys, in: traits)].compactMap(\.self)
        cities = [text(["city"], in: address), text(["city"], in: traits)].compactMap(\.self)
        self.streets = streets.compactMap(\.self)
        self.phones = phones
        self.emails = emails
    }

    /// The record these values make.
    var record: MatchRecord {
        MatchRecord(firstNames: firstNames, lastNames: lastNames, birthdays: birthdays, postcodes: postcodes,
                    cities: cities, streets: streets, phones: phones, emails: emails, country: country)
    }

    // The stored form: fields apart by U+001E, values within a field by U+001F (neither
    // is ever in a name or an address worth keeping), in the order of the properties. Both
    // are ASCII, so the form is written and read as UTF-8 bytes: a record is read back once
    // for each run that compares it, and splitting by `Character` cost more than the rest
    // of rebuilding it.
    private static let fieldSeparator = UInt8(0x1E)
    private static let valueSeparator = UInt8(0x1F)

    /// The values as one line of text.
    var stored: String {
        var bytes: [UInt8] = []
        let fields = [firstNames, lastNames, birthdays, postcodes, cities, streets, phones, emails, country.map { [$0] } ?? []]
        for (index, values) in fields.enumerated() {
            if index > 0 { bytes.append(Self.fieldSeparator) }
            for (position, value) in values.enumerated() {
                if position > 0 { bytes.append(Self.valueSeparator) }
                bytes.append(contentsOf: value.utf8.lazy.filter { $0 != Self.fieldSeparator && $0 != Self.valueSeparator })
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Values read back from ``stored``.
    init?(stored: String) {
        var stored = stored
        let fields: [[String]] = stored.withUTF8 { bytes in
            bytes.split(separator: Self.fieldSeparator, omittingEmptySubsequences: false).map { field in
                field.split(separator: Self.valueSeparator).map { String(decoding: $0, as: UTF8.self) }
            }
        }
        guard fields.count == 9 else { return nil }
        (firstNames, lastNames, birthdays, postcodes) = (fields[0], fields[1], fields[2], fields[3])
        (cities, streets, phones, emails) = (fields[4], fields[5], fields[6], fields[7])
        country = fields[8].first
    }
}
