import Foundation
internal import GRDB

/// What ``Store/export(_:format:asOf:write:)`` writes.
public enum ExportKind: String, Sendable, CaseIterable {
    /// Every event: its id, sequence number, customer, time, kind, name, channel, source and payload.
    case events
    /// Every customer's profile.
    case profiles
    /// Every identifier, with its status and customer.
    case identities
}

/// How exported records are written.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// One JSON object per line.
    case ndjson
    /// Comma-separated values with a header row (RFC 4180), nested values as JSON text.
    case csv
}

extension Store {
    /// Streams every record of `kind` to `write`, one line at a time (with its line ending),
    /// from one consistent snapshot of the store, so it can run while an ingest writes.
    ///
    /// - Parameter asOf: for profiles, the reference time of the stage (by default the latest
    ///   event in the store).
    public func export(_ kind: ExportKind, format: ExportFormat, asOf: Timestamp? = nil,
                       write: (String) throws -> Void) throws(UnifyError) {
        try read { db in
            try withoutActuallyEscaping(write) { write in
                var exporter = RecordWriter(format: format, write: write)
                switch kind {
                case .events: try exportEvents(db, &exporter)
                case .profiles: try exportProfiles(db, &exporter, asOf: asOf)
                case .identities: try exportIdentities(db, &exporter)
                }
            }
        }
    }

    private func exportEvents(_ db: Database, _ out: inout RecordWriter) throws {
        try out.header(["event_id", "seq", "customer_id", "time", "kind", "name", "channel", "source", "input", "line",
                        "payload"])
        let rows = try Row.fetchCursor(db, sql: """
            SELECT events.event_id, events.seq, coalesce(identifiers.customer, event_identity.own_customer),
                   events.time, events.kind, events.name, events.channel, events.source, inputs.name, events.line,
                   events.raw
            FROM events
            JOIN inputs ON inputs.id = events.input_id
            LEFT JOIN event_identity ON event_identity.seq = events.seq
            LEFT JOIN identifiers ON identifiers.key = event_identity.principal
            ORDER BY events.seq
            """)
        while let row = try rows.next() {
            let customer = (row[2] as Int64?).map { CustomerID(storageValue: $0).description }
            try out.record([
                .text(row[0]), .integer(row[1]), customer.map(RecordWriter.Value.text) ?? .null,
                .text(Timestamp(millisecondsSince1970: row[3]).iso8601), .text(row[4]),
                (row[5] as String?).map(RecordWriter.Value.text) ?? .null,
                (row[6] as String?).map(RecordWriter.Value.text) ?? .null,
                (row[7] as String?).map(RecordWriter.Value.text) ?? .null, .text(row[8]), .integer(row[9]),
                .json(row[10]),
            ])
        }
    }

    private func exportProfiles(_ db: Database, _ out: inout RecordWriter, asOf: Timestamp?) throws {
        try out.header(["customer_id", "first_seen", "last_seen", "events", "online_events", "offline_events", "orders",
                        "currency", "revenue", "average_basket", "revenue_by_currency", "first_order", "last_order",
                        "stage", "stage_since", "dormant_since", "becomes_dormant", "identifiers", "traits", "consents", "channels", "journey", "nps", "csat"])
        let reader = ProfileReader(db: db, rules: projectionRules)
        let rows = try Row.fetchCursor(db, sql: "SELECT customer, profile, event_list FROM customers ORDER BY customer")
        while let row = try rows.next() {
            let customer = CustomerID(storageValue: row[0]).description
            guard let state = ProfileState(json: row[1], rules: projectionRules) else { continue }
            let profile = try reader.profile(customer, state: state, events: EventList(bytes: Array(row[2] as Data)),
                                             asOf: asOf, touchpoints: 0)
            try out.record(RecordWriter.profile(profile))
        }
    }

    private func exportIdentities(_ db: Database, _ out: inout RecordWriter) throws {
        try out.header(["identifier", "kind", "value", "status", "customer_id"])
        let rows = try Row.fetchCursor(db, sql: "SELECT kind, value, status, customer FROM identifiers WHERE kind != 'record' ORDER BY kind, value")
        while let row = try rows.next() {
            let kind: String = row[0]
            let value: String = row[1]
            let customer = (row[3] as Int64?).map { CustomerID(storageValue: $0).description }
            try out.record([.text(kind + ":" + value), .text(kind), .text(value), .text(row[2]),
                            customer.map(RecordWriter.Value.text) ?? .null])
        }
    }
}

