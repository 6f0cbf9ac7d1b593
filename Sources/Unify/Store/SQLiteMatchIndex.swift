import Foundation
internal import GRDB

/// The store's records for probabilistic matching, by blocking key: what a new record is
/// compared with. Rows are written within the caller's transaction as records arrive, so a
/// record finds those logged before it in the same run.
final class SQLiteMatchIndex {
    /// A record as stored, with where its event stands in canonical order.
    struct Stored {
        var seq: Int64
        var position: EventPosition
        var offline: Bool
        var record: MatchRecord
    }

    private let db: Database
    private let blockMembers: SQLiteStatement
    private let readRecord: SQLiteStatement
    private let insertRecord: SQLiteStatement
    private let insertKey: SQLiteStatement
    private let insertLink: SQLiteStatement
    /// Records read or written in this run, so that one compared often is read once, each
    /// with when it was last used. A record costs about 300 bytes here (``MatchRecord`` keeps
    /// its encoded form); reading one back from the store costs a look-up and often a page
    /// read (a 20,000-record cache doubled the matching benchmark's time), and a record is
    /// compared with a few dozen others over a run, at any time: a known customer's receipts
    /// come in whenever they shop.
    private var cache: [Int64: (stored: Stored, used: UInt64)] = [:]
    private var uses: UInt64 = 0
    private let cacheLimit: Int
    /// Blocking keys added in this transaction, written in key order when it ends (one
    /// pass over the index rather than a page per key): for each key the latest entry, and
    /// entries chained to the previous one of their key. An entry is `seq << 1 | offline`.
    private var pendingHead: [Int64: Int32] = [:]
    private var pendingEntries: [(key: Int64, entry: Int64, previous: Int32)] = []
    /// Blocks of more records than this are left out of the candidates.
    private let maximumBlockSize: Int
    /// Blocks found to hold more than ``maximumBlockSize`` records: blocks only grow, so they
    /// stay over it, and each look-up of one would read a hundred rows to find it out again
    /// (on the matching benchmark, about one of a record's nine keys).
    private var oversizedBlocks: Set<Int64> = []

    init(_ db: Database, cacheLimit: Int, maximumBlockSize: Int) throws {
        self.db = db
        self.cacheLimit = cacheLimit
        self.maximumBlockSize = maximumBlockSize
        blockMembers = try SQLiteStatement(db, sql: "SELECT seq, offline FROM match_keys WHERE key = ?1 LIMIT ?2")
        readRecord = try SQLiteStatement(db, sql: """
            SELECT time, event_id, offline, fields, normalised FROM match_records WHERE seq = ?1
            """)
        insertRecord = try SQLiteStatement(db, sql: """
            INSERT OR REPLACE INTO match_records (seq, time, event_id, offline, fields, normalised)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """)
        insertKey = try SQLiteStatement(db, sql: "INSERT OR IGNORE INTO match_keys (key, seq, offline) VALUES (?1, ?2, ?3)")
        insertLink = try SQLiteStatement(db, sql: """
            INSERT OR REPLACE INTO match_links (seq, partner, weight, evidence) VALUES (?1, ?2, ?3, ?4)
            """)
    }

    /// The records sharing a block with `keys`, by sequence number, ascending; blocks of more
    /// than ``maximumBlockSize`` records are left out. With `offlineOnly`, only offline ones.
    func candidates(sharing keys: [Int64], offlineOnly: Bool) throws -> [Int64] {
        var found: [Int64] = []
        var members: [(Int64, Bool)] = []
        for key in keys where !oversizedBlocks.contains(key) {
            members.removeAll(keepingCapacity: true)
            var index = pendingHead[key] ?? -1
            while index >= 0, members.count <= maximumBlockSize {
                let entry = pendingEntries[Int(index)]
                members.append((entry.entry >> 1, entry.entry & 1 != 0))
                index = entry.previous
            }
            if members.count <= maximumBlockSize {
                blockMembers.bind(1, key)
                blockMembers.bind(2, Int64(maximumBlockSize + 1 - members.count))
                while try blockMembers.step() {
                    members.append((blockMembers.int64(0) ?? 0, blockMembers.int64(1) != 0))
                }
                blockMembers.reset()
            }
            guard members.count <= maximumBlockSize else {
                oversizedBlocks.insert(key)
                continue
            }
            for (seq, offline) in members where offline || !offlineOnly { found.append(seq) }
        }
        found.sort()
        var unique: [Int64] = []
        for seq in found where unique.last != seq { unique.append(seq) }
        return unique
    }

    /// The record of an event, if it is one.
    func record(_ seq: Int64) throws -> Stored? {
        uses &+= 1
        if let index = cache.index(forKey: seq) {
            cache.values[index].used = uses
            return cache.values[index].stored
        }
        readRecord.bind(1, seq)
        defer { readRecord.reset() }
        guard try readRecord.step(),
              let record = readRecord.withBlob(4, MatchRecord.init(encoded:))
                ?? readRecord.text(3).flatMap(MatchRecordSource.init(stored:))?.record
        else {
            return nil
        }
        let stored = Stored(seq: seq, position: EventPosition(time: readRecord.int64(0) ?? 0, eventID: readRecord.text(1) ?? ""),
                            offline: readRecord.int64(2) != 0, record: record)
        remember(stored)
        return stored
    }

