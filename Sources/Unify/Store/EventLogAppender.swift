internal import GRDB

/// Appends decoded batches to the event log and the rejects table inside the caller's
/// transaction, skipping events whose id is already logged.
///
/// Event ids are found through `event_key`, a unique 64-bit digest of the id: an integer
/// index stays fast at millions of rows where a text index does not, and with a unique key
/// a new event costs one insert and no lookup. Two different ids that share a digest (odds
/// about one in 10⁷ for a billion events) are not lost: the second takes the next free key,
/// as in linear probing, so finding an id walks keys from its digest until the id or a
/// free key turns up. Nothing is ever deleted from the log, so the walk always ends right.
struct EventLogAppender {
    /// Counts of what was appended since the last ``writeCounts(_:)``, by kind, channel, input.
    private struct CountKey: Hashable {
        var kind: String
        var channel: String
        var input: Int64
    }

    private struct Tally {
        var events = 0
        var timesAssigned = 0
        var first = Int64.max
        var last = Int64.min

        mutating func count(_ event: PreparedEvent) {
            let time = event.time.millisecondsSince1970
            events += 1
            if event.timeWasAssigned { timesAssigned += 1 }
            first = min(first, time)
            last = max(last, time)
        }
    }

    private var counts: [CountKey: Tally] = [:]
    private let insertEvent: SQLiteStatement
    private let eventIDAtKey: SQLiteStatement
    private let findReject: SQLiteStatement
    private let insertReject: SQLiteStatement

    init(_ db: Database) throws(UnifyError) {
        insertEvent = try SQLiteStatement(db, sql: """
            INSERT INTO events (event_id, event_key, kind, name, time, time_assigned, channel, source,
                                input_id, line, ingested_at, raw)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
            ON CONFLICT (event_key) DO NOTHING
            """)
        eventIDAtKey = try SQLiteStatement(db, sql: "SELECT event_id FROM events WHERE event_key = ?1")
        findReject = try SQLiteStatement(db, sql: """
            SELECT raw FROM rejects WHERE reject_key = ?1
            """)
        insertReject = try SQLiteStatement(db, sql: """
            INSERT INTO rejects (reject_key, input_id, line, code, reason, raw, rejected_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """)
    }

    /// Appends `batch`; returns `false` when `strict` is set and a line was rejected, after
    /// appending everything before that line and the reject itself.
    /// `appended` is called with each new event and its sequence number, in the same
    /// transaction, for what derives from the log.
    mutating func append(
        _ batch: DecodedBatch, inputID: Int64, inputName: String, ingestedAt: Timestamp, strict: Bool,
        report: inout IngestReport, appended: (PreparedEvent, Int64) throws(UnifyError) -> Void
    ) throws(UnifyError) -> Bool {
        report.blankLines += batch.blankLines
        report.bytesRead += batch.bytesRead
        return try batch.bytes.withUnsafeBufferPointer { bytes throws(UnifyError) -> Bool in
            for entry in batch.entries {
                report.linesRead += 1
                let raw = UnsafeBufferPointer(rebasing: bytes[entry.range])
                switch entry.outcome {
                case .event(let event):
                    if let seq = try append(event, raw: raw, inputID: inputID, line: entry.lineNumber,
                                            ingestedAt: ingestedAt) {
                        let key = CountKey(kind: event.kind.rawValue, channel: event.channel?.rawValue ?? "", input: inputID)
                        // One look-up of the key (it hashes two strings), the tally changed in place.
                        counts[key, default: Tally()].count(event)
                        try appended(event, seq)
                        report.accepted += 1
                        if event.timeWasAssigned { report.timesAssigned += 1 }
                        if let channel = event.channel, !channel.isKnown {
                            report.unlistedChannels[channel.rawValue, default: 0] += 1
                        }
                    } else {
                        report.duplicates += 1
                    }
                case .rejected(let fault):
                    try appendReject(fault, raw: raw, inputID: inputID, line: entry.lineNumber, at: ingestedAt)
                    report.rejected += 1
                    if report.sampleRejects.count < IngestReport.sampleLimit {
                        report.sampleRejects.append(
                            RejectedLine(input: inputName, line: entry.lineNumber, fault: fault, bytes: Array(raw)))
                    }
                    if strict { return false }
                }
            }
            return true
        }
    }

