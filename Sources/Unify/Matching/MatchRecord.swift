/// What offline data say about one person, normalised once for the matcher.
///
/// Every field holds several values, because one customer is seen over time with several
/// spellings, addresses and phones: a pair of records agrees on a field as well as its best
/// pair of values does. Values are normalised when added (``MatchName``, ``Birthday``,
/// ``Postcode``, ``CityName``, ``StreetAddress``, ``MatchPhone``, ``EmailLocalPart``) and
/// repeated values are kept once. Each field keeps at most ``maximumValuesPerField`` values,
/// the first ones added: give values in a canonical order (event time, then event id) and
/// the record is the same whatever order events arrived in.
///
/// A record keeps only its normalised values' bytes (``encoded``), one allocation of a few
/// hundred bytes, and decodes values as they are read: a comparison decodes them onto the
/// stack (``withValues(_:of:_:_:)``), which allocates nothing, since normalised values are
/// held inline (``CompactBytes``). Decoded, a record was some thirty small arrays, 1.3 KB,
/// and a run holds up to 200,000 of them.
///
/// ```swift
/// let record = MatchRecord(traits: event.traits, phones: ["+33612345678"], emails: ["jean.dupont@example.com"])
/// ```
struct MatchRecord: Sendable, Hashable {
    /// Values kept per field; enough for a customer's history, few enough that comparing two
    /// records stays cheap.
    static let maximumValuesPerField = 8

    /// The fields in the order ``encoded`` writes them.
    enum Field: Int, CaseIterable {
        case firstNames, lastNames, birthdays, postcodes, cities, streets, phones, emailLocalParts, country
    }

    /// The values of every field, decoded: how a record is built, and what a
    /// ``DecodedMatchRecord`` holds.
    struct Decoded: Sendable, Hashable {
        var firstNames: [MatchName] = []
        var lastNames: [MatchName] = []
        var birthdays: [Birthday] = []
        var postcodes: [Postcode] = []
        var cities: [CityName] = []
        var streets: [StreetAddress] = []
        var phones: [MatchPhone] = []
        var emailLocalParts: [EmailLocalPart] = []
        var country: String?

        /// No values.
        init() {}

        /// The values of `record`, decoded.
        init(_ record: MatchRecord) {
            firstNames = record.firstNames
            lastNames = record.lastNames
            birthdays = record.birthdays
            postcodes = record.postcodes
            cities = record.cities
            streets = record.streets
            phones = record.phones
            emailLocalParts = record.emailLocalParts
            country = record.country
        }

        /// Appends a value unless it is nil, already held, or over the field's limit.
        mutating func add<Value: Equatable>(_ value: Value?, to values: WritableKeyPath<Decoded, [Value]>) {
            guard let value, self[keyPath: values].count < MatchRecord.maximumValuesPerField,
                  !self[keyPath: values].contains(value)
            else { return }
            self[keyPath: values].append(value)
        }

        /// The bytes of ``MatchRecord/encoded`` (the payload, then its checksum), and where
        /// each field starts in them.
        var encoded: (bytes: [UInt8], fieldStarts: InlineArray<9, Int32>) {
            var writer = MatchRecordWriter()
            var starts = InlineArray<9, Int32>(repeating: 0)
            writer.write(MatchRecord.encodingVersion)
            func write<Value: MatchValueCoding>(_ field: Field, _ values: [Value]) {
                starts[field.rawValue] = Int32(writer.bytes.count)
                writer.write(values) { $1.write(to: &$0) }
            }
            write(.firstNames, firstNames)
            write(.lastNames, lastNames)
            write(.birthdays, birthdays)
            write(.postcodes, postcodes)
            write(.cities, cities)
            write(.streets, streets)
            write(.phones, phones)
            write(.emailLocalParts, emailLocalParts)
            starts[Field.country.rawValue] = Int32(writer.bytes.count)
            writer.write(country)
            var bytes = writer.bytes
            withUnsafeBytes(of: TokenHash.of(bytes).littleEndian) { bytes.append(contentsOf: $0) }
            return (bytes, starts)
        }
    }

