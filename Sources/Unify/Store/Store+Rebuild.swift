import Foundation
internal import GRDB

extension Store {
    /// Drops everything derived from the log and derives it again, in one transaction.
    ///
    /// Events are replayed in log order, decoded from their original JSON with the current
    /// configuration; a line that had no time gets the time the log recorded for it. The
    /// result is the same as ingesting the log's events again in any order. Retired customer
    /// ids keep redirecting, since they are history users may still hold.
    public func rebuild() throws(UnifyError) {
        try writeWithoutTransaction { db throws(UnifyError) in
            try transaction(db) { () throws(UnifyError) in
                try storage("rebuilding the store") {
                    // Remember each customer, what its id was made from and its events, so that ids
                    // the rebuild retires (after a configuration change) redirect. The event lists
                    // say who each event belonged to without reading a row per event.
                    try db.execute(sql: """
                        CREATE TEMP TABLE previous_customers AS SELECT customer, anchor, event_list FROM customers;
                        DELETE FROM identifiers; DELETE FROM event_identity; DELETE FROM customers;
                        DELETE FROM component_links; DELETE FROM identifier_kinds;
                        DELETE FROM match_records; DELETE FROM match_keys; DELETE FROM match_links;
                        DELETE FROM store_info WHERE key = 'latest_event_time';
                        """)
                    try Store.setResolvedThrough(0, db)
                }
                var resolver = try makeResolver(db)
                try resolver.beginTransaction()
                while try resolveLogged(db, with: &resolver, limit: configuration.transactionLines) > 0 {}
                try storage("rebuilding the store") { try Store.redirectRetiredCustomers(db) }
            }
        }
    }

    /// After a rebuild: each customer id that no longer exists redirects to the customer that
    /// most of its events belong to now (ties to the smallest id), recorded at the last of
    /// those events, keeping the anchor it was made from. Redirects to ids that were retired in
    /// turn are followed, and ids that live again stop redirecting.
    private static func redirectRetiredCustomers(_ db: Database) throws {
        let retired = try Row.fetchAll(db, sql: """
            SELECT customer, anchor, event_list FROM temp.previous_customers
            WHERE customer NOT IN (SELECT customer FROM main.customers)
            """)
        let customerOfEvent = try db.makeStatement(sql: """
            SELECT coalesce(identifiers.customer, event_identity.own_customer) FROM event_identity
            LEFT JOIN identifiers ON identifiers.key = event_identity.principal WHERE event_identity.seq = ?
            """)
        let redirect = try db.makeStatement(sql: """
            INSERT INTO customer_redirects (retired_id, survivor_id, seq, anchor) VALUES (?, ?, ?, ?)
            ON CONFLICT (retired_id) DO UPDATE SET survivor_id = excluded.survivor_id,
                anchor = coalesce(customer_redirects.anchor, excluded.anchor)
            """)
        for row in retired {
            let retiredID = CustomerID(hash: UInt64(bitPattern: row[0])).description
            let events = EventList(bytes: [UInt8](row["event_list"] as Data)).entries
            var moves: [String: (events: Int, lastSeq: Int64)] = [:]
            for (_, seq) in events {
                guard let customer = try Int64.fetchOne(customerOfEvent, arguments: [seq]) else { continue }
                let survivor = CustomerID(hash: UInt64(bitPattern: customer)).description
                let move = moves[survivor] ?? (0, .min)
                moves[survivor] = (move.events + 1, max(move.lastSeq, seq))
            }
            guard let (survivor, move) = moves.min(by: { $0.value.events != $1.value.events
                ? $0.value.events > $1.value.events : $0.key < $1.key })
            else { continue }
            try redirect.execute(arguments: [retiredID, survivor, move.lastSeq, row["anchor"] as String])
        }
        try db.execute(sql: """
            DELETE FROM customer_redirects WHERE retired_id IN (SELECT printf('cus_%016x', customer) FROM customers);
            UPDATE customer_redirects
            SET survivor_id = (SELECT later.survivor_id FROM customer_redirects AS later
                               WHERE later.retired_id = customer_redirects.survivor_id)
            WHERE survivor_id IN (SELECT retired_id FROM customer_redirects);
            DROP TABLE temp.previous_customers;
            """)
    }

