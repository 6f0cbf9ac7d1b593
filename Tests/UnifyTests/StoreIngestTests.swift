import Foundation
import GRDB
import Testing
@testable import Unify

@Suite("Ingesting into the event log")
struct StoreIngestTests {
    static let threeEvents = [
        #"{"type":"identify","messageId":"m1","userId":"u1","traits":{"email":"a@x.fr"},"timestamp":"2025-01-01T10:00:00Z"}"#,
        #"{"type":"track","messageId":"m2","userId":"u1","event":"Product Viewed","timestamp":"2025-01-01T10:01:00Z"}"#,
        #"{"id":"pos-1","event":"Order Completed","channel":"store","identifiers":{"email":"A@X.fr"},"timestamp":"2025-01-02T10:00:00+01:00"}"#,
    ]

    @Test func acceptedEventsKeepTheirOriginalJSONByteForByte() throws {
        let temporary = try TemporaryStore()
        let path = try temporary.file("web.ndjson", lines: Self.threeEvents)
        let report = try temporary.store.ingest(fileAt: path)
        #expect(report.linesRead == 3 && report.accepted == 3 && report.duplicates == 0 && report.rejected == 0)
        let rows = try temporary.rows("SELECT seq, event_id, kind, name, time, channel, source, line, raw FROM events ORDER BY seq")
        #expect(rows.map { $0[8] } == Self.threeEvents)
        #expect(rows[2][0...7] == ["3", "pos-1", "track", "Order Completed", "1735808400000", "store", "NULL", "3"])
    }

    @Test func reingestingTheSameExportAddsNothing() throws {
        let temporary = try TemporaryStore()
        let path = try temporary.file("web.ndjson", lines: Self.threeEvents + ["not json"])
        _ = try temporary.store.ingest(fileAt: path)
        let before = try temporary.rows("SELECT * FROM events ORDER BY seq")
        let again = try temporary.store.ingest(fileAt: path)
        #expect(again.accepted == 0 && again.duplicates == 3 && again.rejected == 1)
        #expect(try temporary.rows("SELECT * FROM events ORDER BY seq") == before)
        #expect(try temporary.count("rejects") == 1)
    }

    @Test func overlappingExportsAddOnlyWhatIsNew() throws {
        let temporary = try TemporaryStore()
        let january = try temporary.file("jan.ndjson", lines: Array(Self.threeEvents.prefix(2)))
        let overlap = try temporary.file("jan-feb.ndjson", lines: Array(Self.threeEvents.suffix(2)))
        _ = try temporary.store.ingest(fileAt: january)
        let second = try temporary.store.ingest(fileAt: overlap)
        #expect(second.accepted == 1 && second.duplicates == 1)
        #expect(try temporary.count("events") == 3)
    }

    @Test func aRepeatedIdWithinOneInputIsADuplicate() throws {
        let temporary = try TemporaryStore()
        let report = try temporary.store.ingest(lines: [Self.threeEvents[0], Self.threeEvents[0]])
        #expect(report.accepted == 1 && report.duplicates == 1)
    }