    /// Appends one event unless its id is logged; its sequence number when it was new.
    mutating func append(
        _ event: PreparedEvent, raw: UnsafeBufferPointer<UInt8>, inputID: Int64, line: Int, ingestedAt: Timestamp
    ) throws(UnifyError) -> Int64? {
        insertEvent.bind(1, event.id)
        insertEvent.bind(3, event.kind.rawValue)
        insertEvent.bind(4, event.name)
        insertEvent.bind(5, event.time.millisecondsSince1970)
        insertEvent.bind(6, event.timeWasAssigned ? 1 : 0)
        insertEvent.bind(7, event.channel?.rawValue)
        insertEvent.bind(8, event.source)
        insertEvent.bind(9, inputID)
        insertEvent.bind(10, Int64(line))
        insertEvent.bind(11, ingestedAt.millisecondsSince1970)
        insertEvent.bind(12, bytes: raw, asText: true)
        defer { insertEvent.reset() }
        var key = ContentDigest(event.id).integerKey
        while true {
            insertEvent.bind(2, key)
            _ = try insertEvent.step()
            if insertEvent.changes > 0 { return insertEvent.lastInsertedRowID }
            // The key is taken: by this very id (a duplicate), or by another id with the same digest.
            eventIDAtKey.bind(1, key)
            defer { eventIDAtKey.reset() }
            guard try eventIDAtKey.step() else {
                throw UnifyError(code: .storageFailure, message: "event key \(key) is taken but holds no event")
            }
            if eventIDAtKey.column(0, equals: event.id) { return nil }
            key &+= 1
            insertEvent.resetKeepingBindings()
        }
    }

    /// Adds what was appended since the last call to the log's counts; call it before the
    /// transaction commits.
    mutating func writeCounts(_ db: Database) throws(UnifyError) {
        guard !counts.isEmpty else { return }
        try Store.storage("counting the log") {
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO log_counts (kind, channel, input_id, events, times_assigned, first_time, last_time)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (kind, channel, input_id) DO UPDATE SET events = events + excluded.events,
                    times_assigned = times_assigned + excluded.times_assigned,
                    first_time = min(first_time, excluded.first_time), last_time = max(last_time, excluded.last_time)
                """)
            for (key, tally) in counts {
                try upsert.execute(arguments: [key.kind, key.channel, key.input, tally.events, tally.timesAssigned,
                                               tally.first, tally.last])
            }
        }
        counts.removeAll()
    }

    /// Keeps a rejected line, once: the same bytes are not kept twice, whichever input or
    /// line they came from again (a re-run, the same file by another path, a repeated line).
    private func appendReject(
        _ fault: LineFault, raw: UnsafeBufferPointer<UInt8>, inputID: Int64, line: Int, at time: Timestamp
    ) throws(UnifyError) {
        let key = ContentDigest(UnsafeRawBufferPointer(raw)).integerKey
        findReject.bind(1, key)
        defer { findReject.reset() }
        while try findReject.step() {
            if findReject.column(0, equals: raw) { return }
        }
        insertReject.bind(1, key)
        insertReject.bind(2, inputID)
        insertReject.bind(3, Int64(line))
        insertReject.bind(4, fault.code.rawValue)
        insertReject.bind(5, fault.message)
        insertReject.bind(6, bytes: raw, asText: false)
        insertReject.bind(7, time.millisecondsSince1970)
        defer { insertReject.reset() }
        _ = try insertReject.step()
    }
}
