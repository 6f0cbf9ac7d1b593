import Foundation
internal import GRDB

extension Store {
    /// Calls `body` with every rejected line kept in the store, in the order they were
    /// rejected; only those read from `input` when it is given.
    ///
    /// Lines are read with a cursor, so millions of rejects do not fill memory.
    public func forEachRejectedLine(input: String? = nil, _ body: (RejectedLine) throws -> Void) throws(UnifyError) {
        try read { db in
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT inputs.name, rejects.line, rejects.code, rejects.reason, rejects.raw
                FROM rejects JOIN inputs ON inputs.id = rejects.input_id
                WHERE ?1 IS NULL OR inputs.name = ?1
                ORDER BY rejects.id
                """, arguments: [input])
            while let row = try cursor.next() {
                let code = LineFault.Code(rawValue: row[2]) ?? .notJSON
                let raw: Data = row[4]
                try body(RejectedLine(input: row[0], line: row[1], fault: LineFault(code: code, message: row[3]),
                                      bytes: [UInt8](raw)))
            }
        }
    }

    /// The rejected lines kept in the store, up to `limit`.
    public func rejectedLines(input: String? = nil, limit: Int = .max) throws(UnifyError) -> [RejectedLine] {
        var lines: [RejectedLine] = []
        struct Enough: Error {}
        do {
            try forEachRejectedLine(input: input) { line in
                guard lines.count < limit else { throw Enough() }
                lines.append(line)
            }
        } catch let error where error.cause is Enough {}
        return lines
    }

    /// How many events the log holds and how many lines were rejected.
    public func logCounts() throws(UnifyError) -> (events: Int, rejects: Int) {
        try read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM rejects") ?? 0)
        }
    }
}
