import Foundation
import Testing

@Suite("unify explain, end to end")
struct ExplainCommandTests {
    /// A customer with an account and a till receipt whose last name has a typo: matching
    /// compares them, and they weigh too little to join.
    static let lines = [
        #"{"id":"web-1","event":"Account Created","timestamp":"2025-01-04T11:06:02Z","channel":"web","identifiers":{"user_id":"u1","email":"eva78@yahoo.fr"},"traits":{"firstName":"Eva","lastName":"Michel","birthday":"1978-01-05","address":{"postalCode":"66100","city":"Perpignan"}}}"#,
        #"{"id":"pos-1","event":"Order Completed","timestamp":"2025-02-02T21:26:13Z","channel":"store","identifiers":{},"traits":{"firstName":"Eva","lastName":"MICHLE","postalCode":"66100"}}"#,
    ]

    @Test func apartCustomersShowTheirClosestRecordsAndWhyTheyDidNotLink() throws {
        let workspace = try Workspace()
        try workspace.write("unify.config.json", lines: [#"{"matching": {"enabled": true}}"#])
        let file = try workspace.write("shop.ndjson", lines: Self.lines)
        #expect(try UnifyBinary.run(["ingest", file], in: workspace.url).status == 0)

        let text = try UnifyBinary.run(["explain", "eva78@yahoo.fr", "pos-1"], in: workspace.url)
        #expect(text.status == 0)
        let output = String(decoding: text.stdout, as: UTF8.self)
        #expect(output.contains("two customers, because"), "\(output)")
        #expect(output.contains("their closest records, web-1 and pos-1, weigh +4.8, under the match threshold of +6.0"), "\(output)")
        #expect(output.contains("last name similar +4.9"), "\(output)")

        let json = try UnifyBinary.run(["explain", "--json", "eva78@yahoo.fr", "pos-1"], in: workspace.url)
        let object = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        #expect(object["same_customer"] as? Bool == false)
        let closest = try #require(object["closest_records"] as? [String: Any])
        #expect(closest["earlier"] as? String == "web-1" && closest["later"] as? String == "pos-1")
        #expect((closest["weight"] as? Double).map { $0 > 4.7 && $0 < 4.9 } == true, "\(closest)")
    }

    /// Namesakes with loyalty cards and a receipt that fits both: it joins neither, explain says
    /// why, and `stats` counts it.
    @Test func aReceiptThatFitsTwoCardHoldersIsExplainedAndCounted() throws {
        let workspace = try Workspace()
        try workspace.write("unify.config.json", lines: [#"{"matching": {"enabled": true}}"#])
        let file = try workspace.write("shop.ndjson", lines: [
            #"{"id":"k1","event":"Order Completed","timestamp":"2025-01-03T10:00:00Z","channel":"store","identifiers":{"loyalty_id":"L1"},"traits":{"firstName":"Marie","lastName":"Martin","birthday":"1975-06-01","address":{"postalCode":"13001"}}}"#,
            #"{"id":"k2","event":"Order Completed","timestamp":"2025-01-04T10:00:00Z","channel":"store","identifiers":{"loyalty_id":"L2"},"traits":{"firstName":"Marie","lastName":"Martin","birthday":"1975-06-01","address":{"postalCode":"13001"}}}"#,
            #"{"id":"till","event":"Order Completed","timestamp":"2025-01-05T10:00:00Z","channel":"store","traits":{"firstName":"Marie","lastName":"Martin","address":{"postalCode":"13001"}}}"#,
        ])
        #expect(try UnifyBinary.run(["ingest", file], in: workspace.url).status == 0)
        let explain = try UnifyBinary.run(["explain", "till", "L1"], in: workspace.url)
        let text = String(decoding: explain.stdout, as: UTF8.self)
        #expect(text.contains("two customers, because"), "\(text)")
        #expect(text.contains("they share record:till, a probabilistic link to customers with different accounts of one kind"), "\(text)")
        let stats = String(decoding: try UnifyBinary.run(["stats"], in: workspace.url).stdout, as: UTF8.self)
        #expect(stats.contains("  matching    2 probabilistic links; 1 record that fits several customers joined none of them"),
                "\(stats)")
        let json = try #require(try JSONSerialization.jsonObject(
            with: try UnifyBinary.run(["stats", "--json"], in: workspace.url).stdout) as? [String: Any])
        #expect(json["match_links"] as? Int == 2 && json["record_hubs"] as? Int == 1, "\(json)")
    }

    @Test func aProbabilisticLinkInTheChainCarriesItsEvidence() throws {
        let workspace = try Workspace()
        try workspace.write("unify.config.json", lines: [#"{"matching": {"enabled": true}}"#])
        // The same receipt with the name spelt right joins.
        let file = try workspace.write("shop.ndjson", lines: [Self.lines[0], Self.lines[1].replacingOccurrences(of: "MICHLE", with: "MICHEL")])
        #expect(try UnifyBinary.run(["ingest", file], in: workspace.url).status == 0)
        let json = try UnifyBinary.run(["explain", "--json", "eva78@yahoo.fr", "pos-1"], in: workspace.url)
        let object = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        #expect(object["same_customer"] as? Bool == true)
        let chain = try #require(object["chain"] as? [[String: Any]])
        let match = try #require(chain.compactMap { ($0["matches"] as? [[String: Any]]).flatMap(\.first) }.first, "\(chain)")
        #expect(match["earlier"] as? String == "web-1")
        #expect((match["evidence"] as? String)?.contains("last name exact") == true, "\(match)")
        #expect(object["closest_records"] == nil)
        // One link and no record that fits several customers: stats says just that.
        let stats = String(decoding: try UnifyBinary.run(["stats"], in: workspace.url).stdout, as: UTF8.self)
        #expect(stats.split(separator: "\n").contains("  matching    1 probabilistic link"), "\(stats)")
    }
}
