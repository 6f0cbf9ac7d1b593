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

    /// A record from one event's traits (see ``MatchRecordSource/init(traits:phones:emails:)``).
    init(traits: JSONObject, phones: [String], emails: [String]) {
        self = MatchRecordSource(traits: traits, phones: phones, emails: emails).record
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

    /// The layout of ``encoded``, and of what the normalisers make of values. Raise it when
    /// either changes: a stored record of another version is normalised again from its values
    /// as written, so an upgrade never compares records normalised two ways.
    /// `MatchRecordEncodingTests` pins what this version makes of a set of records.
    static let encodingVersion: UInt64 = 1

    /// The normalised values as bytes (``MatchRecordWriter``), which ``init(encoded:)`` reads,
    /// followed by a checksum of them: 8 bytes of ``TokenHash``, little-endian.
    var encoded: [UInt8] {
        let values = storage.values
        var writer = MatchRecordWriter()
        writer.write(Self.encodingVersion)
        writer.write(values.firstNames) { $1.write(to: &$0) }
        writer.write(values.lastNames) { $1.write(to: &$0) }
        writer.write(values.birthdays) { $1.write(to: &$0) }
        writer.write(values.postcodes) { $1.write(to: &$0) }
        writer.write(values.cities) { $1.write(to: &$0) }
        writer.write(values.streets) { $1.write(to: &$0) }
        writer.write(values.phones) { $1.write(to: &$0) }
        writer.write(values.emailLocalParts) { $1.write(to: &$0) }
        writer.write(values.country)
        var bytes = writer.bytes
        withUnsafeBytes(of: TokenHash.of(bytes).littleEndian) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// The record ``encoded`` wrote; `nil` when the bytes are of another
    /// ``encodingVersion``, fail their checksum, or hold a value no normaliser makes.
    init?(encoded bytes: UnsafeBufferPointer<UInt8>) {
        let checksumBytes = MemoryLayout<UInt64>.size
        guard bytes.count > checksumBytes else { return nil }
        let payload = UnsafeBufferPointer(rebasing: bytes[..<(bytes.count - checksumBytes)])
        var checksum: UInt64 = 0
        for (shift, byte) in bytes[(bytes.count - checksumBytes)...].enumerated() { checksum |= UInt64(byte) << (8 * shift) }
        guard checksum == TokenHash.of(payload) else { return nil }
        var reader = MatchRecordReader(payload)
        do throws(MatchRecordReader.Damaged) {
            guard try reader.uint64() == Self.encodingVersion else { return nil }
            func list<Value>(_ element: (inout MatchRecordReader) throws(MatchRecordReader.Damaged) -> Value)
                throws(MatchRecordReader.Damaged) -> [Value]
            {
                let values = try reader.list(element)
                guard values.count <= Self.maximumValuesPerField else { throw MatchRecordReader.Damaged() }
                return values
            }
            var values = Values()
            values.firstNames = try list(MatchName.init(from:))
            values.lastNames = try list(MatchName.init(from:))
            values.birthdays = try list(Birthday.init(from:))
            values.postcodes = try list(Postcode.init(from:))
            values.cities = try list(CityName.init(from:))
            values.streets = try list(StreetAddress.init(from:))
            values.phones = try list(MatchPhone.init(from:))
            values.emailLocalParts = try list(EmailLocalPart.init(from:))
            values.country = try reader.optionalString()
            guard reader.isAtEnd else { return nil }
            storage = Storage(values)
        } catch {
            return nil
        }
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