    /// The encoded record with where each field starts in it, behind one reference: a
    /// record is copied whenever it is passed or read out of a collection, and costs one
    /// retain.
    private final class Storage: Sendable {
        /// ``MatchRecord/encoded``: the payload, then its checksum.
        let encoded: [UInt8]
        /// The offset in ``encoded`` of each ``Field``'s count (or flag, for the country).
        let fieldStarts: InlineArray<9, Int32>

        init(encoded: [UInt8], fieldStarts: InlineArray<9, Int32>) {
            self.encoded = encoded
            self.fieldStarts = fieldStarts
        }
    }

    private let storage: Storage

    /// The record of `values`, encoded. The writer's own bytes need no check.
    private init(_ values: Decoded) {
        let (bytes, fieldStarts) = values.encoded
        storage = Storage(encoded: bytes, fieldStarts: fieldStarts)
    }

    /// First names, normalised.
    var firstNames: [MatchName] { values(.firstNames) }
    /// Last names, normalised.
    var lastNames: [MatchName] { values(.lastNames) }
    /// Birthdays.
    var birthdays: [Birthday] { values(.birthdays) }
    /// Postcodes, normalised.
    var postcodes: [Postcode] { values(.postcodes) }
    /// Cities, normalised.
    var cities: [CityName] { values(.cities) }
    /// Street lines, parsed.
    var streets: [StreetAddress] { values(.streets) }
    /// Phones.
    var phones: [MatchPhone] { values(.phones) }
    /// Email local parts, normalised.
    var emailLocalParts: [EmailLocalPart] { values(.emailLocalParts) }
    /// The ISO 3166 code of the first country given, if any.
    var country: String? {
        storage.encoded.withUnsafeBufferPointer { bytes in
            var reader = MatchRecordReader(bytes, at: Int(storage.fieldStarts[Field.country.rawValue]))
            return try? reader.optionalString()
        } ?? nil
    }

    /// How many values `field` holds.
    func count(_ field: Field) -> Int {
        storage.encoded.withUnsafeBufferPointer { bytes in
            var reader = MatchRecordReader(bytes, at: Int(storage.fieldStarts[field.rawValue]))
            return (try? reader.count()) ?? 0
        }
    }

    /// The values of one field, as an array.
    private func values<Value: MatchValueCoding>(_ field: Field) -> [Value] {
        withValues(field) { (values: UnsafeBufferPointer<Value>) in Array(values) }
    }

    /// Calls `body` with the values of `field`, decoded onto the stack for the call.
    func withValues<Value, Result>(_ field: FieldValues<Value>, _ body: (UnsafeBufferPointer<Value>) -> Result) -> Result {
        withValues(field.field, body)
    }

    /// Calls `body` with the values of `field`, decoded onto the stack for the call.
    private func withValues<Value: MatchValueCoding, Result>(
        _ field: Field, _ body: (UnsafeBufferPointer<Value>) -> Result
    ) -> Result {
        storage.encoded.withUnsafeBufferPointer { bytes in
            var reader = MatchRecordReader(bytes, at: Int(storage.fieldStarts[field.rawValue]))
            guard let count = try? reader.count() else { preconditionFailure("a record's bytes are checked when it is made") }
            return withUnsafeTemporaryAllocation(of: Value.self, capacity: count) { buffer in
                for index in 0..<count {
                    guard let value = try? Value(from: &reader) else {
                        preconditionFailure("a record's bytes are checked when it is made")
                    }
                    (buffer.baseAddress! + index).initialize(to: value)
                }
                defer { buffer.baseAddress!.deinitialize(count: count) }
                return body(UnsafeBufferPointer(buffer))
            }
        }
    }

    /// Calls `body` with the values of `field` of both records, in memory for the call.
    static func withValues<Value, Result>(
        _ field: FieldValues<Value>, of a: some MatchValues, _ b: some MatchValues,
        _ body: (UnsafeBufferPointer<Value>, UnsafeBufferPointer<Value>) -> Result
    ) -> Result {
        a.withValues(field) { left in
            b.withValues(field) { right in body(left, right) }
        }
    }

