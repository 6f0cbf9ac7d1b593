import Foundation
import Testing
@testable import Unify

/// Cases found in review and by fuzzing, each once wrong.
@Suite("Inputs that once went wrong")
struct ReviewRegressionTests {
    @Test func aByteOrderMarkInTheMiddleOfConcatenatedFilesIsDropped() throws {
        let temporary = try TemporaryStore()
        let first = Array((StoreIngestTests.threeEvents[0] + "\n").utf8)
        let second = [0xEF, 0xBB, 0xBF] + Array((StoreIngestTests.threeEvents[1] + "\r\n").utf8)
        let report = try temporary.store.ingest(fileAt: try temporary.file("cat.ndjson", first + second))
        #expect(report.accepted == 2 && report.rejected == 0)
    }

    @Test func aLineFarOverTheLimitKeepsOnlyItsPrefixAndTheNextLineIsRead() throws {
        let temporary = try TemporaryStore { $0.maximumLineBytes = 1000 }
        let long = #"{"type":"track","userId":"u","properties":{"note":""# + String(repeating: "x", count: 3_000_000) + #""}}"#
        let path = try temporary.file("long.ndjson", lines: [long, StoreIngestTests.threeEvents[0]])
        let report = try temporary.store.ingest(fileAt: path)
        #expect(report.accepted == 1 && report.rejected == 1)
        #expect(report.bytesRead == long.utf8.count + StoreIngestTests.threeEvents[0].utf8.count + 2)
        let reject = try #require(try temporary.store.rejectedLines().first)
        #expect(reject.bytes == Array(long.utf8.prefix(1001)))
        #expect(reject.fault.message.hasPrefix("the line is \(long.utf8.count) bytes, over the limit of 1000"))
        #expect(reject.fault.message.hasSuffix("(only its first 1001 bytes are kept)"))
        #expect(try temporary.rows("SELECT line FROM events") == [["2"]])
    }

    @Test func aTimeWrittenWithEscapesIsRead() throws {
        let event = try decode(#"{"id":"p1","event":"x","timestamp":"2025-03-02T15:04:05\u002B01:00","identifiers":{"loyalty_id":"L1"}}"#)
        #expect(event.time == Timestamp(iso8601: "2025-03-02T14:04:05Z"))
    }

    @Test func keysWrittenWithEscapesAreRead() throws {
        #expect(fault(#"{"type":"track","userId":"u","\u0073entAt":"not a time"}"#)?.code == .unreadableTime)
        #expect(try decode(#"{"type":"track","userId":"u","\u006dessage_id":"m-3"}"#).id == "m-3")
    }

    @Test func aLineListingThousandsOfIdsKeepsTheFirstSixtyFour() throws {
        let ids = (0..<5000).map { "\"L\($0)\"" }.joined(separator: ",")
        let event = try decode(#"{"id":"dump","identifiers":{"loyalty_id":[\#(ids)]}}"#)
        #expect(event.identifiers.count == 64)
    }

    @Test func theSameBadLineIsKeptOnceWhicheverPathItCameBy() throws {
        let temporary = try TemporaryStore()
        let path = try temporary.file("bad.ndjson", lines: ["oops"])
        _ = try temporary.store.ingest(fileAt: path)
        _ = try temporary.store.ingest(fileAt: temporary.folder.appendingPathComponent("./bad.ndjson").path + "")
        _ = try temporary.store.ingest(lines: ["oops"], inputName: "stdin")
        #expect(try temporary.count("rejects") == 1)
    }

    @Test func settingsThatCannotWorkAreRefused() throws {
        #expect(throws: UnifyError.self) { try TemporaryStore { $0.decodingThreads = 0 } }
        #expect(throws: UnifyError.self) { try TemporaryStore { $0.transactionLines = 0 } }
        #expect(throws: UnifyError.self) { try TemporaryStore { $0.maximumLineBytes = Int(Int32.max) } }
    }
}
