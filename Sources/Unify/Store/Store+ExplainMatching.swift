internal import GRDB

extension Store {
    /// A customer's records compared at most when explaining why two customers are apart:
    /// an explanation is asked for interactively, and a few hundred records say it all.
    static let recordsComparedWhenExplaining = 400

    /// What probabilistic matching made of two customers that are apart, given their events:
    /// why their closest pair of records did not join them, in words, and that pair's
    /// comparison; `nil` when neither customer has a record to compare.
    ///
    /// The pair is scored again with the store's parameters and policy, so the explanation
    /// holds for what an ingest would decide now.
    func matchingApart(_ first: [Int64], _ second: [Int64], _ db: Database) throws
        -> (reason: String, closest: Explanation.MatchEvidence?)?
    {
        let left = try Store.matchRecords(ofEvents: first, db)
        let right = try Store.matchRecords(ofEvents: second, db)
        guard !left.isEmpty || !right.isEmpty else { return nil }
        guard !left.isEmpty, !right.isEmpty else {
            return ("probabilistic matching has nothing to compare: \(left.isEmpty ? "the first" : "the second") has no "
                    + "record with a last name and a first name, birthday, postcode, town, street or phone", nil)
        }
        let linker = RecordLinker(policy: matchingPolicy, model: try SQLiteMatchIndex.savedModel(db) ?? .default)
        var closest: (earlier: SQLiteMatchIndex.Stored, later: SQLiteMatchIndex.Stored, score: MatchScore)?
        for a in left {
            for b in right where a.offline || b.offline {
                let (earlier, later) = a.position < b.position ? (a, b) : (b, a)
                let score = linker.model.score(earlier.record, later.record)
                if let best = closest, best.score.weight >= score.weight { continue }
                closest = (earlier, later, score)
            }
        }
        guard let (earlier, later, score) = closest else {
            return ("probabilistic matching compares offline records (those without an account) only, and neither has one",
                    nil)
        }
        let evidence = Explanation.MatchEvidence(earlier: earlier.position.eventID, later: later.position.eventID,
                                                 weight: score.weight, evidence: score.description)
        let pair = "their closest records, \(evidence.earlier) and \(evidence.later),"
        let threshold = "the match threshold of \(MatchScore.signed(linker.policy.threshold))"
        if score.weight < linker.policy.threshold {
            return ("\(pair) weigh \(MatchScore.signed(score.weight)), under \(threshold): \(score.description)", evidence)
        }
        if linker.policy.holdBackRelatives,
           let field = RecordLinker.relativesDisagreement(score.comparison, earlier.record, later.record)
        {
            return ("""
                \(pair) weigh \(MatchScore.signed(score.weight)), over \(threshold), but their \(field)s disagree, \
                which tells relatives at one address apart (hold_back_relatives): \(score.description)
                """, evidence)
        }
        if let blocked = try Store.neverCompared(earlier.record, later.record,
                                                 maximumBlockSize: linker.policy.maximumBlockSize, db) {
            return ("\(pair) would link (weight \(MatchScore.signed(score.weight))), but were never compared: \(blocked)",
                    evidence)
        }
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM match_links WHERE seq = ? AND partner = ?)",
                             arguments: [later.seq, earlier.seq]) == true
        {
            return ("""
                \(pair) matched (weight \(MatchScore.signed(score.weight))), but a probabilistic link never joins two \
                customers that each hold an account
                """, evidence)
        }
        return ("""
            \(pair) link with the current parameters (weight \(MatchScore.signed(score.weight))) but were matched with \
            others: run `unify rebuild` to match again
            """, evidence)
    }

    /// The stored records among `events`, in their order, up to ``recordsComparedWhenExplaining``.
    private static func matchRecords(ofEvents events: [Int64], _ db: Database) throws -> [SQLiteMatchIndex.Stored] {
        let statement = try db.cachedStatement(sql: """
            SELECT time, event_id, offline, fields, normalised FROM match_records WHERE seq = ?
            """)
        var records: [SQLiteMatchIndex.Stored] = []
        for seq in events where records.count < recordsComparedWhenExplaining {
            guard let row = try Row.fetchOne(statement, arguments: [seq]),
                  let record = SQLiteMatchIndex.record(normalised: row[4], fields: row[3])
            else { continue }
            records.append(.init(seq: seq, position: EventPosition(time: row[0], eventID: row[1]), offline: row[2],
                                 record: record))
        }
        return records
    }

    /// Why blocking never put two records side by side, or `nil` when some block holds both
    /// and is small enough to compare.
    private static func neverCompared(_ a: MatchRecord, _ b: MatchRecord, maximumBlockSize: Int, _ db: Database) throws
        -> String?
    {
        let shared = Set(MatchInput.blockKeys(of: a)).intersection(MatchInput.blockKeys(of: b))
        guard !shared.isEmpty else { return "they share no blocking key (docs/IDENTITY.md, Probabilistic matching)" }
        let size = try db.cachedStatement(sql: "SELECT count(*) FROM (SELECT 1 FROM match_keys WHERE key = ? LIMIT ?)")
        for key in shared where try Int.fetchOne(size, arguments: [key, maximumBlockSize + 1])! <= maximumBlockSize {
            return nil
        }
        return "every block they share holds more than \(maximumBlockSize) records (maximum_block_size)"
    }
}
