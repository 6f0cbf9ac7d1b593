/// What one event gives probabilistic matching, prepared on the decoding threads: its
/// record, the record's blocking keys, and whether it is an offline record.
///
/// An event is a record when its traits name a person (a last name) and say one more thing
/// the matcher compares (a first name, birthday, postcode, town, street or phone). It is an
/// *offline* record when it carries no identifier but contact ones (an email, a phone): a
/// till receipt, a paper form, a call note. Only pairs with an offline record in them are
/// scored; two records that both carry accounts are deterministic resolution's business.
struct MatchInput: Sendable {
    var record: MatchRecord
    /// What the store keeps of the record: its values as written (``MatchRecordSource/stored``)
    /// and normalised (``MatchRecord/encoded``), made here rather than on the writer's thread.
    var storedFields: String
    var normalised: [UInt8]
    /// One 64-bit key per blocking key (``BlockingKeys``), rule and value hashed together.
    var blockKeys: [Int64]
    var offline: Bool

    /// The input of an event with its identity keys, or `nil` when it is no record.
    static func of(_ event: Event, identity keys: IdentityKeys) -> MatchInput? {
        guard !event.traits.isEmpty else { return nil }
        var phones: [String] = []
        var emails: [String] = []
        var offline = true
        for (index, identifier) in keys.identifiers.enumerated() where !keys.junk[index] {
            switch identifier.kind {
            case .phone: phones.append(identifier.value)
            case .email: emails.append(identifier.value)
            default: offline = false
            }
        }
        let source = MatchRecordSource(traits: event.traits, phones: phones, emails: emails)
        let record = source.record
        let compared: [MatchRecord.Field] = [.firstNames, .birthdays, .postcodes, .cities, .streets, .phones]
        guard record.count(.lastNames) > 0, compared.contains(where: { record.count($0) > 0 }) else { return nil }
        return MatchInput(record: record, storedFields: source.stored, normalised: record.encoded,
                          blockKeys: blockKeys(of: record), offline: offline)
    }

    /// The hashed blocking keys of a record, sorted, without repeats.
    static func blockKeys(of record: MatchRecord) -> [Int64] {
        var keys = BlockingKeys.keys(for: record).map { key in
            Int64(bitPattern: TokenHash.of(key.rule.rawValue.utf8 + [0x3A] + key.value.utf8))
        }
        keys.sort()
        var unique: [Int64] = []
        unique.reserveCapacity(keys.count)
        for key in keys where unique.last != key { unique.append(key) }
        return unique
    }
}
