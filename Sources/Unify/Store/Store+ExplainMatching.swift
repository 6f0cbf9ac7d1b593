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
        let (left, leftCapped) = try Store.matchRecords(ofEvents: first, db)
        let (right, rightCapped) = try Store.matchRecords(ofEvents: second, db)
        guard !left.isEmpty || !right.isEmpty else { return nil }
        guard !left.isEmpty, !right.isEmpty else {
            return ("""
                probabilistic matching has nothing to compare: \(left.isEmpty ? "the first" : "the second") customer \
                has no event with a last name and a first name, birthday, postcode, town, street or phone \
                (or its events came in before matching was on: `unify rebuild` matches them)
                """, nil)
        }
        let linker = RecordLinker(policy: matchingPolicy, model: try SQLiteMatchIndex.savedModel(db) ?? .default)
        // The pair that says most: one that would link (then the question is why it did
        // not), else one held back as relatives, else the heaviest; ties to the earliest
        // records, so that `explain A B` and `explain B A` show the same pair.
        // The order, smallest first: rank, then heavier, then earlier records.
        typealias Order = (rank: Int, lightness: Double, earlier: EventPosition, later: EventPosition)
        var closest: (order: Order, earlier: SQLiteMatchIndex.Stored, later: SQLiteMatchIndex.Stored, score: MatchScore,
                      heldBackOn: MatchField?)?
        for a in left {
            for b in right where a.offline || b.offline {
                let (earlier, later) = a.position < b.position ? (a, b) : (b, a)
                let score = linker.model.score(earlier.record, later.record)
                let heldBackOn = score.weight >= linker.policy.threshold && linker.policy.holdBackRelatives
                    ? RecordLinker.relativesDisagreement(score.comparison, earlier.record, later.record) : nil
                let rank = score.weight < linker.policy.threshold ? 2 : heldBackOn != nil ? 1 : 0
                let order: Order = (rank, -score.weight, earlier.position, later.position)
                if let best = closest, best.order <= order { continue }
                closest = (order, earlier, later, score, heldBackOn)
            }
        }
        guard let (_, earlier, later, score, heldBackOn) = closest else {
            return ("probabilistic matching compares offline records (events without an account) only, and neither customer has one",
                    nil)
        }
        let evidence = Explanation.MatchEvidence(earlier: earlier.position.eventID, later: later.position.eventID,
                                                 weight: score.weight, evidence: score.description)
        let among = leftCapped || rightCapped ? " (among each customer's first \(Store.recordsComparedWhenExplaining) records)" : ""
        let pair = "their closest records\(among), \(evidence.earlier) and \(evidence.later),"
        let weight = MatchScore.signed(score.weight)
        let threshold = "the match threshold of \(MatchScore.signed(linker.policy.threshold))"
        if score.weight < linker.policy.threshold {
            return ("\(pair) weigh \(weight), under \(threshold): \(score.evidenceDescription)", evidence)
        }
        if let field = heldBackOn {
            return ("""
                \(pair) weigh \(weight), over \(threshold), but their \(Self.disagreement(on: field, score.comparison)), \
                which tells relatives at one address apart (hold_back_relatives): \(score.evidenceDescription)
                """, evidence)
        }
        // What happened first: a link recorded when the later record came in.
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM match_links WHERE seq = ? AND partner = ?)",
                             arguments: [later.seq, earlier.seq]) == true
        {
            return ("""
                \(pair) matched (weight \(weight)), but the record identifier that link gave them does not join the \
                customers: see the reason above
                """, evidence)
        }
        if let blocked = try Store.notCompared(earlier.record, later.record,
                                               maximumBlockSize: linker.policy.maximumBlockSize, db) {
            return ("\(pair) would link (weight \(weight)), but are not compared: \(blocked)", evidence)
        }
        return ("""
            \(pair) would link with the current model and policy (weight \(weight)), but were scored with different \
            ones when they came in: run `unify rebuild` to match again
            """, evidence)
    }

    /// How the disagreement that holds relatives apart reads: `first names differ`.
    private static func disagreement(on field: MatchField, _ comparison: ComparisonVector) -> String {
        switch field {
        case .birthday where comparison[.birthday] == .withinOneYear: "birthdays are different dates within a year"
        case .birthday: "birthdays differ"
        case .firstName: "first names differ"
        case .phone: "phones differ"
        default: "\(field)s differ"
        }
    }

    /// The stored records among `events`, in their order, up to ``recordsComparedWhenExplaining``,
    /// and whether there were more.
    private static func matchRecords(ofEvents events: [Int64], _ db: Database) throws
        -> (records: [SQLiteMatchIndex.Stored], capped: Bool)
    {
        let statement = try db.cachedStatement(sql: """
            SELECT time, event_id, offline, fields, normalised FROM match_records WHERE seq = ?
            """)
        var records: [SQLiteMatchIndex.Stored] = []
        for seq in events {
            guard let row = try Row.fetchOne(statement, arguments: [seq]),
                  let record = SQLiteMatchIndex.record(normalised: row[4], fields: row[3])
            else { continue }
            guard records.count < recordsComparedWhenExplaining else { return (records, true) }
            records.append(.init(seq: seq, position: EventPosition(time: row[0], eventID: row[1]), offline: row[2],
                                 record: record))
        }
        return (records, false)
    }

    /// Why blocking does not put two records side by side, or `nil` when some block holds
    /// both and is small enough to compare. Blocks are measured as they are now; the later
    /// record saw them one record smaller when it came in.
    private static func notCompared(_ a: MatchRecord, _ b: MatchRecord, maximumBlockSize: Int, _ db: Database) throws
        -> String?
    {
        let shared = Set(MatchInput.blockKeys(of: a)).intersection(MatchInput.blockKeys(of: b))
        guard !shared.isEmpty else { return "they share no blocking key (docs/IDENTITY.md, Probabilistic matching)" }
        let size = try db.cachedStatement(sql: "SELECT count(*) FROM (SELECT 1 FROM match_keys WHERE key = ? LIMIT ?)")
        for key in shared where try Int.fetchOne(size, arguments: [key, maximumBlockSize + 1])! <= maximumBlockSize {
            return nil
        }
        return "every block they share now holds more than \(maximumBlockSize) records (maximum_block_size)"
    }
}