    @Test func rejectedLinesAreKeptVerbatimWithTheirLineNumbersAndReasons() throws {
        let temporary = try TemporaryStore()
        let invalidUTF8 = Array(#"{"type":"track","userId":"caf"#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        let contents = Array((Self.threeEvents[0] + "\n\n[1,2]\n" + Self.threeEvents[1] + "\n").utf8) + invalidUTF8
            + Array("\n{\"type\":\"track\"}\n".utf8)
        let path = try temporary.file("mixed.ndjson", contents)
        let report = try temporary.store.ingest(fileAt: path)
        #expect(report.linesRead == 5 && report.blankLines == 1 && report.accepted == 2 && report.rejected == 3)
        let rejects = try temporary.store.rejectedLines()
        #expect(rejects.map(\.line) == [3, 5, 6])
        #expect(rejects.map(\.fault.code) == [.notAnObject, .invalidUTF8, .noPerson])
        #expect(rejects.map(\.input) == [path, path, path])
        #expect(rejects[1].bytes == invalidUTF8)
        #expect(rejects[0].fault.message == "the line is an array, but every event must be a JSON object")
    }

    @Test func aByteOrderMarkCRLFEndingsAndBlankLinesAreHandled() throws {
        let temporary = try TemporaryStore()
        let text = "\u{FEFF}" + Self.threeEvents[0] + "\r\n   \r\n\r\n" + Self.threeEvents[1] + "\r\n\t\r\n" + Self.threeEvents[2]
        let path = try temporary.file("windows.ndjson", Array(text.utf8))
        let report = try temporary.store.ingest(fileAt: path)
        #expect(report.accepted == 3 && report.rejected == 0 && report.blankLines == 3)
        #expect(try temporary.rows("SELECT line FROM events ORDER BY seq").map { $0[0] } == ["1", "4", "6"])
        let raw = try temporary.rows("SELECT raw FROM events WHERE seq = 1")[0][0]
        #expect(raw == Self.threeEvents[0])
    }

    @Test func strictStopsAtTheFirstRejectAfterKeepingWhatCameBefore() throws {
        let temporary = try TemporaryStore()
        let path = try temporary.file("strict.ndjson", lines: [Self.threeEvents[0], "oops", Self.threeEvents[1]])
        let report = try temporary.store.ingest(fileAt: path, options: .init(strict: true))
        #expect(report.stoppedAt?.line == 2)
        #expect(report.stoppedAt?.fault.code == .notJSON)
        #expect(report.linesRead == 2 && report.accepted == 1 && report.rejected == 1)
        #expect(try temporary.count("events") == 1)
        #expect(try temporary.count("rejects") == 1)
    }

    @Test func strictCountsOnlyTheBlankLinesBeforeTheLineThatStoppedIt() throws {
        let temporary = try TemporaryStore()
        let path = try temporary.file("strict.ndjson", lines: [Self.threeEvents[0], "", "oops", "", "", Self.threeEvents[1]])
        let report = try temporary.store.ingest(fileAt: path, options: .init(strict: true))
        #expect(report.stoppedAt?.line == 3)
        #expect(report.blankLines == 1)
        #expect(try temporary.store.ingest(fileAt: path).blankLines == 3)
    }

    @Test func runsOfBlankLinesAreCountedAcrossBatches() throws {
        let temporary = try TemporaryStore { $0.batchLines = 4 }
        let lines = Array(repeating: "", count: 50) + [Self.threeEvents[0]] + Array(repeating: "  ", count: 49) + ["oops"]
        let path = try temporary.file("blank.ndjson", lines: lines)
        let report = try temporary.store.ingest(fileAt: path)
        #expect(report.blankLines == 99 && report.accepted == 1 && report.rejected == 1)
        let strict = try TemporaryStore { $0.batchLines = 4 }
        let stopped = try strict.store.ingest(fileAt: try strict.file("blank.ndjson", lines: lines), options: .init(strict: true))
        #expect(stopped.stoppedAt?.line == 101 && stopped.blankLines == 99)
    }

    @Test func aLineOverTheSizeLimitIsKeptUpToTheLimit() throws {
        let temporary = try TemporaryStore { $0.maximumLineBytes = 200 }
        let long = #"{"type":"track","userId":"u","properties":{"note":""# + String(repeating: "x", count: 5000) + #""}}"#
        let path = try temporary.file("long.ndjson", lines: [long, Self.threeEvents[0]])
        let report = try temporary.store.ingest(fileAt: path)
        #expect(report.accepted == 1 && report.rejected == 1)
        let reject = try #require(try temporary.store.rejectedLines().first)
        #expect(reject.fault.code == .lineTooLong)
        #expect(reject.bytes == Array(long.utf8.prefix(201)))
    }

    @Test func manyBatchesKeepTheInputOrder() throws {
        let temporary = try TemporaryStore { $0.batchLines = 7 }
        let lines = (0..<100).map { #"{"type":"track","messageId":"m\#($0)","userId":"u\#($0 % 9)"}"# }
        let report = try temporary.store.ingest(lines: lines)
        #expect(report.accepted == 100)
        #expect(try temporary.rows("SELECT event_id FROM events ORDER BY seq").map { $0[0] } == (0..<100).map { "m\($0)" })
    }

    @Test func theLogIsAppendOnly() throws {
        let temporary = try TemporaryStore()
        _ = try temporary.store.ingest(lines: Self.threeEvents)
        #expect(throws: DatabaseError.self) {
            try temporary.store.database.write { db in try db.execute(sql: "UPDATE events SET name = 'x'") }
        }
        #expect(throws: DatabaseError.self) {
            try temporary.store.database.write { db in try db.execute(sql: "DELETE FROM events") }
        }
        #expect(try temporary.count("events") == 3)
    }

    @Test func aFolderIsRefusedBeforeTheIngestBegins() throws {
        let temporary = try TemporaryStore()
        let folder = temporary.folder.appendingPathComponent("exports").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let input = try #require(throws: UnifyError.self) { try temporary.store.ingest(fileAt: folder) }
        #expect(input.code == .inputUnreadable && input.message.contains("it is a folder"))
        #expect(try temporary.count("inputs") == 0)
        let store = try #require(throws: UnifyError.self) { try Store(path: folder) }
        #expect(store.code == .storeUnavailable && store.message.contains("is a folder, not a store"))
    }

    @Test func theSchemaVersionIsRecordedInTheFile() throws {
        let temporary = try TemporaryStore()
        #expect(try temporary.rows("PRAGMA user_version") == [["\(Schema.version)"]])
        #expect(try temporary.rows("PRAGMA journal_mode") == [["wal"]])
        #expect(try temporary.count("grdb_migrations") == Schema.version)
    }

