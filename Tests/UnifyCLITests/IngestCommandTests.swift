import Foundation
import Testing

@Suite("unify ingest and unify rejects, end to end")
struct IngestCommandTests {
    static let good = [
        #"{"type":"identify","messageId":"m1","userId":"u1","traits":{"email":"a@x.fr"},"timestamp":"2025-01-01T10:00:00Z"}"#,
        #"{"id":"pos-1","event":"Order Completed","channel":"kiosk","identifiers":{"email":"A@X.fr"},"timestamp":"2025-01-02T10:00:00+01:00"}"#,
    ]

    @Test func ingestsFilesAndSaysWhatItDidOnStandardError() throws {
        let workspace = try Workspace()
        let file = try workspace.write("web.ndjson", lines: Self.good + ["{oops"])
        let result = try UnifyBinary.run(["ingest", file], in: workspace.url)
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("ingested \(file) into unify.db"))
        #expect(count("accepted", in: result.stderr) == 2)
        #expect(count("rejected", in: result.stderr) == 1)
        #expect(result.stderr.contains("(kept; list them with `unify rejects`)"))
        #expect(result.stderr.contains("\(file):3: not valid JSON: expected a quoted key but found 'o' at byte 2 [not_json]"))
        #expect(result.stderr.contains("channels outside the list, reported under other: kiosk (1)"))
        #expect(FileManager.default.fileExists(atPath: workspace.path("unify.db")))
    }

    @Test func readsStandardInputWhenNoFileIsGiven() throws {
        let workspace = try Workspace()
        let input = Data((Self.good.joined(separator: "\n") + "\n").utf8)
        let result = try UnifyBinary.run(["ingest", "--json"], in: workspace.url, stdin: input)
        #expect(result.status == 0)
        let summary = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        #expect(summary["read"] as? Int == 2)
        #expect(summary["accepted"] as? Int == 2)
        #expect((summary["inputs"] as? [[String: Any]])?.first?["input"] as? String == "stdin")
    }

    /// A Segment export as its S3 destination writes it: gzip, named `.gz`, given as a file or
    /// piped in; the same export plain is then all duplicates. A zstd one is refused, naming
    /// the command to run.
    @Test func readsGzipExportsAsTheyAre() throws {
        let workspace = try Workspace()
        let plain = try workspace.write("export.ndjson", lines: Self.good)
        let gzip = try Process.run(URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "gzip -k '\(plain)'"])
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
        let result = try UnifyBinary.run(["ingest", "--json", plain + ".gz"], in: workspace.url)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        #expect(summary["accepted"] as? Int == 2 && summary["rejected"] as? Int == 0)
        let piped = try UnifyBinary.run(["ingest", "--json"], in: workspace.url,
                                        stdin: try Data(contentsOf: URL(fileURLWithPath: plain + ".gz")))
        let again = try #require(try JSONSerialization.jsonObject(with: piped.stdout) as? [String: Any])
        #expect(again["duplicates"] as? Int == 2 && again["rejected"] as? Int == 0)

        // A file cut short between two good ones: the lines before the cut and the file after
        // it are ingested, the summary says which input is in part, and the exit code is 1.
        let many = (0..<400).map { #"{"id":"cut-\#($0)","event":"Ping","timestamp":"2025-01-01T10:00:00Z","identifiers":{"email":"p\#($0)@x.fr"},"traits":{"n":"\#(UUID().uuidString)"}}"# }
        let long = try workspace.write("long.ndjson", lines: many)
        let compress = try Process.run(URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "gzip -c '\(long)' | head -c 8000 > '\(long).cut.gz'"])
        compress.waitUntilExit()
        let last = try workspace.write("last.ndjson", lines: [#"{"id":"last-1","event":"Ping","identifiers":{"email":"z@x.fr"}}"#])
        let partly = try UnifyBinary.run(["ingest", "--json", long + ".cut.gz", last], in: workspace.url)
        #expect(partly.status == 1)
        #expect(partly.stderr.contains("cut short") && partly.stderr.contains("the lines before are ingested"), "\(partly.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: partly.stdout) as? [String: Any])
        #expect(report["unreadable_inputs"] as? [String] == [long + ".cut.gz"])
        let inputs = try #require(report["inputs"] as? [[String: Any]])
        #expect(inputs.count == 2 && inputs[1]["accepted"] as? Int == 1 && inputs[1]["unreadable"] is NSNull)
        let kept = try #require(inputs[0]["accepted"] as? Int)
        #expect(kept > 0 && kept < 400 && (inputs[0]["unreadable"] as? String)?.contains("cut short") == true)

        let zstd = try workspace.write("export.ndjson.zst", [0x28, 0xB5, 0x2F, 0xFD, 0x04, 0x58, 0x01, 0x00, 0x00, 0x00])
        let refused = try UnifyBinary.run(["ingest", zstd], in: workspace.url)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("it is zstd-compressed") && refused.stderr.contains("zstd -dc FILE | unify ingest"),
                "\(refused.stderr)")
    }

    @Test func theSecondIngestOfAnExportReportsOnlyDuplicates() throws {
        let workspace = try Workspace()
        let file = try workspace.write("web.ndjson", lines: Self.good)
        try UnifyBinary.run(["ingest", file], in: workspace.url)
        let again = try UnifyBinary.run(["ingest", "--json", file], in: workspace.url)
        let summary = try #require(try JSONSerialization.jsonObject(with: again.stdout) as? [String: Any])
        #expect(summary["accepted"] as? Int == 0)
        #expect(summary["duplicates"] as? Int == 2)
    }

    @Test func theStoreIsChosenByFlagThenEnvironmentThenDefault() throws {
        let workspace = try Workspace()
        let file = try workspace.write("web.ndjson", lines: Self.good)
        try UnifyBinary.run(["ingest", file], in: workspace.url, environment: ["UNIFY_DB": workspace.path("env.db")])
        try UnifyBinary.run(["ingest", "--db", workspace.path("flag.db"), file], in: workspace.url,
                            environment: ["UNIFY_DB": workspace.path("env.db")])
        #expect(FileManager.default.fileExists(atPath: workspace.path("env.db")))
        #expect(FileManager.default.fileExists(atPath: workspace.path("flag.db")))
        #expect(!FileManager.default.fileExists(atPath: workspace.path("unify.db")))
    }

    @Test func strictFailsWithExitCodeThreeAtTheFirstReject() throws {
        let workspace = try Workspace()
        let file = try workspace.write("bad.ndjson", lines: [Self.good[0], "[1]", Self.good[1]])
        let result = try UnifyBinary.run(["ingest", "--strict", "--json", file], in: workspace.url)
        #expect(result.status == 3)
        #expect(result.stderr.contains("\(file):2: the line is an array"))
        #expect(result.stderr.contains("stopped by --strict"))
        let summary = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        #expect(summary["read"] as? Int == 2 && summary["accepted"] as? Int == 1 && summary["rejected"] as? Int == 1)
        #expect(summary["stopped_by_strict"] as? Bool == true)
    }

    @Test func usageErrorsExitWithTwo() throws {
        let workspace = try Workspace()
        let missing = try UnifyBinary.run(["ingest", "no-such-file.ndjson"], in: workspace.url)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read 'no-such-file.ndjson'"))
        #expect(try UnifyBinary.run(["ingest", "--no-such-flag"], in: workspace.url).status == 2)
        #expect(try UnifyBinary.run(["frobnicate"], in: workspace.url).status == 2)
        #expect(try UnifyBinary.run(["--help"], in: workspace.url).status == 0)
    }

    @Test func aStoreThatCannotBeOpenedIsARuntimeFailure() throws {
        let workspace = try Workspace()
        let file = try workspace.write("web.ndjson", lines: Self.good)
        let result = try UnifyBinary.run(["ingest", "--db", workspace.path("missing-folder/unify.db"), file],
                                         in: workspace.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot open the store"))
    }

    @Test func ordersWhoseAmountCannotBeAddedAreCountedInTheSummary() throws {
        let workspace = try Workspace()
        let file = try workspace.write("pos.ndjson", lines: [
            #"{"id":"pos-2","event":"Order Completed","identifiers":{"email":"a@x.fr"},"properties":{"total":"12,50"},"timestamp":"2025-01-03T10:00:00Z"}"#,
            #"{"id":"pos-3","event":"Order Completed","identifiers":{"email":"a@x.fr"},"properties":{"total":12.5},"timestamp":"2025-01-04T10:00:00Z"}"#,
        ])
        let text = try UnifyBinary.run(["ingest", file], in: workspace.url)
        #expect(text.stderr.contains("orders whose amount is not a number up to a trillion, counted without revenue: 1"))
        let json = try UnifyBinary.run(["ingest", "--db", "again.db", "--json", file], in: workspace.url)
        let summary = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        #expect(summary["unreadable_order_amounts"] as? Int == 1)
    }

    @Test func aFolderIsNeitherAnInputNorAStore() throws {
        let workspace = try Workspace()
        let file = try workspace.write("web.ndjson", lines: Self.good)
        try FileManager.default.createDirectory(atPath: workspace.path("exports"), withIntermediateDirectories: false)
        // Caught before anything is read: the file named after it is not ingested alone.
        let input = try UnifyBinary.run(["ingest", "exports", file], in: workspace.url)
        #expect(input.status == 2)
        #expect(input.stderr.contains("cannot read 'exports': it is a folder"))
        #expect(!FileManager.default.fileExists(atPath: workspace.path("unify.db")))

        for command in [["ingest", "--db", "exports", file], ["show", "--db", "exports", "u1"]] {
            let result = try UnifyBinary.run(command, in: workspace.url)
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.contains("exports is a folder, not a store"), "\(command)")
        }
    }

    @Test func rejectedLinesCanBeWrittenOutFixedAndIngestedAgain() throws {
        let workspace = try Workspace()
        let broken = #"{"type":"track","userId":"u9","event":"Signed Up","timestamp":"yesterday"}"#
        let invalidUTF8 = Array(#"{"type":"track","userId":"caf"#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        let file = try workspace.write("mixed.ndjson",
                                       Array((Self.good[0] + "\n" + broken + "\n").utf8) + invalidUTF8 + [0x0A])
        try UnifyBinary.run(["ingest", file], in: workspace.url)

        let listing = try UnifyBinary.run(["rejects"], in: workspace.url)
        #expect(listing.stdoutText.contains("\(file):2  [unreadable_time]  \"timestamp\" is \"yesterday\""))
        #expect(listing.stdoutText.contains("\(file):3  [invalid_utf8]  invalid UTF-8 at byte 30"))
        #expect(listing.stderr.contains("2 rejected line(s)"))

        let exported = try UnifyBinary.run(["rejects", "--ndjson"], in: workspace.url)
        #expect([UInt8](exported.stdout) == Array((broken + "\n").utf8) + invalidUTF8 + [0x0A])

        let fixed = String(decoding: exported.stdout, as: UTF8.self)
            .replacingOccurrences(of: "yesterday", with: "2025-06-01T09:00:00Z")
        let reingest = try UnifyBinary.run(["ingest", "--json", "-"], in: workspace.url, stdin: Data(fixed.utf8))
        let summary = try #require(try JSONSerialization.jsonObject(with: reingest.stdout) as? [String: Any])
        // Both come back: the timestamp was fixed by hand, and writing the bytes out as text
        // replaced the invalid sequence with U+FFFD, which is valid UTF-8.
        #expect(summary["accepted"] as? Int == 2)

        let json = try UnifyBinary.run(["rejects", "--json", "--input", file], in: workspace.url)
        let first = try #require(json.stdoutText.split(separator: "\n").first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        #expect(object["line"] as? Int == 2 && object["code"] as? String == "unreadable_time")
    }

    /// The number on the summary line that starts with `label`.
    private func count(_ label: String, in summary: String) -> Int? {
        summary.split(separator: "\n")
            .first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label + " ") }
            .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true)[1].replacingOccurrences(of: ",", with: "")) }
    }
}
