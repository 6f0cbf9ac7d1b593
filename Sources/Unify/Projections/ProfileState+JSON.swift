/// The profile as JSON: what the `profile` column of `customers` holds (docs/SCHEMA.md), for
/// people and SQL to read, and for unify to read back and keep updating.
///
/// Times are milliseconds since 1970 as in every table; amounts are exact decimals.
extension ProfileState {
    /// The profile document's UTF-8 bytes, with the journey derived from the model. Bytes
    /// rather than a `String`: a write-back binds them to its row as they are, where a
    /// `String` would first check again that the bytes just written are UTF-8.
    func json(rules: ProjectionRules, journey: Journey) -> [UInt8] {
        var out = JSONBuilder()
        out.beginObject()
        out.field("first_seen", first?.time)
        if let first { out.key("first_event"); ProfileState.write(first, to: &out) }
        out.field("last_seen", last?.time)
        if let last { out.key("last_event"); ProfileState.write(last, to: &out) }
        out.key("events"); out.integer(events)
        out.key("online_events"); out.integer(online)
        out.key("offline_events"); out.integer(offline)
        out.key("channels")
        out.beginObject()
        for tally in channels {
            out.key(tally.channel)
            out.beginObject()
            out.key("events"); out.integer(tally.events)
            out.key("first"); out.integer(tally.first)
            out.key("last"); out.integer(tally.last)
            out.endObject()
        }
        out.endObject()
        out.key("traits")
        out.beginObject()
        for trait in traits {
            let policy = rules.policy(ofTrait: trait.key)
            guard let winner = trait.winner(policy: policy) else { continue }
            out.key(trait.key)
            out.beginObject()
            out.key("value"); out.raw(winner.value)
            out.key("event"); ProfileState.write(winner.mark, to: &out)
            out.field("source", winner.source)
            if policy == .sourcePriority { out.key("rank"); out.integer(winner.rank) }
            if policy == .mostFrequent {
                out.key("values")
                out.beginArray()
                for candidate in trait.candidates {
                    out.beginObject()
                    out.key("value"); out.raw(candidate.value)
                    out.key("count"); out.integer(candidate.count)
                    out.key("event"); ProfileState.write(candidate.mark, to: &out)
                    out.field("source", candidate.source)
                    out.endObject()
                }
                out.endArray()
            }
            out.endObject()
        }
        out.endObject()
        out.key("orders")
        out.beginObject()
        out.key("count"); out.integer(orders.count)
        out.key("revenue")
        out.beginObject()
        for amount in orders.amounts {
            out.key(amount.currency)
            out.raw(amount.amount.formatted(decimals: 4))
        }
        out.endObject()
        out.key("average_basket")
        out.beginObject()
        for amount in orders.amounts where amount.orders > 0 {
            out.key(amount.currency)
            out.raw(amount.amount.divided(by: amount.orders).formatted(decimals: 2))
        }
        out.endObject()
        out.key("by_currency")
        out.beginObject()
        for amount in orders.amounts {
            out.key(amount.currency)
            out.integer(amount.orders)
        }
        out.endObject()
        out.field("first", orders.first)
        out.field("last", orders.last)
        out.endObject()
        out.field("stage", journey.stage)
        out.field("stage_since", journey.stageSince)
        out.field("dormant_since", journey.dormantSince)
        out.key("journey")
        out.beginArray()
        for entry in journey.entries {
            out.beginObject()
            out.key("stage"); out.string(entry.stage)
            out.key("entered_at"); out.integer(entry.enteredAt)
            out.field("event_seq", entry.eventSeq)
            out.key("reason"); out.string(entry.reason)
            out.endObject()
        }
        out.endArray()
        out.key("consents")
        out.beginObject()
        for consent in consents {
            out.key(consent.channel)
            out.beginObject()
            out.key("granted"); out.bool(consent.granted)
            out.key("event"); ProfileState.write(consent.mark, to: &out)
            out.field("source", consent.source)
            out.endObject()
        }
        out.endObject()
        for (name, tally) in [("nps", nps), ("csat", csat)] {
            guard let tally else { continue }
            out.key(name)
            out.beginObject()
            out.key("latest"); out.raw(ProfileState.number(tally.latest))
            out.key("event"); ProfileState.write(tally.mark, to: &out)
            out.key("responses"); out.integer(tally.count)
            out.key("average")
            out.raw(Amount(tenThousandths: tally.hundredths * 100).divided(by: tally.count).formatted(decimals: 2))
            out.key("total_hundredths"); out.integer(tally.hundredths)
            out.endObject()
        }
        // What unify keeps to update the profile without reading its events again.
        out.key("summary")
        out.beginObject()
        out.key("activity")
        out.beginArray()
        for span in activity {
            out.beginArray()
            out.integer(span.start)
            out.integer(span.end)
            out.endArray()
        }
        out.endArray()
        out.key("stages")
        out.beginArray()
        for index in rules.policy.journey.stages.indices { ProfileState.write(stageMarks.marks(of: index), to: &out) }
        out.endArray()
        out.key("churns")
        ProfileState.write(churns, to: &out)
        out.key("returns")
        out.beginArray()
        for time in returns { out.integer(time) }
        out.endArray()
        out.endObject()
        out.endObject()
        return out.bytes
    }

    private static func write(_ marks: [Mark], to out: inout JSONBuilder) {
        out.beginArray()
        for mark in marks { write(mark, to: &out) }
        out.endArray()
    }

