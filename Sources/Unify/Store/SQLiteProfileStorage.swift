internal import GRDB

/// Profiles in SQLite: the `profile` column of `customers`, and the log's events read back
/// as facts to fold a recomputed customer again.
struct SQLiteProfileStorage: ProfileStorage {
    let db: Database
    let rules: ProjectionRules
    let limits: EventDecoder.Limits

    func profile(_ customer: CustomerID) throws -> ProfileState? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT profile FROM customers WHERE customer = ?"),
                            arguments: [customer.storageValue])
            .flatMap { ProfileState(json: $0, rules: rules) }
    }

    func facts(ofEvents seqs: [Int64]) throws -> [ProfileFacts] {
        var decoder = EventDecoder(limits: limits)
        let row = try db.cachedStatement(sql: "SELECT time, raw FROM events WHERE seq = ?")
        return try seqs.compactMap { seq in
            guard let found = try Row.fetchOne(row, arguments: [seq]) else { return nil }
            var raw: String = found[1]
            let time = Timestamp(millisecondsSince1970: found[0])
            // The log only holds lines that decoded; the time it recorded stands in for a missing one.
            let event = try raw.withUTF8 { bytes throws(LineFault) in try decoder.decode(bytes, ingestTime: time) }
            var facts = rules.facts(of: event)
            facts.seq = seq
            return facts
        }
    }
}
