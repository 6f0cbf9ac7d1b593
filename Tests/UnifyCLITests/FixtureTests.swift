import Foundation
import GRDB
import Testing

/// The shipped fixtures, ingested by the built binary as the README tells a new user to.
@Suite("The shipped fixtures, end to end")
struct FixtureTests {
    static let retailFiles = ["web", "app", "email", "sms", "pos", "callcenter", "postal"]
        .map { repositoryRoot.appendingPathComponent("Fixtures/retail/\($0).ndjson").path }

    static func summary(_ result: UnifyBinary.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    }

    @Test func everyLineOfTheRetailDataSetIsLoggedWhereItCameFrom() throws {
        let workspace = try Workspace()
        let result = try UnifyBinary.run(["ingest", "--json"] + Self.retailFiles, in: workspace.url)
        #expect(result.status == 0)
        let summary = try Self.summary(result)
        #expect(summary["rejected"] as? Int == 0)
        #expect(summary["duplicates"] as? Int == 0)

        // truth.csv names every event line of the data set (file, line, person).
        let truth = try String(contentsOf: repositoryRoot.appendingPathComponent("Fixtures/retail/truth.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        #expect(summary["accepted"] as? Int == truth.count)
        let logged = try DatabaseQueue(path: workspace.path("unify.db")).read { db in
            try Row.fetchAll(db, sql: """
                SELECT inputs.name, events.line FROM events JOIN inputs ON inputs.id = events.input_id
                """).map { row -> String in
                    let name: String = row[0]
                    let line: Int = row[1]
                    return "\(URL(fileURLWithPath: name).lastPathComponent),\(line)"
                }
        }
        #expect(Set(logged) == Set(truth.map { "\($0[0]),\($0[1])" }))
    }

    @Test func ingestingTheDataSetAgainChangesNothing() throws {
        let workspace = try Workspace()
        try UnifyBinary.run(["ingest"] + Self.retailFiles, in: workspace.url)
        let again = try Self.summary(try UnifyBinary.run(["ingest", "--json"] + Self.retailFiles, in: workspace.url))
        #expect(again["accepted"] as? Int == 0)
        #expect(again["duplicates"] as? Int == again["read"] as? Int)
    }

    @Test func eachBadLineIsRejectedWithItsLineNumberAndReason() throws {
        let workspace = try Workspace()
        let file = repositoryRoot.appendingPathComponent("Fixtures/bad/bad-lines.ndjson").path
        let summary = try Self.summary(try UnifyBinary.run(["ingest", "--json", file], in: workspace.url))
        #expect(summary["read"] as? Int == 17 && summary["accepted"] as? Int == 4 && summary["rejected"] as? Int == 13)

        let listing = try UnifyBinary.run(["rejects", "--json"], in: workspace.url)
        let rejects = try listing.stdoutText.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let found = rejects.map { "\($0["line"] as? Int ?? 0) \($0["code"] as? String ?? "")" }
        #expect(found == [
            "1 not_json", "2 not_json", "3 not_an_object", "5 not_an_object", "6 unknown_type", "7 wrong_field_type",
            "8 wrong_field_type", "9 no_person", "11 unreadable_time", "12 unreadable_time", "13 invalid_utf8",
            "14 nested_too_deep", "16 not_json",
        ])
        let reasons = rejects.compactMap { $0["reason"] as? String }
        #expect(reasons[12] == "not valid JSON: unexpected text after the end of the JSON value at byte 230")
        #expect(reasons[10] == "invalid UTF-8 at byte 213; re-export the file as UTF-8")
    }

    @Test func strictStopsAtTheFirstBadLine() throws {
        let workspace = try Workspace()
        let file = repositoryRoot.appendingPathComponent("Fixtures/bad/bad-lines.ndjson").path
        let result = try UnifyBinary.run(["ingest", "--strict", file], in: workspace.url)
        #expect(result.status == 3)
        #expect(result.stderr.contains("bad-lines.ndjson:1: not valid JSON"))
    }

    @Test func messyButValidLinesAreAllAccepted() throws {
        let workspace = try Workspace()
        let file = repositoryRoot.appendingPathComponent("Fixtures/bad/messy-but-valid.ndjson").path
        let summary = try Self.summary(try UnifyBinary.run(["ingest", "--json", file], in: workspace.url))
        #expect(summary["read"] as? Int == 12)
        #expect(summary["accepted"] as? Int == 12)
        #expect(summary["blank_lines"] as? Int == 5)
        #expect(summary["times_assigned"] as? Int == 1)
        #expect(summary["unlisted_channels"] as? [String: Int] == ["kiosk": 1])
        let lines = try DatabaseQueue(path: workspace.path("unify.db")).read { db in
            try Int.fetchAll(db, sql: "SELECT line FROM events ORDER BY seq")
        }
        #expect(lines == [1, 3, 5, 6, 8, 9, 10, 12, 13, 14, 16, 17])
    }
}
