import ArgumentParser
import Foundation
import Unify

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show everything known about one customer: identity, traits, stage, consents, orders, touchpoints.",
        discussion: """
            The customer may be named by anything a person knows: a customer id (a retired one \
            leads to the customer that absorbed it), an email or phone as typed, any id, \
            kind:value, or an event id. Times are UTC.

            Examples:
              unify show Jane.Doe@Example.com
              unify show "06 12 34 56 78" --as-of 2026-01-01
              unify show cus_1a2b3c4d5e6f7a8b --json
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: JSONOutput

    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "The reference time for the stage and dormancy (ISO 8601); by default the latest event in the store.",
        valueName: "date"))
    var asOf: String?

    // Unconditional, so that `--touchpoints -1` reaches validate() as a number, not as a flag.
    @Option(parsing: .unconditional, help: "How many of the latest touchpoints to list.")
    var touchpoints = 10

    @Argument(help: "A customer id, identifier or event id.")
    var query: String

    func validate() throws {
        if let asOf, Timestamp(iso8601: asOf) == nil {
            throw ValidationError("--as-of '\(asOf)' is not a date: write it ISO 8601, e.g. 2026-01-01 or 2026-01-01T12:00:00Z")
        }
        if touchpoints < 0 { throw ValidationError("--touchpoints must be 0 or more") }
        if query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("give a customer id, identifier or event id to show; the one given is empty")
        }
    }

    func run() throws {
        let unify = try store.openStoreForReading()
        guard let profile = try unify.profile(of: query, asOf: asOf.flatMap(Timestamp.init(iso8601:)),
                                              touchpoints: touchpoints) else {
            if let (identifier, reason) = try unify.unlinkedIdentifier(for: query) {
                printToStandardError("unify: \(identifier) is in \(store.path), but belongs to no customer: it is \(reason)")
                throw ExitCode.failure
            }
            let pending = try unify.pendingResolution()
            printToStandardError("unify: nothing in \(store.path) matches '\(query.terminalSafe)': it is no customer id, "
                                 + "identifier or event id known there "
                                 + (pending > 0 ? "yet: \(pending.grouped) logged event(s) wait for identity resolution "
                                        + "(run `unify resolve --db \(store.path)`)" : "(see `unify stats`)"))
            throw ExitCode.failure
        }
        if output.json {
            print(ProfileJSON.text(profile))
        } else {
            print(ProfilePage.text(profile))
        }
    }
}

/// A profile as a page a person reads in a terminal.
enum ProfilePage {
    static func text(_ profile: Profile) -> String {
        var lines: [String] = []
        let name = [profile.trait("firstName")?.stringValue, profile.trait("lastName")?.stringValue]
            .compactMap { $0 }.joined(separator: " ")
        let fullName = name.isEmpty ? profile.trait("name")?.stringValue : name
        lines.append("Customer \(profile.customerID)" + (fullName.map { "  \($0)" } ?? ""))
        if !profile.formerIDs.isEmpty {
            lines.append("  also known as \(profile.formerIDs.prefix(4).joined(separator: ", "))"
                         + (profile.formerIDs.count > 4 ? " and \(profile.formerIDs.count - 4) more" : ""))
        }
        let unplaced = profile.events - profile.onlineEvents - profile.offlineEvents
        lines.append("  \(counted(profile.events, "event")) (\(profile.onlineEvents.grouped) online, "
                     + "\(profile.offlineEvents.grouped) offline"
                     + (unplaced > 0 ? ", \(unplaced.grouped) on no channel" : "")
                     + "), first seen \(day(profile.firstSeen)), "
                     + "last seen \(day(profile.lastSeen))")

        lines.append("")
        let stage = profile.stage ?? "none yet"
        let before = profile.journey.last { $0.enteredAt < (profile.stageSince ?? profile.asOf) && $0.stage != stage }
        lines.append("Stage        \(stage)" + (profile.stageSince.map { " since \(day($0))" } ?? "")
                     + (stage == "dormant" || stage == "churned" ? before.map { ", was \($0.stage)" } ?? "" : "")
                     + " (as of \(day(profile.asOf)))")
        if let dormant = profile.becomesDormant {
            lines.append("             dormant from \(day(dormant)) unless they are active again")
        }
        for (index, step) in profile.journey.enumerated() {
            let label = index == 0 ? "Journey      " : "             "
            let cause = step.event.map { event in
                "\(event.name ?? event.kind)" + (event.channel.map { " (\($0))" } ?? "")
            } ?? step.reason
            lines.append("\(label)\(day(step.enteredAt))  \(step.stage.terminalCell(14))\(cause)")
        }

        lines.append("")
        lines.append("Identifiers")
        let byKind = Dictionary(grouping: profile.identifiers, by: \.kind)
        var kinds: [Identifier.Kind] = []
        for identifier in profile.identifiers where !kinds.contains(identifier.kind) { kinds.append(identifier.kind) }
        for kind in kinds {
            let values = byKind[kind]!.map(\.value)
            let shown = values.prefix(3).joined(separator: ", ") + (values.count > 3 ? " (+\(values.count - 3) more)" : "")
            lines.append("  \(kind.rawValue.terminalCell(14))\(shown)")
        }

        if !profile.traits.isEmpty {
            lines.append("")
            // Names as wide as the longest, up to 24, so that values and origins stay in their
            // columns; a longer name pushes only its own line.
            let nameWidth = min(24, max(14, (profile.traits.map(\.name.terminalSafe.count).max() ?? 0) + 2))
            lines.append("Traits".terminalCell(2 + nameWidth + 42) + "from")
            for trait in profile.traits {
                let shown = describe(trait.value).terminalSafe(cutTo: 40)
                let origin = [trait.source, day(trait.time)].compactMap { $0 }.joined(separator: ", ")
                lines.append("  \(trait.name.terminalCell(nameWidth))\(shown.terminalCell(42))\(origin)")
            }
        }

        lines.append("")
        let orders = profile.orders
        if orders.count == 0 {
            lines.append("Orders       none")
        } else {
            let revenue = orders.revenue.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: " + ")
            let basket = orders.averageBasket.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
                .joined(separator: " + ")
            lines.append("Orders       \(orders.count) order\(orders.count == 1 ? "" : "s"), \(revenue) in all, "
                         + "average basket \(basket)")
            lines.append("             first \(day(orders.first)), last \(day(orders.last))")
        }
        if profile.consents.isEmpty {
            lines.append("Consents     none recorded")
        } else {
            for (index, consent) in profile.consents.enumerated() {
                lines.append((index == 0 ? "Consents     " : "             ")
                             + "\(consent.channel.terminalCell(7))"
                             + "\(consent.granted ? "granted  " : "withdrawn") \(day(consent.time))"
                             + (consent.source.map { " (\($0))" } ?? ""))
            }
        }
        for (label, survey) in [("NPS", profile.nps), ("CSAT", profile.csat)] {
            guard let survey else { continue }
            lines.append("\(label.padding(toLength: 13, withPad: " ", startingAt: 0))\(number(survey.latest)) on "
                         + "\(day(survey.time)), average \(number(survey.average)) over \(survey.responses) answer"
                         + (survey.responses == 1 ? "" : "s"))
        }

        if !profile.channels.isEmpty {
            lines.append("")
            lines.append("Channels")
            for channel in profile.channels.sorted(by: { ($1.events, $0.channel.rawValue) < ($0.events, $1.channel.rawValue) }) {
                lines.append("  \(channel.channel.rawValue.terminalCell(12))"
                             + "\(String(repeating: " ", count: max(0, 6 - channel.events.grouped.count)))\(channel.events.grouped)"
                             + "  \(channel.channel.isOnline ? "online " : "offline")  \(day(channel.first)) … \(day(channel.last))")
            }
        }

        if !profile.touchpoints.isEmpty {
            lines.append("")
            lines.append("Latest touchpoints")
            for point in profile.touchpoints {
                lines.append("  \(minute(point.time))  \((point.channel ?? "—").terminalCell(12))"
                             + "\(point.kind.terminalCell(9))\(point.name ?? "")")
            }
        }
        return lines.map(\.terminalSafe).joined(separator: "\n")
    }

    /// `1 event`, `12 events`.
    static func counted(_ count: Int, _ noun: String) -> String {
        "\(count.grouped) \(noun)\(count == 1 ? "" : "s")"
    }

    static func day(_ time: Timestamp?) -> String {
        guard let time else { return "—" }
        return String(time.iso8601.prefix(10))
    }

    static func minute(_ time: Timestamp) -> String {
        let text = time.iso8601
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5))
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// A trait value as a person reads it: text as it is, an address on one line.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .number(let literal): return literal
        case .bool(let flag): return flag ? "yes" : "no"
        case .null: return "—"
        case .object(let object):
            let parts = ["street", "postalCode", "city", "state", "country"].compactMap { object[$0]?.stringValue }
            return parts.isEmpty ? value.jsonText : parts.joined(separator: ", ")
        case .array: return value.jsonText
        }
    }
}

/// A profile as JSON for machines: every field, times in ISO 8601.
enum ProfileJSON {
    static func object(_ profile: Profile) -> [String: Any] {
        func time(_ value: Timestamp?) -> Any { value?.iso8601 ?? NSNull() }
        var object: [String: Any] = [
            "customer_id": profile.customerID, "former_ids": profile.formerIDs,
            "identifiers": profile.identifiers.map(\.description), "first_seen": time(profile.firstSeen),
            "last_seen": time(profile.lastSeen), "events": profile.events, "online_events": profile.onlineEvents,
            "offline_events": profile.offlineEvents, "as_of": profile.asOf.iso8601, "stage": profile.stage ?? NSNull(),
            "stage_since": time(profile.stageSince), "dormant_since": time(profile.dormantSince),
            "becomes_dormant": time(profile.becomesDormant),
        ]
        object["traits"] = Dictionary(uniqueKeysWithValues: profile.traits.map { trait in
            (trait.name, ["value": foundation(trait.value), "event_id": trait.eventID, "time": trait.time.iso8601,
                          "source": trait.source ?? NSNull()] as [String: Any])
        })
        object["orders"] = ["count": profile.orders.count, "revenue": numbers(profile.orders.revenue),
                            "average_basket": numbers(profile.orders.averageBasket), "first": time(profile.orders.first),
                            "last": time(profile.orders.last)] as [String: Any]
        object["channels"] = Dictionary(uniqueKeysWithValues: profile.channels.map {
            ($0.channel.rawValue, ["events": $0.events, "first": $0.first.iso8601, "last": $0.last.iso8601,
                                   "online": $0.channel.isOnline] as [String: Any])
        })
        object["journey"] = profile.journey.map {
            ["stage": $0.stage, "entered_at": $0.enteredAt.iso8601, "event_id": $0.event?.eventID ?? NSNull(),
             "reason": $0.reason] as [String: Any]
        }
        object["consents"] = Dictionary(uniqueKeysWithValues: profile.consents.map {
            ($0.channel, ["granted": $0.granted, "time": $0.time.iso8601, "event_id": $0.eventID,
                          "source": $0.source ?? NSNull()] as [String: Any])
        })
        for (name, survey) in [("nps", profile.nps), ("csat", profile.csat)] {
            object[name] = survey.map {
                ["latest": $0.latest, "time": $0.time.iso8601, "event_id": $0.eventID, "responses": $0.responses,
                 "average": $0.average] as [String: Any]
            } ?? NSNull()
        }
        object["touchpoints"] = profile.touchpoints.map {
            ["event_id": $0.eventID, "time": $0.time.iso8601, "kind": $0.kind, "name": $0.name ?? NSNull(),
             "channel": $0.channel ?? NSNull(), "source": $0.source ?? NSNull()] as [String: Any]
        }
        return object
    }

    /// Amounts as JSON numbers, so that `jq '.orders.revenue.EUR > 100'` works. `Decimal`
    /// writes the exact decimal text: a `Double` keeps about 15 significant digits, and
    /// 1000000000000000.01 would lose its cents.
    private static func numbers(_ amounts: [String: String]) -> [String: Any] {
        amounts.mapValues { text in Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")).map { $0 as Any } ?? text }
    }

    static func text(_ profile: Profile) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object(profile), options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// A JSON value as Foundation's JSON writer takes it.
    static func foundation(_ value: JSONValue) -> Any {
        switch value {
        case .null: return NSNull()
        case .bool(let flag): return flag
        case .number(let literal): return Double(literal).map { $0 == $0.rounded() && abs($0) < 1e15 ? Int64($0) as Any : $0 as Any } ?? literal
        case .string(let text): return text
        case .array(let elements): return elements.map(foundation)
        case .object(let object):
            var result: [String: Any] = [:]
            for member in object { result[member.key] = foundation(member.value) }
            return result
        }
    }
}
