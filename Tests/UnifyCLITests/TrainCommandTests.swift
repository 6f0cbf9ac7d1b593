import Foundation
import Testing

/// `unify train`, end to end: what it says when there is nothing to learn from, and why.
@Suite("unify train, end to end")
struct TrainCommandTests {
    static let receipts = [
        #"{"id":"r1","event":"Order Completed","timestamp":"2025-01-01T10:00:00Z","identifiers":{},"traits":{"firstName":"Anne","lastName":"Martin","postalCode":"75011"}}"#,
        #"{"id":"r2","event":"Order Completed","timestamp":"2025-01-02T10:00:00Z","identifiers":{},"traits":{"firstName":"Anne","lastName":"Martin","postalCode":"75011"}}"#,
    ]

    @Test func aStoreWithMatchingOffSaysHowToTurnItOn() throws {
        let workspace = try Workspace()
        let file = try workspace.write("pos.ndjson", lines: Self.receipts)
        #expect(try UnifyBinary.run(["ingest", file], in: workspace.url).status == 0)
        let result = try UnifyBinary.run(["train"], in: workspace.url)
        #expect(result.status == 0)
        #expect(result.stdoutText.contains("records     0"))
        #expect(result.stderr.contains(#"matching is off for this store: turn it on in"#))
        #expect(result.stderr.contains(#""matching": {"enabled": true}"#))
    }

    @Test func tooFewRecordsKeepTheParametersAndSayNothingOfMatchingOff() throws {
        let workspace = try Workspace()
        try workspace.write("unify.config.json", Array(#"{"matching":{"enabled":true}}"#.utf8))
        let file = try workspace.write("pos.ndjson", lines: Self.receipts)
        #expect(try UnifyBinary.run(["ingest", file], in: workspace.url).status == 0)
        let text = try UnifyBinary.run(["train"], in: workspace.url).stdoutText
        #expect(text.contains("records     2"))
        #expect(text.contains("the parameters stay as they were"))
        #expect(!text.contains("matching is off"))
        #expect(try !UnifyBinary.run(["train"], in: workspace.url).stderr.contains("matching is off"))
        let json = try UnifyBinary.run(["train", "--json"], in: workspace.url)
        let report = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        #expect(report["kept_defaults"] as? Bool == true && report["records"] as? Int == 2)
    }
}