    /// Resolves the logged events that an ingest with ``IngestOptions/resolveIdentities``
    /// off left for later, and returns how many there were.
    @discardableResult
    public func resolvePending() throws(UnifyError) -> Int {
        try writeWithoutTransaction { db throws(UnifyError) in try resolvePending(db) }
    }

    /// How many logged events wait for identity resolution.
    public func pendingResolution() throws(UnifyError) -> Int {
        try read { db in
            let through = try Store.resolvedThrough(db)
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE seq > ?", arguments: [through]) ?? 0
        }
    }

    func resolvePending(_ db: Database) throws(UnifyError) -> Int {
        // Most ingests find nothing pending: say so without preparing a resolver.
        let pending = try storage("looking for unresolved events") {
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM events WHERE seq > ?)",
                              arguments: [try Store.resolvedThrough(db)]) ?? false
        }
        guard pending else { return 0 }
        var resolver = try makeResolver(db)
        var resolved = 0
        while true {
            let count = try transaction(db) { () throws(UnifyError) -> Int in
                try resolver.beginTransaction()
                return try resolveLogged(db, with: &resolver, limit: configuration.transactionLines)
            }
            if count == 0 { return resolved }
            resolved += count
        }
    }

    /// Resolves up to `limit` logged events after the `resolved_through` mark, in log order,
    /// inside the caller's transaction, and writes them back; returns how many.
    ///
    /// The lines are read back on a reader connection and decoded on the ingest's decoding
    /// threads, so the writer only resolves.
    func resolveLogged(_ db: Database, with resolver: inout EventResolver, limit: Int) throws(UnifyError) -> Int {
        let through = try storage("reading the resolved mark") { try Store.resolvedThrough(db) }
        let pipeline = IngestPipeline(
            limits: decoderLimits, batchLines: configuration.batchLines,
            // Every logged line carries the time the log recorded for it.
            ingestTime: Timestamp(millisecondsSince1970: 0),
            decoders: configuration.decodingThreads, preparation: resolver.preparation)
        let source = LoggedLineSource(reader: database, after: through, limit: limit)
        let (count, last) = try pipeline.run(source) { batches throws(UnifyError) -> (Int, Int64) in
            var count = 0
            var last = through
            while let batch = try batches.next() {
                for entry in batch.entries {
                    let seq = Int64(entry.lineNumber)
                    switch entry.outcome {
                    case .event(let event):
                        try resolver.add(event, seq: seq)
                    case .rejected(let fault):
                        throw UnifyError(code: .storeUnavailable, message: """
                            logged event #\(seq) no longer decodes under the current limits (\(fault.message)); \
                            raise maximumLineBytes or maximumJSONDepth back to what they were when it was logged
                            """)
                    }
                    last = seq
                    count += 1
                }
                batches.discard(consume batch)
            }
            return (count, last)
        }
        try resolver.finish()
        if count > 0 { try storage("marking events resolved") { try Store.setResolvedThrough(last, db) } }
        return count
    }

    /// `IdentityRules.priority` in SQL, over a `kind` column.
    static let priorityExpression = """
        CASE kind WHEN 'user_id' THEN 0 WHEN 'email' THEN 2 WHEN 'phone' THEN 3 WHEN 'device_id' THEN 4
        WHEN 'anonymous_id' THEN 5 ELSE 1 END
        """

    static func resolvedThrough(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT value FROM store_info WHERE key = 'resolved_through'") ?? 0
    }

    /// The latest event time resolved: the reference time for stages when a query gives none.
    static func latestEventTime(_ db: Database) throws -> Int64? {
        try String.fetchOne(db, sql: "SELECT value FROM store_info WHERE key = 'latest_event_time'").flatMap { Int64($0) }
    }

    static func setLatestEventTime(_ time: Int64, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO store_info (key, value) VALUES ('latest_event_time', ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, arguments: ["\(time)"])
    }

    static func setResolvedThrough(_ seq: Int64, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO store_info (key, value) VALUES ('resolved_through', ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, arguments: ["\(seq)"])
    }
}
