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
///
/// Events are inserted ``eventRowsAtOnce`` to a statement (``ManyRowInsert``), which gives
/// each new one its sequence number from the rows the statement changed.
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

    /// An event read but not yet inserted; `raw` points into its batch's bytes.
    private struct PendingEvent {
        var event: PreparedEvent
        var raw: UnsafeBufferPointer<UInt8>
        var line: Int
        var key: Int64
    }

    static let eventRowsAtOnce = ManyRowInsert.rowsAtOnce

    private var counts: [CountKey: Tally] = [:]
    private var pending: [PendingEvent] = []
    private let insertEvent: SQLiteStatement
    private let insertEvents: SQLiteStatement
    private let keysFrom: SQLiteStatement
    private let eventIDAtKey: SQLiteStatement
    private let findReject: SQLiteStatement
    private let insertReject: SQLiteStatement

    init(_ db: Database) throws(UnifyError) {
        let log = try ManyRowInsert(
            db, into: "events",
            columns: ["event_id", "event_key", "kind", "name", "time", "time_assigned", "channel", "source",
                      "input_id", "line", "ingested_at", "raw"],
            conflictClause: "ON CONFLICT (event_key) DO NOTHING")
        insertEvent = log.one
        insertEvents = log.many
        keysFrom = try SQLiteStatement(db, sql: "SELECT event_key FROM events WHERE seq >= ?1 ORDER BY seq")
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
        report.bytesRead += batch.bytesRead
        return try batch.bytes.withUnsafeBufferPointer { bytes throws(UnifyError) -> Bool in
            // Whatever is pending when this ends points into `bytes`: it is inserted first.
            defer { pending.removeAll(keepingCapacity: true) }
            for entry in batch.entries {
                report.linesRead += 1
                let raw = UnsafeBufferPointer(rebasing: bytes[entry.range])
                switch entry.outcome {
                case .event(let event):
                    pending.append(PendingEvent(event: event, raw: raw, line: entry.lineNumber,
                                                key: ContentDigest(event.id).integerKey))
                    if pending.count == Self.eventRowsAtOnce {
                        try insertPending(inputID: inputID, ingestedAt: ingestedAt, report: &report, appended: appended)
                    }
                case .rejected(let fault):
                    // Everything before the line is logged first: under strict it is the last line.
                    try insertPending(inputID: inputID, ingestedAt: ingestedAt, report: &report, appended: appended)
                    try appendReject(fault, raw: raw, inputID: inputID, line: entry.lineNumber, at: ingestedAt)
                    report.rejected += 1
                    if report.sampleRejects.count < IngestReport.sampleLimit {
                        report.sampleRejects.append(
                            RejectedLine(input: inputName, line: entry.lineNumber, fault: fault, bytes: Array(raw)))
                    }
                    if strict {
                        report.blankLines += batch.blankLineNumbers.count { $0 < entry.lineNumber }
                        return false
                    }
                }
            }
            try insertPending(inputID: inputID, ingestedAt: ingestedAt, report: &report, appended: appended)
            report.blankLines += batch.blankLineNumbers.count
            return true
        }
    }

    /// Inserts the pending events, then hands each new one to `appended` in sequence order.
    private mutating func insertPending(
        inputID: Int64, ingestedAt: Timestamp, report: inout IngestReport,
        appended: (PreparedEvent, Int64) throws(UnifyError) -> Void
    ) throws(UnifyError) {
        guard !pending.isEmpty else { return }
        defer { pending.removeAll(keepingCapacity: true) }
        var seqs: [Int64?]
        if pending.count == Self.eventRowsAtOnce {
            seqs = try insertAtOnce(inputID: inputID, ingestedAt: ingestedAt)
        } else {
            seqs = []
            for event in pending {
                seqs.append(try append(event, inputID: inputID, ingestedAt: ingestedAt))
            }
        }
        // A row that had to walk past a clashing key was inserted after the others of its
        // statement; the resolver takes events in sequence order.
        var previous = Int64.min
        var inOrder = true
        for case let seq? in seqs {
            inOrder = inOrder && previous < seq
            previous = seq
        }
        let order = inOrder ? Array(pending.indices)
            : pending.indices.sorted { (seqs[$0] ?? .min, $0) < (seqs[$1] ?? .min, $1) }
        for index in order {
            let event = pending[index].event
            guard let seq = seqs[index] else {
                report.duplicates += 1
                continue
            }
            let key = CountKey(kind: event.kind.rawValue, channel: event.channel?.rawValue ?? "", input: inputID)
            // One look-up of the key (it hashes two strings), the tally changed in place.
            counts[key, default: Tally()].count(event)
            try appended(event, seq)
            report.accepted += 1
            if event.timeWasAssigned { report.timesAssigned += 1 }
            if let channel = event.channel, !channel.isKnown {
                report.unlistedChannels[channel.rawValue, default: 0] += 1
            }
            if event.facts?.order?.amountUnreadable == true { report.unreadableOrderAmounts += 1 }
        }
    }

    /// Inserts the ``eventRowsAtOnce`` pending events in one statement; each one's sequence
    /// number, `nil` for those whose id was logged already.
    private func insertAtOnce(inputID: Int64, ingestedAt: Timestamp) throws(UnifyError) -> [Int64?] {
        for (row, event) in pending.enumerated() {
            bind(event, to: insertEvents, row: row, inputID: inputID, ingestedAt: ingestedAt)
        }
        _ = try insertEvents.step()
        let inserted = insertEvents.changes
        let last = insertEvents.lastInsertedRowID
        insertEvents.reset()
        // Rows of one statement take consecutive sequence numbers, in the order of the values.
        if inserted == pending.count { return pending.indices.map { last - Int64(pending.count - 1 - $0) } }
        // Some keys were taken: by the same id (logged before, or an earlier row of this
        // statement) or by another id with the same digest. Of the rows sharing a key only the
        // first can have been inserted, so the inserted keys, in order, match the rows greedily.
        var seqs = [Int64?](repeating: nil, count: pending.count)
        if inserted > 0 {
            var seq = last - Int64(inserted - 1)
            keysFrom.bind(1, seq)
            defer { keysFrom.reset() }
            var row = 0
            while try keysFrom.step() {
                let key = keysFrom.int64(0)
                while pending[row].key != key { row += 1 }
                seqs[row] = seq
                seq += 1
                row += 1
            }
        }
        for row in pending.indices where seqs[row] == nil {
            seqs[row] = try append(pending[row], inputID: inputID, ingestedAt: ingestedAt, keyIsTaken: true)
        }
        return seqs
    }

    /// Binds an event's columns as the `row`th of a statement's rows of values, its key last
    /// (the walk past a clashing key binds it again).
    private func bind(_ pending: PendingEvent, to statement: SQLiteStatement, row: Int, inputID: Int64,
                      ingestedAt: Timestamp) {
        let before = Int32(row * 12)
        let event = pending.event
        statement.bind(before + 1, event.id)
        statement.bind(before + 3, event.kind.rawValue)
        statement.bind(before + 4, event.name)
        statement.bind(before + 5, event.time.millisecondsSince1970)
        statement.bind(before + 6, event.timeWasAssigned ? 1 : 0)
        statement.bind(before + 7, event.channel?.rawValue)
        statement.bind(before + 8, event.source)
        statement.bind(before + 9, inputID)
        statement.bind(before + 10, Int64(pending.line))
        statement.bind(before + 11, ingestedAt.millisecondsSince1970)
        statement.bind(before + 12, bytes: pending.raw, asText: true)
        statement.bind(before + 2, pending.key)
    }

    /// Inserts one event unless its id is logged; its sequence number when it was new.
    /// `keyIsTaken`: its key is known to be taken, so the first insert would change nothing.
    private func append(
        _ pending: PendingEvent, inputID: Int64, ingestedAt: Timestamp, keyIsTaken: Bool = false
    ) throws(UnifyError) -> Int64? {
        bind(pending, to: insertEvent, row: 0, inputID: inputID, ingestedAt: ingestedAt)
        defer { insertEvent.reset() }
        var key = pending.key
        var tryInsert = !keyIsTaken
        while true {
            if tryInsert {
                _ = try insertEvent.step()
                if insertEvent.changes > 0 { return insertEvent.lastInsertedRowID }
            }
            tryInsert = true
            // The key is taken: by this very id (a duplicate), or by another id with the same digest.
            eventIDAtKey.bind(1, key)
            defer { eventIDAtKey.reset() }
            guard try eventIDAtKey.step() else {
                throw UnifyError(code: .storageFailure, message: "event key \(key) is taken but holds no event")
            }
            if eventIDAtKey.column(0, equals: pending.event.id) { return nil }
            key &+= 1
            insertEvent.resetKeepingBindings()
            insertEvent.bind(2, key)
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
