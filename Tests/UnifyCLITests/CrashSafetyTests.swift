import Foundation
import GRDB
import Testing

@Suite("An ingest killed at any moment")
struct CrashSafetyTests {
    /// Lines shaped like a web export, with a bad line every fifty.
    static func export(lines: Int) -> [UInt8] {
        var text = ""
        for index in 0..<lines {
            if index % 50 == 49 {
                text += "{\"type\":\"track\",\"userId\":\"u\(index)\",\"timestamp\":\"not a time\"}\n"
                continue
            }
            if index % 37 == 36 {
                // No time field: such a line takes the time of the ingest.
                text += "{\"type\":\"track\",\"messageId\":\"ping-\(index)\",\"userId\":\"u\(index % 9973)\",\"event\":\"Ping\"}\n"
                continue
            }
            let second = index % 60
            let minute = index / 60 % 60
            text += """
                {"type":"track","messageId":"msg-\(index)","userId":"u\(index % 9973)","anonymousId":"anon-\(index % 9973)-\(index % 3)",\
                "event":"Product Viewed","timestamp":"2025-03-0\(index % 9 + 1)T1\(index % 10):\(minute < 10 ? "0" : "")\(minute):\
                \(second < 10 ? "0" : "")\(second).\(index % 1000)Z","channel":"browser","properties":{"product_id":"p\(index % 500)",\
                "price":\(index % 90).99,"currency":"EUR"},"context":{"ip":"10.0.\(index % 255).1","page":{"path":"/p/\(index % 500)",\
                "url":"https://shop.example/p/\(index % 500)"},"userAgent":"Mozilla/5.0 (X11; Linux x86_64)"}}

                """
        }
        return Array(text.utf8)
    }

    /// Everything the log and the rejects hold, except the wall-clock times of ingestion (and
    /// the times lines without one took from it), which differ from one store to another.
    static func contents(of path: String) throws -> [[String]] {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            let events = try Row.fetchAll(db, sql: """
                SELECT seq, event_id, event_key, kind, name, CASE WHEN time_assigned = 1 THEN 0 ELSE time END,
                       time_assigned, channel, source, input_id, line, raw FROM events ORDER BY seq
                """)
            let rejects = try Row.fetchAll(db, sql: """
                SELECT id, reject_key, input_id, line, code, reason, hex(raw) FROM rejects ORDER BY id
                """)
            let inputs = try Row.fetchAll(db, sql: "SELECT id, name FROM inputs ORDER BY id")
            return (events + rejects + inputs).map { row in row.databaseValues.map(\.description) }
        }
    }

    static func eventCount(_ path: String) throws -> Int {
        try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0 }
    }

    @Test func rerunningTheSameCommandEndsInTheStateOfOneCleanRun() throws {
        let workspace = try Workspace()
        let lines = 150_000
        try workspace.write("export.ndjson", Self.export(lines: lines))

        try UnifyBinary.run(["ingest", "--db", workspace.path("clean.db"), "export.ndjson"], in: workspace.url)
        let clean = try Self.contents(of: workspace.path("clean.db"))
        #expect(clean.count == lines + 1, "every line is an event or a reject, plus one input")

        // Kill the same command several times, each time just after it has committed more of
        // the log than the run before it, then let it finish.
        let killed = workspace.path("killed.db")
        var partialStates = 0
        var committed = 0
        for _ in 0..<3 {
            let (process, _, _) = try UnifyBinary.start(["ingest", "--db", killed, "export.ndjson"], in: workspace.url)
            while process.isRunning {
                Thread.sleep(forTimeInterval: 0.02)
                if let count = try? Self.eventCount(killed), count > committed { break }
            }
            let wasRunning = process.isRunning
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // Whatever was committed is whole: the file opens and reads at any moment.
            let count = try Self.eventCount(killed)
            if wasRunning && count > 0 && count < lines { partialStates += 1 }
            committed = count
        }
        #expect(partialStates > 0, "no kill landed midway: make the export larger")
        let rerun = try UnifyBinary.run(["ingest", "--db", killed, "export.ndjson"], in: workspace.url)
        #expect(rerun.status == 0)
        #expect(try Self.contents(of: killed) == clean)
        // Across the killed runs and the last one, lines without a time all took the time of
        // the first run, as they would in one uninterrupted run.
        let times = try DatabaseQueue(path: killed).read { db in
            try Row.fetchAll(db, sql: "SELECT DISTINCT ingested_at FROM events UNION SELECT DISTINCT time FROM events WHERE time_assigned = 1")
        }
        #expect(times.count == 1)
    }
}