    /// A record from values as written; unusable values are skipped.
    ///
    /// A full name in `names` fills first and last names through ``FullName/split(_:)``;
    /// postcodes belong to `country`, which also restores a French code's leading zero.
    init(
        firstNames: [String] = [], lastNames: [String] = [], names: [String] = [], birthdays: [String] = [],
        postcodes: [String] = [], cities: [String] = [], streets: [String] = [], phones: [String] = [],
        emails: [String] = [], country: String? = nil
    ) {
        var values = Decoded()
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
        self.init(values)
    }

    /// A record from one event's traits (see ``MatchRecordSource/init(traits:phones:emails:)``).
    init(traits: JSONObject, phones: [String], emails: [String]) {
        self = MatchRecordSource(traits: traits, phones: phones, emails: emails).record
    }

    /// Whether the record holds nothing the matcher can compare.
    var isEmpty: Bool {
        Field.allCases.allSatisfy { $0 == .country || count($0) == 0 }
    }

    /// Adds the values of `other` not already held, after this record's own, as when a later
    /// event of the same customer is read. The country stays the first one given.
    mutating func merge(_ other: MatchRecord) {
        var values = Decoded(self)
        let added = Decoded(other)
        if values.country == nil { values.country = added.country }
        for value in added.firstNames { values.add(value, to: \.firstNames) }
        for value in added.lastNames { values.add(value, to: \.lastNames) }
        for value in added.birthdays { values.add(value, to: \.birthdays) }
        for value in added.postcodes { values.add(value, to: \.postcodes) }
        for value in added.cities { values.add(value, to: \.cities) }
        for value in added.streets { values.add(value, to: \.streets) }
        for value in added.phones { values.add(value, to: \.phones) }
        for value in added.emailLocalParts { values.add(value, to: \.emailLocalParts) }
        self = MatchRecord(values)
    }

    /// The layout of ``encoded``, and of what the normalisers make of values. Raise it when
    /// either changes: a stored record of another version is normalised again from its values
    /// as written, so an upgrade never compares records normalised two ways.
    /// `MatchRecordEncodingTests` pins what this version makes of a set of records.
    static let encodingVersion: UInt64 = 2

    /// The normalised values as bytes (``MatchRecordWriter``), which ``init(encoded:)`` reads,
    /// followed by a checksum of them: 8 bytes of ``TokenHash``, little-endian.
    var encoded: [UInt8] { storage.encoded }

    /// The record ``encoded`` wrote; `nil` when the bytes are of another
    /// ``encodingVersion``, fail their checksum, or hold a value no normaliser makes.
    ///
    /// Every value is decoded once here, to check it, so that reading values later cannot fail.
    init?(encoded bytes: UnsafeBufferPointer<UInt8>) {
        let checksumBytes = MemoryLayout<UInt64>.size
        guard bytes.count > checksumBytes else { return nil }
        let payload = UnsafeBufferPointer(rebasing: bytes[..<(bytes.count - checksumBytes)])
        var checksum: UInt64 = 0
        for (shift, byte) in bytes[(bytes.count - checksumBytes)...].enumerated() { checksum |= UInt64(byte) << (8 * shift) }
        guard checksum == TokenHash.of(payload) else { return nil }
        var reader = MatchRecordReader(payload)
        var starts = InlineArray<9, Int32>(repeating: 0)
        do throws(MatchRecordReader.Damaged) {
            guard try reader.uint64() == Self.encodingVersion, payload.count <= Int(Int32.max) else { return nil }
            func check<Value: MatchValueCoding>(_ field: Field, _: Value.Type) throws(MatchRecordReader.Damaged) {
                starts[field.rawValue] = Int32(reader.position)
                let count = try reader.count()
                guard count <= Self.maximumValuesPerField else { throw MatchRecordReader.Damaged() }
                for _ in 0..<count { _ = try Value(from: &reader) }
            }
            try check(.firstNames, MatchName.self)
            try check(.lastNames, MatchName.self)
            try check(.birthdays, Birthday.self)
            try check(.postcodes, Postcode.self)
            try check(.cities, CityName.self)
            try check(.streets, StreetAddress.self)
            try check(.phones, MatchPhone.self)
            try check(.emailLocalParts, EmailLocalPart.self)
            starts[Field.country.rawValue] = Int32(reader.position)
            _ = try reader.optionalString()
            guard reader.isAtEnd else { return nil }
        } catch {
            return nil
        }
        storage = Storage(encoded: Array(bytes), fieldStarts: starts)
    }

