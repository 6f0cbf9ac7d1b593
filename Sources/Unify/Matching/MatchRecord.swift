/// What offline data say about one person, normalised once for the matcher.
///
/// Every field holds several values, because one customer is seen over time with several
/// spellings, addresses and phones: a pair of records agrees on a field as well as its best
/// pair of values does. Values are normalised when added (``MatchName``, ``Birthday``,
/// ``Postcode``, ``CityName``, ``StreetAddress``, ``MatchPhone``, ``EmailLocalPart``) and
/// repeated values are kept once, so comparing two records reads precomputed values and
/// allocates nothing. Each field keeps at most ``maximumValuesPerField`` values, the first
/// ones added: give values in a canonical order (event time, then event id) and the record
/// is the same whatever order events arrived in.
///
/// ```swift
/// let record = MatchRecord(traits: event.traits, phones: ["+33612345678"], emails: ["jean.dupont@example.com"])
/// ```
struct MatchRecord: Sendable, Hashable {
    /// Values kept per field; enough for a customer's history, few enough that comparing two
    /// records stays cheap.
    static let maximumValuesPerField = 8

    /// The values of every field.
    private struct Values: Sendable, Hashable {
        var firstNames: [MatchName] = []
        var lastNames: [MatchName] = []
        var birthdays: [Birthday] = []
        var postcodes: [Postcode] = []
        var cities: [CityName] = []
        var streets: [StreetAddress] = []
        var phones: [MatchPhone] = []
        var emailLocalParts: [EmailLocalPart] = []
        var country: String?

        /// Appends a value unless it is nil, already held, or over the field's limit.
        mutating func add<Value: Equatable>(_ value: Value?, to values: WritableKeyPath<Values, [Value]>) {
            guard let value, self[keyPath: values].count < MatchRecord.maximumValuesPerField,
                  !self[keyPath: values].contains(value)
            else { return }
            self[keyPath: values].append(value)
        }
    }

    /// The values behind one immutable reference. A record is copied whenever it is passed
    /// or read out of an array; copying a struct of nine arrays retained each of them and
    /// made retains the bulk of scoring a pair, one reference costs one retain.
    private final class Storage: Sendable {
        let values: Values

        /// Storage holding `values`.
        init(_ values: Values) {
            self.values = values
        }
    }

    private var storage: Storage

    /// First names, normalised.
    var firstNames: [MatchName] { storage.values.firstNames }
    /// Last names, normalised.
    var lastNames: [MatchName] { storage.values.lastNames }
    /// Birthdays.
    var birthdays: [Birthday] { storage.values.birthdays }
    /// Postcodes, normalised.
    var postcodes: [Postcode] { storage.values.postcodes }
    /// Cities, normalised.
    var cities: [CityName] { storage.values.cities }
    /// Street lines, parsed.
    var streets: [StreetAddress] { storage.values.streets }
    /// Phones.
    var phones: [MatchPhone] { storage.values.phones }
    /// Email local parts, normalised.
    var emailLocalParts: [EmailLocalPart] { storage.values.emailLocalParts }
    /// The ISO 3166 code of the first country given, if any.
    var country: String? { storage.values.country }

    /// A record from values as written; unusable values are skipped.
    ///
    /// A full name in `names` fills first and last names through ``FullName/split(_:)``;
    /// postcodes belong to `country`, which also restores a French code's leading zero.
    init(
        firstNames: [String] = [], lastNames: [String] = [], names: [String] = [], birthdays: [String] = [],
        postcodes: [String] = [], cities: [String] = [], streets: [String] = [], phones: [String] = [],
        emails: [String] = [], country: String? = nil
    ) {
        var values = Values()
        values.country = country.flatMap(CountryCode.normalise)
        for name in firstNames { values.add(MatchName(name), to: \.firstNames) }
        for name in lastNames { values.add(MatchName(name), to: \.lastNames) }
        for name in names {
            let split = FullName.split(name)
            if let first = split.first { values.add(MatchName(first), to: \.firstNames) }
            if let last = split.last { values.add(MatchName(last), to: \.lastNames) }
        }
        for birthday in birthdays { values.add(Birthday(birthday), to: \.birthdays) }
        for postcode in postcodes { values.add(Postcode(postcode, country: values.country), to: \.postcodes) }
        for city in cities { values.add(CityName(city), to: \.cities) }
        for street in streets { values.add(StreetAddress(street), to: \.streets) }
        for phone in phones { values.add(MatchPhone(phone), to: \.phones) }
        for email in emails { values.add(EmailLocalPart(email: email), to: \.emailLocalParts) }
        storage = Storage(values)
    }

    /// A record from one event's traits, read as Segment's reserved traits.
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
        let country = text(["country"], in: address) ?? text(["country"], in: traits)
        let first = text(["firstName", "first_name", "firstname"], in: traits)
        let last = text(["lastName", "last_name", "lastname"], in: traits)
        var firstNames = first.map { [$0] } ?? []
        var lastNames = last.map { [$0] } ?? []
        if first == nil || last == nil, let name = text(["name", "fullName", "full_name"], in: traits) {
            let split = FullName.split(name)
            if first == nil, let splitFirst = split.first { firstNames.append(splitFirst) }
            if last == nil, let splitLast = split.last { lastNames.append(splitLast) }
        }
        let postcodeKeys = ["postalCode", "postal_code", "postcode", "zip", "zipCode", "zip_code"]
        var streets = [text(["street", "line1", "street1"], in: address), text(["street"], in: traits)]
        if case .string(let line)? = traits["address"] { streets.append(line) }
        self.init(
            firstNames: firstNames,
            lastNames: lastNames,
            birthdays: [text(["birthday", "birthdate", "birth_date", "birthDate", "dateOfBirth"], in: traits)].compactMap(\.self),
            postcodes: [text(postcodeKeys, in: address), text(postcodeKeys, in: traits)].compactMap(\.self),
            cities: [text(["city"], in: address), text(["city"], in: traits)].compactMap(\.self),
            streets: streets.compactMap(\.self),
            phones: phones,
            emails: emails,
            country: country
        )
    }

    /// Whether the record holds nothing the matcher can compare.
    var isEmpty: Bool {
        firstNames.isEmpty && lastNames.isEmpty && birthdays.isEmpty && postcodes.isEmpty && cities.isEmpty
            && streets.isEmpty && phones.isEmpty && emailLocalParts.isEmpty
    }

    /// Adds the values of `other` not already held, after this record's own, as when a later
    /// event of the same customer is read. The country stays the first one given.
    mutating func merge(_ other: MatchRecord) {
        var values = storage.values
        let added = other.storage.values
        if values.country == nil { values.country = added.country }
        for value in added.firstNames { values.add(value, to: \.firstNames) }
        for value in added.lastNames { values.add(value, to: \.lastNames) }
        for value in added.birthdays { values.add(value, to: \.birthdays) }
        for value in added.postcodes { values.add(value, to: \.postcodes) }
        for value in added.cities { values.add(value, to: \.cities) }
        for value in added.streets { values.add(value, to: \.streets) }
        for value in added.phones { values.add(value, to: \.phones) }
        for value in added.emailLocalParts { values.add(value, to: \.emailLocalParts) }
        storage = Storage(values)
    }

    /// Records with the same values are equal.
    static func == (lhs: MatchRecord, rhs: MatchRecord) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.values == rhs.storage.values
    }

    /// Hashes the values.
    func hash(into hasher: inout Hasher) {
        hasher.combine(storage.values)
    }
}