    /// Whether the store's blocking keys were made by this build's rules
    /// (``BlockingRule/keysVersion``, kept in `store_info` as `blocking_keys_version`).
    static func keysAreCurrent(_ db: Database) throws -> Bool {
        try String.fetchOne(db, sql: "SELECT value FROM store_info WHERE key = 'blocking_keys_version'")
            == String(BlockingRule.keysVersion)
    }

    /// Indexes every record again when the store's blocking keys were made by other rules
    /// than this build's; a store without records is only marked. One pass over
    /// `match_records`, once per change of the rules.
    static func indexAgainIfRulesChanged(_ db: Database) throws {
        guard try !keysAreCurrent(db) else { return }
        if try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM match_records LIMIT 1)") == 1 {
            try db.execute(sql: "DELETE FROM match_keys")
            let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO match_keys (key, seq, offline) VALUES (?, ?, ?)")
            let rows = try Row.fetchCursor(db, sql: "SELECT seq, offline, normalised, fields FROM match_records")
            while let row = try rows.next() {
                guard let record = record(normalised: row[2], fields: row[3]) else { continue }
                let seq: Int64 = row[0]
                let offline: Int64 = row[1]
                for key in MatchInput.blockKeys(of: record) { try insert.execute(arguments: [key, seq, offline]) }
            }
        }
        try db.execute(sql: "INSERT OR REPLACE INTO store_info (key, value) VALUES ('blocking_keys_version', ?)",
                       arguments: [String(BlockingRule.keysVersion)])
    }

    /// A record from its stored columns: its normalised bytes when they are of this build's
    /// ``MatchRecord/encodingVersion``, else its values as written, normalised again.
    static func record(normalised: Data?, fields: String?) -> MatchRecord? {
        normalised.flatMap { data in data.withUnsafeBytes { MatchRecord(encoded: $0.bindMemory(to: UInt8.self)) } }
            ?? fields.flatMap(MatchRecordSource.init(stored:))?.record
    }

    /// Adds a record and its blocking keys.
    func insert(seq: Int64, position: EventPosition, _ input: MatchInput) throws {
        insertRecord.bind(1, seq)
        insertRecord.bind(2, position.time)
        insertRecord.bind(3, position.eventID)
        insertRecord.bind(4, input.offline ? 1 : 0)
        insertRecord.bind(5, input.storedFields)
        try input.normalised.withUnsafeBufferPointer { normalised in
            insertRecord.bind(6, bytes: normalised, asText: false)
            try insertRecord.run()
        }
        for key in input.blockKeys {
            pendingEntries.append((key, seq << 1 | (input.offline ? 1 : 0), pendingHead[key] ?? -1))
            pendingHead[key] = Int32(pendingEntries.count - 1)
        }
        // A record with identifiers is only ever compared with offline ones: when none come in
        // this run, keeping it would only cost memory.
        if input.offline { remember(Stored(seq: seq, position: position, offline: input.offline, record: input.record)) }
    }

    /// Records a link between the later event in canonical order (`seq`) and the earlier one.
    func saveLink(seq: Int64, partner: Int64, score: MatchScore) throws {
        insertLink.bind(1, seq)
        insertLink.bind(2, partner)
        insertLink.bind(3, double: score.weight)
        insertLink.bind(4, score.description)
        try insertLink.run()
    }

    /// Writes the blocking keys added since the last call; call it before the transaction
    /// commits.
    func flush() throws {
        guard !pendingEntries.isEmpty else { return }
        let entries = pendingEntries.map { ($0.key, $0.entry) }.sorted { $0 < $1 }
        for (key, entry) in entries {
            insertKey.bind(1, key)
            insertKey.bind(2, entry >> 1)
            insertKey.bind(3, entry & 1)
            try insertKey.run()
        }
        pendingEntries.removeAll()
        pendingHead.removeAll()
    }

    /// Lets go of every record held in memory; they are read back from the store if needed.
    func forgetRecords() {
        cache = [:]
    }

    /// Forgets which blocks were found too large: another connection has written the store
    /// since (a rebuild rewrites every block), and only this connection's own writes keep
    /// what was found true.
    func forgetOversizedBlocks() {
        oversizedBlocks.removeAll()
    }

    private func remember(_ stored: Stored) {
        if cache.count >= cacheLimit {
            // Let go of the least recently used eighth: sorting once per eighth of the limit
            // costs little next to reading records back, and a cache kept nearly full hits
            // more. On the matching benchmark (medium), against keeping the newer half by
            // sequence number, which let go of every known customer first: 33.5 → 29.9 s.
            let lastUses = cache.values.map(\.used).sorted()
            let dropped = max(1, lastUses.count / 8)
            if dropped >= lastUses.count {
                cache.removeAll()
            } else {
                // Uses are distinct, so this keeps exactly the others.
                let oldestKept = lastUses[dropped]
                cache = cache.filter { $0.value.used >= oldestKept }
            }
        }
        uses &+= 1
        cache[stored.seq] = (stored, uses)
    }

    /// The model `unify train` saved in the store, or `nil`.
    static func savedModel(_ db: Database) throws -> MatchModel? {
        guard let text = try String.fetchOne(db, sql: "SELECT value FROM store_info WHERE key = 'match_model'") else {
            return nil
        }
        return try JSONDecoder().decode(MatchModel.self, from: Data(text.utf8))
    }

    /// Saves a model for every later resolution to use.
    static func save(model: MatchModel, _ db: Database) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(model), as: UTF8.self)
        try db.execute(sql: """
            INSERT INTO store_info (key, value) VALUES ('match_model', ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, arguments: [text])
    }
}