/// Writes records as NDJSON objects or CSV rows, under one header.
struct RecordWriter {
    enum Value {
        case null
        case text(String)
        case integer(Int64)
        case number(String)
        /// Text that is JSON already (a payload, a nested object).
        case json(String)
    }

    let format: ExportFormat
    let write: (String) throws -> Void
    private var columns: [String] = []

    init(format: ExportFormat, write: @escaping (String) throws -> Void) {
        self.format = format
        self.write = write
    }

    mutating func header(_ names: [String]) throws {
        columns = names
        if format == .csv { try write(names.map(RecordWriter.csvField).joined(separator: ",") + "\r\n") }
    }

    func record(_ values: [Value]) throws {
        switch format {
        case .csv:
            let fields = values.map { value -> String in
                switch value {
                case .null: ""
                case .text(let text), .number(let text), .json(let text): RecordWriter.csvField(text)
                case .integer(let number): String(number)
                }
            }
            try write(fields.joined(separator: ",") + "\r\n")
        case .ndjson:
            var json = JSONBuilder(capacity: 512)
            json.beginObject()
            for (name, value) in zip(columns, values) {
                json.key(name)
                switch value {
                case .null: json.raw("null")
                case .text(let text): json.string(text)
                case .integer(let number): json.integer(number)
                case .number(let literal): json.raw(literal)
                case .json(let text): json.raw(text)
                }
            }
            json.endObject()
            try write(json.text + "\n")
        }
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The columns of a profile, in ``Store/exportProfiles`` order.
    static func profile(_ profile: Profile) -> [Value] {
        func time(_ value: Timestamp?) -> Value { value.map { .text($0.iso8601) } ?? .null }
        func json(_ build: (inout JSONBuilder) -> Void) -> Value {
            var builder = JSONBuilder(capacity: 256)
            build(&builder)
            return .json(builder.text)
        }
        // One currency for the plain columns (most shops have one): the one with the most
        // largest amount, ties by code; every currency is in revenue_by_currency.
        let currency = profile.orders.revenue.max { a, b in
            let (x, y) = (Double(a.value) ?? 0, Double(b.value) ?? 0)
            return x != y ? x < y : a.key > b.key
        }?.key
        return [
            .text(profile.customerID), time(profile.firstSeen), time(profile.lastSeen), .integer(Int64(profile.events)),
            .integer(Int64(profile.onlineEvents)), .integer(Int64(profile.offlineEvents)),
            .integer(Int64(profile.orders.count)),
            currency.map(Value.text) ?? .null,
            currency.flatMap { profile.orders.revenue[$0] }.map(Value.number) ?? .number("0"),
            currency.flatMap { profile.orders.averageBasket[$0] }.map(Value.number) ?? .null,
            json { out in
                out.beginObject()
                for (currency, amount) in profile.orders.revenue.sorted(by: { $0.key < $1.key }) {
                    out.key(currency); out.raw(amount)
                }
                out.endObject()
            },
            time(profile.orders.first), time(profile.orders.last),
            profile.stage.map(Value.text) ?? .null, time(profile.stageSince), time(profile.dormantSince),
            time(profile.becomesDormant),
            json { out in
                out.beginArray()
                for identifier in profile.identifiers { out.string(identifier.description) }
                out.endArray()
            },
            json { out in
                out.beginObject()
                for trait in profile.traits {
                    out.key(trait.name)
                    out.beginObject()
                    out.key("value"); out.raw(trait.value.jsonText)
                    out.key("event_id"); out.string(trait.eventID)
                    out.key("time"); out.string(trait.time.iso8601)
                    out.field("source", trait.source)
                    out.endObject()
                }
                out.endObject()
            },
            json { out in
                out.beginObject()
                for consent in profile.consents {
                    out.key(consent.channel)
                    out.beginObject()
                    out.key("granted"); out.bool(consent.granted)
                    out.key("time"); out.string(consent.time.iso8601)
                    out.key("event_id"); out.string(consent.eventID)
                    out.endObject()
                }
                out.endObject()
            },
            json { out in
                out.beginObject()
                for channel in profile.channels {
                    out.key(channel.channel.rawValue)
                    out.integer(channel.events)
                }
                out.endObject()
            },
            json { out in
                out.beginArray()
                for step in profile.journey {
                    out.beginObject()
                    out.key("stage"); out.string(step.stage)
                    out.key("entered_at"); out.string(step.enteredAt.iso8601)
                    out.field("event_id", step.event?.eventID)
                    out.endObject()
                }
                out.endArray()
            },
            profile.nps.map { .number(ProfileState.number($0.latest)) } ?? .null,
            profile.csat.map { .number(ProfileState.number($0.latest)) } ?? .null,
        ]
    }
}
