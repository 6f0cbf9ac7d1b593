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
                    try db.execute(sql: """
                        DELETE FROM identifiers; DELETE FROM identifier_anchors; DELETE FROM event_identity;
                        DELETE FROM components;
                        """)
                    try Store.setResolvedThrough(0, db)
                }
                while try resolveNext(db, limit: configuration.transactionLines) > 0 {}
                try storage("rebuilding the store") {
                    try db.execute(sql: """
                        DELETE FROM customer_redirects
                        WHERE retired_id IN (SELECT customer_id FROM event_identity)
                        """)
                }
            }
        }
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
            let through = try Int64.fetchOne(db, sql: "SELECT value FROM store_info WHERE key = 'resolved_through'")
                .flatMap { $0 } ?? 0
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE seq > ?", arguments: [through]) ?? 0
        }
    }

    func resolvePending(_ db: Database) throws(UnifyError) -> Int {
        var resolved = 0
        while true {
            let count = try transaction(db) { () throws(UnifyError) -> Int in
                try resolveNext(db, limit: configuration.transactionLines)
            }
            if count == 0 { return resolved }
            resolved += count
        }
    }

    /// Resolves up to `limit` logged events after the `resolved_through` mark, in log order,
    /// inside the caller's transaction; returns how many.
    private func resolveNext(_ db: Database, limit: Int) throws(UnifyError) -> Int {
        var identity = try IdentityIndex(db: db, rules: identityRules, customerIDs: customerIDs)
        var decoder = EventDecoder(limits: .init(maximumLineBytes: configuration.maximumLineBytes,
                                                 maximumDepth: configuration.maximumJSONDepth))
        return try storage("resolving logged events") {
            let through = try Store.resolvedThrough(db)
            let cursor = try Row.fetchCursor(db, sql: "SELECT seq, time, raw FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                                             arguments: [through, limit])
            var last = through
            var count = 0
            while let row = try cursor.next() {
                let seq: Int64 = row[0]
                let time = Timestamp(millisecondsSince1970: row[1])
                var raw: String = row[2]
                // The log only holds lines that decoded; the time it recorded stands in for a missing one.
                let event = try raw.withUTF8 { bytes throws(LineFault) in try decoder.decode(bytes, ingestTime: time) }
                try identity.add(event, seq: seq)
                last = seq
                count += 1
            }
            try identity.finish()
            if count > 0 { try Store.setResolvedThrough(last, db) }
            return count
        }
    }

    static func resolvedThrough(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT value FROM store_info WHERE key = 'resolved_through'") ?? 0
    }

    static func setResolvedThrough(_ seq: Int64, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO store_info (key, value) VALUES ('resolved_through', ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, arguments: ["\(seq)"])
    }
}
