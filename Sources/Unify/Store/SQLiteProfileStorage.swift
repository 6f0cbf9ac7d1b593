internal import GRDB

/// Profiles in SQLite: the `profile` column of `customers`, and the log's events read back
/// as facts to fold a recomputed customer again.
///
/// Statements are prepared once: a batch reads the profile of every customer it touches,
/// and a recomputation every event of its customers.
struct SQLiteProfileStorage: ProfileStorage {
    let rules: ProjectionRules
    let limits: EventDecoder.Limits
    private let profileOf: SQLiteStatement
    private let eventOf: SQLiteStatement

    init(db: Database, rules: ProjectionRules, limits: EventDecoder.Limits) throws(UnifyError) {
        self.rules = rules
        self.limits = limits
        profileOf = try SQLiteStatement(db, sql: "SELECT profile FROM customers WHERE customer = ?1")
        eventOf = try SQLiteStatement(db, sql: "SELECT time, raw FROM events WHERE seq = ?1")
    }

    func profile(_ customer: CustomerID) throws -> ProfileState? {
        profileOf.bind(1, customer.storageValue)
        defer { profileOf.reset() }
        guard try profileOf.step() else { return nil }
        return profileOf.withBlob(0) { ProfileState(json: $0, rules: rules) }
    }

    func facts(ofEvents seqs: [Int64]) throws -> [ProfileFacts] {
        var decoder = EventDecoder(limits: limits)
        var facts: [ProfileFacts] = []
        facts.reserveCapacity(seqs.count)
        for seq in seqs {
            eventOf.bind(1, seq)
            defer { eventOf.reset() }
            guard try eventOf.step(), let time = eventOf.int64(0), var raw = eventOf.text(1) else { continue }
            // The log only holds lines that decoded; the time it recorded stands in for a missing one.
            let event = try raw.withUTF8 { bytes throws(LineFault) in
                try decoder.decode(bytes, ingestTime: Timestamp(millisecondsSince1970: time))
            }
            var eventFacts = rules.facts(of: event)
            eventFacts.seq = seq
            facts.append(eventFacts)
        }
        return facts
    }
}
