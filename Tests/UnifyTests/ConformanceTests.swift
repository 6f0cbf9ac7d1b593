import Foundation
import Testing
@testable import Unify

/// Every example payload of the Segment spec documentation must ingest unchanged
/// (Fixtures/conformance/README.md says where each line comes from).
@Suite("Segment spec conformance")
struct ConformanceTests {
    static let file = repositoryRoot.appendingPathComponent("Fixtures/conformance/segment-spec.ndjson").path

    static func lines() throws -> [String] {
        try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func everyExamplePayloadIsAccepted() throws {
        let temporary = try TemporaryStore()
        let report = try temporary.store.ingest(fileAt: Self.file)
        #expect(report.linesRead == 47)
        #expect(report.accepted == 42)
        #expect(report.duplicates == 5)
        #expect(report.rejected == 0)
        // Only lines 1 and 3-6, 8, 9 carry a time, and 3, 5, 6, 8, 9 repeat line 1's messageId.
        #expect(report.timesAssigned == 40)
        #expect(try temporary.count("events") == 42)
    }

    @Test func theIdentifiersEachLineCarriesAreKept() throws {
        let events = try Self.lines().map { try decode($0) }
        func lines(with kind: Identifier.Kind) -> [Int] {
            events.indices.filter { events[$0].identifiers.contains { $0.kind == kind } }.map { $0 + 1 }
        }
        #expect(lines(with: .userID) == Array(1...47))
        #expect(lines(with: .anonymousID) == [1, 3, 4, 5, 6, 8, 9])
        #expect(lines(with: .previousID) == [7, 8])
        #expect(lines(with: .email) == [2, 3] + Array(22...27))
        #expect(events[21].kind == .track && events[21].name == "Email Bounced")
    }

    @Test func linesWithoutATimeFieldAreFlagged() throws {
        let events = try Self.lines().map { try decode($0) }
        // Seven lines (1, 3, 4, 5, 6, 8, 9) carry a time field; the other 40 do not.
        #expect(events.filter(\.timeWasAssigned).count == 40)
    }
}
