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
                do {
                    try db.execute(sql: """
                        DELETE FROM identifiers; DELETE FROM identifier_anchors; DELETE FROM event_identity;
                        DELETE FROM components;
                        """)
                    var identity = try IdentityIndex(db: db, rules: identityRules, customerIDs: customerIDs)
                    var decoder = EventDecoder(limits: .init(maximumLineBytes: Int(Int32.max),
                                                             maximumDepth: configuration.maximumJSONDepth))
                    let cursor = try Row.fetchCursor(db, sql: "SELECT seq, time, raw FROM events ORDER BY seq")
                    var sinceFinish = 0
                    while let row = try cursor.next() {
                        let seq: Int64 = row[0]
                        let time = Timestamp(millisecondsSince1970: row[1])
                        var raw: String = row[2]
                        let event = try raw.withUTF8 { bytes throws(LineFault) in
                            try decoder.decode(bytes, ingestTime: time)
                        }
                        try identity.add(event, seq: seq)
                        sinceFinish += 1
                        if sinceFinish == configuration.transactionLines {
                            try identity.finish()
                            sinceFinish = 0
                        }
                    }
                    try identity.finish()
                    try db.execute(sql: """
                        DELETE FROM customer_redirects
                        WHERE retired_id IN (SELECT customer_id FROM event_identity)
                        """)
                } catch let error as UnifyError {
                    throw error
                } catch {
                    throw UnifyError(code: .storageFailure, message: "rebuilding the store failed", cause: error)
                }
            }
        }
    }
}