    /// An event reference: `[seq, time, tiebreak]`, the event's sequence number in the log, its
    /// time, and the digest of its id that orders events of the same millisecond.
    private static func write(_ mark: Mark, to out: inout JSONBuilder) {
        out.beginArray()
        out.integer(mark.seq)
        out.integer(mark.time)
        out.integer(mark.tiebreak)
        out.endArray()
    }

    /// Reads back a profile document; `nil` when it is not one.
    init?(json text: String, rules: ProjectionRules) {
        guard case .object(let root)? = JSONValue(parsing: text) else { return nil }
        func integer(_ value: JSONValue?) -> Int64? { value?.stringValue.flatMap { Int64($0) } }
        func mark(_ value: JSONValue?) -> Mark? {
            guard case .array(let parts)? = value, parts.count == 3, let seq = integer(parts[0]),
                  let time = integer(parts[1]), let tiebreak = integer(parts[2]) else { return nil }
            return Mark(time: time, tiebreak: tiebreak, seq: seq)
        }
        first = mark(root["first_event"])
        last = mark(root["last_event"])
        events = Int(integer(root["events"]) ?? 0)
        online = Int(integer(root["online_events"]) ?? 0)
        offline = Int(integer(root["offline_events"]) ?? 0)
        for member in root["channels"]?.objectValue ?? [:] {
            let tally = member.value.objectValue ?? [:]
            channels.append(ChannelTally(channel: member.key, events: Int(integer(tally["events"]) ?? 0),
                                         first: integer(tally["first"]) ?? 0, last: integer(tally["last"]) ?? 0))
        }
        for member in root["traits"]?.objectValue ?? [:] {
            let trait = member.value.objectValue ?? [:]
            func candidate(_ object: JSONObject, rank: Int, count: Int) -> TraitCandidate? {
                guard let value = object["value"], let mark = mark(object["event"]) else { return nil }
                return TraitCandidate(value: value.jsonText, mark: mark, source: object["source"]?.stringValue,
                                      rank: rank, count: count)
            }
            var candidates: [TraitCandidate] = []
            if case .array(let values)? = trait["values"] {
                candidates = values.compactMap { $0.objectValue.flatMap { candidate($0, rank: 0, count: Int(integer($0["count"]) ?? 1)) } }
            } else if let winner = candidate(trait, rank: Int(integer(trait["rank"]) ?? 0), count: 1) {
                candidates = [winner]
            }
            if !candidates.isEmpty { traits.append(TraitState(key: member.key, candidates: candidates)) }
        }
        if let tally = root["orders"]?.objectValue {
            orders.count = Int(integer(tally["count"]) ?? 0)
            let counts = tally["by_currency"]?.objectValue ?? [:]
            for member in tally["revenue"]?.objectValue ?? [:] {
                orders.amounts.append(CurrencyAmount(currency: member.key, amount: Amount(member.value) ?? .zero,
                                                     orders: Int(integer(counts[member.key]) ?? 0)))
            }
            orders.first = integer(tally["first"])
            orders.last = integer(tally["last"])
        }
        for member in root["consents"]?.objectValue ?? [:] {
            let consent = member.value.objectValue ?? [:]
            guard case .bool(let granted)? = consent["granted"], let mark = mark(consent["event"]) else {
                continue
            }
            consents.append(ConsentState(channel: member.key, granted: granted, mark: mark,
                                         source: consent["source"]?.stringValue))
        }
        func tally(_ value: JSONValue?) -> ScoreTally? {
            guard let object = value?.objectValue, let latest = object["latest"]?.doubleValue,
                  let mark = mark(object["event"]) else { return nil }
            return ScoreTally(latest: latest, mark: mark, count: Int(integer(object["responses"]) ?? 1),
                              hundredths: integer(object["total_hundredths"]) ?? 0)
        }
        nps = tally(root["nps"])
        csat = tally(root["csat"])
        let summary = root["summary"]?.objectValue ?? [:]
        if case .array(let spans)? = summary["activity"] {
            activity = spans.compactMap { span in
                guard case .array(let bounds) = span, bounds.count == 2, let start = integer(bounds[0]),
                      let end = integer(bounds[1]) else { return nil }
                return ActivitySpan(start: start, end: end)
            }
        }
        func marks(_ value: JSONValue) -> [Mark] {
            guard case .array(let elements) = value else { return [] }
            return elements.compactMap(mark)
        }
        if case .array(let stages)? = summary["stages"] {
            for (index, value) in stages.enumerated() {
                let keep = rules.policy.journey.stages.indices.contains(index) ? max(1, rules.policy.journey.stages[index].count) : 1
                for mark in marks(value) { stageMarks.insert(mark, stage: index, keep: keep) }
            }
        }
        churns = summary["churns"].map(marks) ?? []
        if case .array(let times)? = summary["returns"] { returns = times.compactMap(integer) }
        // Sorted as the merges expect, whatever order a hand-edited document has.
        channels.sort { $0.channel.utf8.lexicographicallyPrecedes($1.channel.utf8) }
        traits.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        orders.amounts.sort { $0.currency.utf8.lexicographicallyPrecedes($1.currency.utf8) }
        consents.sort { $0.channel.utf8.lexicographicallyPrecedes($1.channel.utf8) }
    }

    /// A double as a JSON number: integers without a fraction.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