    @Test func linesWithoutTimeTakeTheInjectedClocksTime() throws {
        let temporary = try TemporaryStore(clock: .fixed(Timestamp(iso8601: "2026-11-25T12:00:00Z")!))
        let report = try temporary.store.ingest(lines: [#"{"type":"track","userId":"u"}"#])
        #expect(report.timesAssigned == 1)
        #expect(try temporary.rows("SELECT time, time_assigned, ingested_at FROM events")
            == [["1795608000000", "1", "1795608000000"]])
    }

    @Test func unlistedChannelsAreCountedNotRejected() throws {
        let temporary = try TemporaryStore()
        let report = try temporary.store.ingest(lines: [
            #"{"id":"k1","event":"Visit","channel":"Kiosk","identifiers":{"email":"a@x.fr"}}"#,
            #"{"id":"k2","event":"Visit","channel":"kiosk","identifiers":{"email":"a@x.fr"}}"#,
        ])
        #expect(report.accepted == 2 && report.unlistedChannels == ["kiosk": 2])
    }
}

extension StoreIngestTests {
    /// Two ids whose 64-bit digests clash cannot be found by search, so the clash is staged:
    /// a row holding another id is put at the key the event's id hashes to.
    @Test func anEventWhoseKeyIsTakenByAnotherIdIsStillLoggedAndFoundAgain() throws {
        let temporary = try TemporaryStore()
        let key = ContentDigest("m1").integerKey
        try temporary.store.database.write { db in
            try db.execute(sql: "INSERT INTO inputs (id, name) VALUES (99, 'staged')")
            try db.execute(sql: """
                INSERT INTO events (event_id, event_key, kind, time, time_assigned, input_id, line, ingested_at, raw)
                VALUES ('someone-else', ?, 'track', 0, 0, 99, 1, 0, '{"type":"track","userId":"someone"}')
                """, arguments: [key])
        }
        let first = try temporary.store.ingest(lines: [Self.threeEvents[0]])
        #expect(first.accepted == 1)
        #expect(try temporary.rows("SELECT event_key - \(key) FROM events WHERE event_id = 'm1'") == [["1"]])
        let again = try temporary.store.ingest(lines: [Self.threeEvents[0]])
        #expect(again.accepted == 0 && again.duplicates == 1)
        #expect(try temporary.count("events") == 2)
    }
}

extension StoreIngestTests {
    /// Events are inserted many to a statement. Rows whose key is taken (logged by an earlier
    /// ingest, repeated within the statement, or clashing with another id's digest) must not
    /// shift the others: each new event's sequence number must be the row that holds it, and
    /// every event must be placed as when each line is ingested on its own, one row a statement.
    @Test func eventsInsertedManyToAStatementLandAsWhenInsertedOneByOne() throws {
        let lines = (0..<100).map { n in
            line("b\(n)", minute: n, ["user_id": "u\(n % 7)", "email": "e\(n % 11)@x.fr"])
        }
        var batch = lines
        batch.insert(lines[7], at: 10)
        batch.insert(lines[50], at: 60)
        batch.insert(lines[50], at: 61)
        func prepared() throws -> TemporaryStore {
            let temporary = try TemporaryStore.forIdentity()
            try temporary.store.database.write { db in
                try db.execute(sql: "INSERT INTO inputs (id, name) VALUES (99, 'staged')")
                try db.execute(sql: """
                    INSERT INTO events (event_id, event_key, kind, time, time_assigned, input_id, line, ingested_at, raw)
                    VALUES ('someone-else', ?, 'track', 0, 0, 99, 1, 0,
                            '{"id":"someone-else","event":"Visit","identifiers":{"user_id":"someone"}}')
                    """, arguments: [ContentDigest("b40").integerKey])
            }
            _ = try temporary.store.ingest(lines: [lines[3], lines[20]])
            return temporary
        }
        let together = try prepared()
        let report = try together.store.ingest(lines: batch)
        #expect(report.accepted == 98 && report.duplicates == 5)

        let alone = try prepared()
        var accepted = 0
        for line in batch { accepted += try alone.store.ingest(lines: [line]).accepted }
        #expect(accepted == 98)

        let logged = "SELECT seq, event_id, event_key, raw FROM events WHERE input_id != 99 ORDER BY seq"
        let rows = try together.rows(logged)
        #expect(rows.count == 100)
        #expect(rows.allSatisfy { $0[3].contains(#""id":"\#($0[1])""#) })
        // In input order, but for the event whose key clashed: it follows the rows of its statement.
        let expected = ["b3", "b20"] + (0..<100).map { "b\($0)" }.filter { !["b3", "b20", "b40"].contains($0) }
        #expect(rows.map { $0[1] }.filter { $0 != "b40" } == expected)
        #expect(rows.firstIndex { $0[1] == "b40" } == rows.firstIndex { $0[1] == "b60" }! + 1)
        #expect(Set(rows.map { $0[1...3] }) == Set(try alone.rows(logged).map { $0[1...3] }))
        #expect(try together.customersByEvent() == alone.customersByEvent())
        #expect(try together.count("event_identity") == 101)
    }
}
