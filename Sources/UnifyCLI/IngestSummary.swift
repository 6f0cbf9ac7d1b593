import Foundation
import Unify

/// The end-of-run summary of `unify ingest`, for people (stderr) and machines (stdout).
enum IngestSummary {
    /// `unreadable` holds, by input, why one could not be read to its end (what was read of
    /// it is in the counts).
    static func text(total: IngestReport, inputs: [(String, IngestReport)], unreadable: [String: String] = [:],
                     storePath: String) -> String {
        var lines: [String] = []
        let names = inputs.map { unreadable[$0.0] == nil ? $0.0 : "\($0.0) (in part: not readable to its end)" }
            .joined(separator: ", ")
        lines.append("ingested \(names.isEmpty ? "nothing" : names) into \(storePath)")
        let width = max(total.linesRead.grouped.count, 5)
        func row(_ label: String, _ value: Int, _ note: String = "") -> String {
            let padded = String(repeating: " ", count: max(0, width - value.grouped.count)) + value.grouped
            return "  \(label.padding(toLength: 11, withPad: " ", startingAt: 0))\(padded)\(note)"
        }
        lines.append(row("read", total.linesRead, total.blankLines > 0 ? "  (\(total.blankLines.grouped) blank lines skipped)" : ""))
        lines.append(row("accepted", total.accepted,
                         total.timesAssigned > 0 ? "  (\(total.timesAssigned.grouped) without a time took the ingest time)" : ""))
        lines.append(row("duplicates", total.duplicates, total.duplicates > 0 ? "  (already in the log)" : ""))
        lines.append(row("rejected", total.rejected, total.rejected > 0 ? "  (kept; list them with `unify rejects`)" : ""))
        let megabytes = Double(total.bytesRead) / 1_000_000
        lines.append("  time       \(String(format: "%.2f", total.seconds)) s, "
                     + "\(Int(total.linesPerSecond).grouped) lines/s, "
                     + "\(String(format: "%.1f", total.seconds > 0 ? megabytes / total.seconds : 0)) MB/s")
        if total.matching.records > 0 {
            let matching = total.matching
            lines.append("  matching   \(matching.records.grouped) records (\(matching.offlineRecords.grouped) offline), "
                         + "\(matching.candidatePairs.grouped) candidate pairs, \(matching.links.grouped) linked")
        }
        if !total.unlistedChannels.isEmpty {
            let channels = total.unlistedChannels.sorted { $0.key < $1.key }
                .map { "\($0.key) (\($0.value.grouped))" }.joined(separator: ", ")
            lines.append("  channels outside the list, reported under other: \(channels)")
        }
        if total.unreadableOrderAmounts > 0 {
            lines.append("  orders whose amount is not a number up to a trillion, counted without revenue: "
                         + total.unreadableOrderAmounts.grouped)
        }
        if !total.sampleRejects.isEmpty {
            lines.append(total.rejected > total.sampleRejects.count ? "first rejects:" : "rejects:")
            for reject in total.sampleRejects {
                lines.append("  \(reject.input):\(reject.line): \(reject.fault.message) [\(reject.fault.code)]")
            }
        }
        return lines.map(\.terminalSafe).joined(separator: "\n")
    }

    static func json(total: IngestReport, inputs: [(String, IngestReport)], unreadable: [String: String] = [:],
                     storePath: String) -> String {
        func object(_ report: IngestReport) -> [String: Any] {
            [
                "read": report.linesRead, "blank_lines": report.blankLines, "accepted": report.accepted,
                "duplicates": report.duplicates, "rejected": report.rejected, "bytes": report.bytesRead,
                "times_assigned": report.timesAssigned,
                "seconds": (report.seconds * 1000).rounded() / 1000,
                "lines_per_second": Int(report.linesPerSecond),
                "unlisted_channels": report.unlistedChannels,
                "unreadable_order_amounts": report.unreadableOrderAmounts,
                "matching": [
                    "records": report.matching.records, "offline_records": report.matching.offlineRecords,
                    "candidate_pairs": report.matching.candidatePairs, "links": report.matching.links,
                ],
                "stopped_by_strict": report.stoppedAt != nil,
                "rejects": report.sampleRejects.map {
                    ["input": $0.input, "line": $0.line, "code": $0.fault.code.rawValue, "reason": $0.fault.message]
                },
            ]
        }
        var summary = object(total)
        summary["store"] = storePath
        summary["inputs"] = inputs.map { name, report in
            object(report).merging(["input": name, "unreadable": unreadable[name] ?? NSNull()] as [String: Any]) { $1 }
        }
        summary["unreadable_inputs"] = unreadable.keys.sorted()
        let data = try! JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
