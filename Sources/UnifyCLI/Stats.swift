import ArgumentParser
import Foundation
import Unify

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show what the store holds: events, customers and identifiers; customers per stage and channel; rejects.",
        discussion: """
            Stages are as of the latest event in the store, or as of --as-of.

            Examples:
              unify stats
              unify stats --as-of 2025-06-30 --json
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: JSONOutput

    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "The reference time for stages and dormancy (ISO 8601); by default the latest event in the store.",
        valueName: "date"))
    var asOf: String?

    func validate() throws {
        if let asOf, Timestamp(iso8601: asOf) == nil {
            throw ValidationError("--as-of '\(asOf)' is not a date: write it ISO 8601, e.g. 2026-01-01")
        }
    }

    func run() throws {
        let statistics = try store.openStoreForReading().statistics(asOf: asOf.flatMap(Timestamp.init(iso8601:)))
        if output.json {
            print(try Self.json(statistics))
        } else {
            print(Self.text(statistics, storePath: store.path))
        }
    }

    static func text(_ statistics: StoreStatistics, storePath: String) -> String {
        var lines = ["\(storePath)"]
        lines.append("  events      \(statistics.events.grouped)")
        lines.append("  rejects     \(statistics.rejects.grouped)\(statistics.rejects > 0 ? "  (see `unify rejects`)" : "")")
        lines.append("  customers   \(statistics.customers.grouped)")
        lines.append("  identifiers \(statistics.linkingIdentifiers.grouped) linking, "
                     + "\(statistics.junkOrHubIdentifiers.grouped) junk or hubs (never link)")
        if statistics.matchLinks > 0 || statistics.recordHubs > 0 {
            let hubs = statistics.recordHubs
            lines.append("  matching    \(statistics.matchLinks.grouped) probabilistic link\(statistics.matchLinks == 1 ? "" : "s")"
                         + (hubs == 0 ? "" : "; \(hubs.grouped) record\(hubs == 1 ? " that fits" : "s that fit") several "
                            + "customers joined none of them (`unify explain` says why)"))
        }
        if statistics.pendingResolution > 0 {
            lines.append("  \(statistics.pendingResolution.grouped) event(s) logged but not yet resolved: run `unify resolve`")
        }
        if let first = statistics.firstEventTime, let last = statistics.lastEventTime {
            lines.append("  time span   \(first.iso8601) … \(last.iso8601)")
        }
        if statistics.timesAssigned > 0 {
            lines.append("  \(statistics.timesAssigned.grouped) event(s) had no time field and took their ingest time")
        }
        func section(_ title: String, _ counts: [StoreStatistics.Count], annotate: (String) -> String = { _ in "" }) {
            guard !counts.isEmpty else { return }
            lines.append("")
            lines.append(title)
            let labelWidth = counts.map(\.label.terminalSafe.count).max() ?? 0
            let countWidth = counts.map(\.count.grouped.count).max() ?? 0
            for count in counts {
                let number = String(repeating: " ", count: countWidth - count.count.grouped.count) + count.count.grouped
                lines.append("  \(count.label.terminalCell(labelWidth + 1)) \(number)\(annotate(count.label))")
            }
        }
        if let asOf = statistics.asOf {
            section("customers per stage, as of \(asOf.iso8601)", statistics.stages)
        }
        func unlisted(_ label: String) -> Bool { label != "(none)" && !Channel(rawValue: label).isKnown }
        section("customers per channel", statistics.customersPerChannel) { unlisted($0) ? "  not in the list: other" : "" }
        section("events per channel", statistics.channels) { label in
            guard label != "(none)" else { return "" }
            return (Channel(rawValue: label).isOnline ? "  online" : "  offline") + (unlisted(label) ? ", not in the list: other" : "")
        }
        section("events per kind", statistics.kinds)
        section("events per input", statistics.inputs)
        return lines.map(\.terminalSafe).joined(separator: "\n")
    }

    static func json(_ statistics: StoreStatistics) throws -> String {
        func object(_ counts: [StoreStatistics.Count]) -> [[String: Any]] {
            counts.map { ["label": $0.label, "count": $0.count] }
        }
        var object: [String: Any] = [
            "events": statistics.events, "rejects": statistics.rejects, "times_assigned": statistics.timesAssigned,
            "customers": statistics.customers, "linking_identifiers": statistics.linkingIdentifiers,
            "junk_or_hub_identifiers": statistics.junkOrHubIdentifiers, "pending_resolution": statistics.pendingResolution,
            "match_links": statistics.matchLinks, "record_hubs": statistics.recordHubs,
            "channels": object(statistics.channels), "kinds": object(statistics.kinds),
            "inputs": object(statistics.inputs), "stages": object(statistics.stages),
            "customers_per_channel": object(statistics.customersPerChannel),
        ]
        object["as_of"] = statistics.asOf?.iso8601
        object["first_event_time"] = statistics.firstEventTime?.iso8601
        object["last_event_time"] = statistics.lastEventTime?.iso8601
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}