    /// Records with the same values are equal: the writer makes one form of a set of values.
    static func == (lhs: MatchRecord, rhs: MatchRecord) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.encoded == rhs.storage.encoded
    }

    /// Hashes the values.
    func hash(into hasher: inout Hasher) {
        hasher.combine(storage.encoded)
    }
}

/// What comparisons read a record's values from: a ``MatchRecord``, which decodes a field
/// onto the stack for each comparison, or a record decoded once (``DecodedMatchRecord``),
/// for one compared with many.
protocol MatchValues {
    /// Calls `body` with the values of `field`, in memory for the call.
    func withValues<Value, Result>(_ field: MatchRecord.FieldValues<Value>, _ body: (UnsafeBufferPointer<Value>) -> Result)
        -> Result
}

extension MatchRecord: MatchValues {}

/// A record decoded once, behind one reference (passing it costs one retain, not one per
/// field): an offline record compared with each of its candidates.
final class DecodedMatchRecord: MatchValues, Sendable {
    let values: MatchRecord.Decoded

    init(_ record: MatchRecord) {
        values = MatchRecord.Decoded(record)
    }

    func withValues<Value, Result>(_ field: MatchRecord.FieldValues<Value>, _ body: (UnsafeBufferPointer<Value>) -> Result)
        -> Result
    {
        values[keyPath: field.decoded].withUnsafeBufferPointer(body)
    }
}

extension MatchRecord {
    /// One field, with the type of its values.
    struct FieldValues<Value: MatchValueCoding> {
        let field: Field
        let decoded: KeyPath<Decoded, [Value]>
    }
}

extension MatchRecord.FieldValues<MatchName> {
    static var firstNames: Self { Self(field: .firstNames, decoded: \.firstNames) }
    static var lastNames: Self { Self(field: .lastNames, decoded: \.lastNames) }
}

extension MatchRecord.FieldValues<Birthday> {
    static var birthdays: Self { Self(field: .birthdays, decoded: \.birthdays) }
}

extension MatchRecord.FieldValues<Postcode> {
    static var postcodes: Self { Self(field: .postcodes, decoded: \.postcodes) }
}

extension MatchRecord.FieldValues<CityName> {
    static var cities: Self { Self(field: .cities, decoded: \.cities) }
}

extension MatchRecord.FieldValues<StreetAddress> {
    static var streets: Self { Self(field: .streets, decoded: \.streets) }
}

extension MatchRecord.FieldValues<MatchPhone> {
    static var phones: Self { Self(field: .phones, decoded: \.phones) }
}

extension MatchRecord.FieldValues<EmailLocalPart> {
    static var emailLocalParts: Self { Self(field: .emailLocalParts, decoded: \.emailLocalParts) }
}

/// A normalised value a ``MatchRecord`` holds, written to and read from its bytes.
protocol MatchValueCoding {
    func write(to writer: inout MatchRecordWriter)
    init(from reader: inout MatchRecordReader) throws(MatchRecordReader.Damaged)
}

extension MatchName: MatchValueCoding {}
extension Birthday: MatchValueCoding {}
extension Postcode: MatchValueCoding {}
extension CityName: MatchValueCoding {}
extension StreetAddress: MatchValueCoding {}
extension MatchPhone: MatchValueCoding {}
extension EmailLocalPart: MatchValueCoding {}
