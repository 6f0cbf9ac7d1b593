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
            out.raw(Amount(tenThousandths: Int128(tally.hundredths) * 100).divided(by: tally.count).formatted(decimals: 2))
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
        var text = text
        guard let state = text.withUTF8({ ProfileState(validUTF8JSON: $0, rules: rules) }) else { return nil }
        self = state
    }

    /// Reads back a profile document from its bytes (a `profile` column read in place);
    /// `nil` when it is not one. Bytes that are not UTF-8 are read as a `String` would
    /// repair them.
    init?(json bytes: UnsafeBufferPointer<UInt8>, rules: ProjectionRules) {
        guard firstInvalidUTF8Offset(bytes) == nil else {
            self.init(json: String(decoding: bytes, as: UTF8.self), rules: rules)
            return
        }
        self.init(validUTF8JSON: bytes, rules: rules)
    }

    /// Reads the document straight from its parsed tape. A batch into a large store reads
    /// back the profile of every customer it touches, and building Swift values for a whole
    /// document first cost about 200,000 instructions a profile, a quarter of such a batch.
    private init?(validUTF8JSON bytes: UnsafeBufferPointer<UInt8>, rules: ProjectionRules) {
        var tape = JSONTape(maximumDepth: 64)
        do { try tape.parse(bytes) } catch { return nil }
        let document = ProfileDocument(JSONDocument(bytes: bytes, tokens: tape.tokens))
        guard document.kind(0) == .object else { return nil }
        self.init(document, rules: rules)
    }

    private init(_ document: ProfileDocument, rules: ProjectionRules) {
        let root = 0
        first = document.mark(document.member(root, "first_event"))
        last = document.mark(document.member(root, "last_event"))
        events = Int(document.integer(document.member(root, "events")) ?? 0)
        online = Int(document.integer(document.member(root, "online_events")) ?? 0)
        offline = Int(document.integer(document.member(root, "offline_events")) ?? 0)
        document.forEachMember(of: document.member(root, "channels")) { channel, tally in
            channels.append(ChannelTally(channel: channel, events: Int(document.integer(document.member(tally, "events")) ?? 0),
                                         first: document.integer(document.member(tally, "first")) ?? 0,
                                         last: document.integer(document.member(tally, "last")) ?? 0))
        }
        document.forEachMember(of: document.member(root, "traits")) { key, trait in
            func candidate(_ object: Int, rank: Int, count: Int) -> TraitCandidate? {
                guard let value = document.member(object, "value"),
                      let mark = document.mark(document.member(object, "event")) else { return nil }
                return TraitCandidate(value: document.jsonText(value), mark: mark,
                                      source: document.stringValue(document.member(object, "source")), rank: rank, count: count)
            }
            var candidates: [TraitCandidate] = []
            if let values = document.member(trait, "values"), document.kind(values) == .array {
                document.forEachElement(of: values) { value in
                    guard document.kind(value) == .object,
                          let candidate = candidate(value, rank: 0, count: Int(document.integer(document.member(value, "count")) ?? 1))
                    else { return }
                    candidates.append(candidate)
                }
            } else if let winner = candidate(trait, rank: Int(document.integer(document.member(trait, "rank")) ?? 0), count: 1) {
                candidates = [winner]
            }
            if !candidates.isEmpty { traits.append(TraitState(key: key, candidates: candidates)) }
        }
        if let tally = document.member(root, "orders"), document.kind(tally) == .object {
            orders.count = Int(document.integer(document.member(tally, "count")) ?? 0)
            let counts = document.member(tally, "by_currency")
            document.forEachMember(of: document.member(tally, "revenue")) { currency, amount in
                orders.amounts.append(CurrencyAmount(
                    currency: currency, amount: document.stringValue(amount).flatMap(Amount.parse).map { Amount(tenThousandths: $0) } ?? .zero,
                    orders: Int(document.integer(document.member(counts, named: currency)) ?? 0)))
            }
            orders.first = document.integer(document.member(tally, "first"))
            orders.last = document.integer(document.member(tally, "last"))
        }
        document.forEachMember(of: document.member(root, "consents")) { channel, consent in
            guard let granted = document.bool(document.member(consent, "granted")),
                  let mark = document.mark(document.member(consent, "event")) else { return }
            consents.append(ConsentState(channel: channel, granted: granted, mark: mark,
                                         source: document.stringValue(document.member(consent, "source"))))
        }
        func tally(_ object: Int?) -> ScoreTally? {
            guard let object, document.kind(object) == .object,
                  let latest = document.double(document.member(object, "latest")),
                  let mark = document.mark(document.member(object, "event")) else { return nil }
            return ScoreTally(latest: latest, mark: mark, count: Int(document.integer(document.member(object, "responses")) ?? 1),
                              hundredths: document.integer(document.member(object, "total_hundredths")) ?? 0)
        }
        nps = tally(document.member(root, "nps"))
        csat = tally(document.member(root, "csat"))
        let summary = document.member(root, "summary")
        document.forEachElement(of: document.member(summary, "activity")) { span in
            guard let bounds = document.integers(span, count: 2) else { return }
            activity.append(ActivitySpan(start: bounds.0, end: bounds.1))
        }
        var stage = 0
        document.forEachElement(of: document.member(summary, "stages")) { marks in
            let keep = rules.policy.journey.stages.indices.contains(stage) ? max(1, rules.policy.journey.stages[stage].count) : 1
            document.forEachElement(of: marks) { mark in
                if let mark = document.mark(mark) { stageMarks.insert(mark, stage: stage, keep: keep) }
            }
            stage += 1
        }
        document.forEachElement(of: document.member(summary, "churns")) { mark in
            if let mark = document.mark(mark) { churns.append(mark) }
        }
        document.forEachElement(of: document.member(summary, "returns")) { time in
            if let time = document.integer(time) { returns.append(time) }
        }
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


/// A profile document's tape, read the way the document format allows: a key given twice
/// counts as its last, numbers may be written as strings, and what has the wrong kind reads
/// as absent.
private struct ProfileDocument {
    let tape: JSONDocument

    init(_ tape: JSONDocument) {
        self.tape = tape
    }

    func kind(_ index: Int) -> JSONTape.Kind { tape.kind(index) }

    /// The value of the last member named `key` of the object at `object`; `nil` when there
    /// is none or `object` is not an object.
    func member(_ object: Int?, _ key: StaticString) -> Int? {
        lastMember(of: object) { tape.isString($0, equalTo: key) }
    }

    /// ``member(_:_:)`` for a key known only when reading (a literal key would pick this
    /// one over the `StaticString` one, and build a `String` for every member compared).
    func member(_ object: Int?, named key: String) -> Int? {
        lastMember(of: object) { tape.string($0) == key }
    }

    /// The value of the last member of the object at `object` whose key `isKey` accepts.
    private func lastMember(of object: Int?, where isKey: (Int) -> Bool) -> Int? {
        guard let object, tape.kind(object) == .object else { return nil }
        var found: Int?
        tape.forEachMember(of: object) { (name: Int, value: Int) in
            if isKey(name) { found = value }
        }
        return found
    }

    /// `body` with each member's key and value index, when `object` is an object.
    func forEachMember(of object: Int?, _ body: (String, Int) -> Void) {
        guard let object, tape.kind(object) == .object else { return }
        tape.forEachMember(of: object) { (name: Int, value: Int) in body(tape.string(name), value) }
    }

    /// `body` with each element's index, when `array` is an array.
    func forEachElement(of array: Int?, _ body: (Int) -> Void) {
        guard let array, tape.kind(array) == .array else { return }
        tape.forEachElement(of: array, body)
    }

    /// A string's text or a number's literal.
    func stringValue(_ index: Int?) -> String? {
        guard let index else { return nil }
        switch tape.kind(index) {
        case .string: return tape.string(index)
        case .number: return tape.numberLiteral(index)
        default: return nil
        }
    }

    /// A number, or a string holding one, as `Int64` reads text: an optional sign and
    /// decimal digits, nothing else, within range.
    func integer(_ index: Int?) -> Int64? {
        guard let index else { return nil }
        let token = tape[index]
        switch token.kind {
        case .number where !token.escaped, .string where !token.escaped:
            return DecimalText.integer(tape.rawBytes(index))
        case .string:
            return Int64(tape.string(index))
        default:
            return nil
        }
    }

    /// A number, or a string holding one.
    func double(_ index: Int?) -> Double? {
        stringValue(index).flatMap { Double($0) }
    }

    /// `true` or `false`; `nil` for anything else.
    func bool(_ index: Int?) -> Bool? {
        guard let index else { return nil }
        switch tape.kind(index) {
        case .true: return true
        case .false: return false
        default: return nil
        }
    }

    /// The integers of an array of exactly `count` of them (at most three), the rest zero;
    /// `nil` otherwise. A tuple, so that reading an event reference allocates nothing.
    func integers(_ array: Int?, count: Int) -> (Int64, Int64, Int64)? {
        guard let array, tape.kind(array) == .array, count <= 3 else { return nil }
        var values: (Int64, Int64, Int64) = (0, 0, 0)
        var found = 0
        var valid = true
        tape.forEachElement(of: array) { element in
            guard valid, found < count, let value = integer(element) else {
                valid = false
                return
            }
            switch found {
            case 0: values.0 = value
            case 1: values.1 = value
            default: values.2 = value
            }
            found += 1
        }
        return valid && found == count ? values : nil
    }

    /// An event reference, `[seq, time, tiebreak]`.
    func mark(_ index: Int?) -> ProfileState.Mark? {
        guard let parts = integers(index, count: 3) else { return nil }
        return ProfileState.Mark(time: parts.1, tiebreak: parts.2, seq: parts.0)
    }

    /// The compact text of the value at `index`, members in their order: what the value's
    /// `jsonText` is, without building it.
    func jsonText(_ index: Int) -> String {
        var writer = JSONWriter()
        writer.write(tape, index)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
