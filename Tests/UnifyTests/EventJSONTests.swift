import Testing
@testable import Unify

@Suite("Events ingested as values")
struct EventJSONTests {
    static let time = Timestamp(iso8601: "2025-03-02T14:04:05.123Z")!

    @Test(arguments: Event.Kind.allCases)
    func anEventsJSONLineDecodesBackToTheSameEvent(kind: Event.Kind) throws {
        var identifiers = [Identifier(kind: .userID, value: "u1")!, Identifier(kind: .email, value: "jane@example.com")!,
                           Identifier(kind: .email, value: "j.doe@example.com")!, Identifier(kind: Identifier.Kind(rawValue: "loyalty_id"), value: "L1")!]
        if kind == .alias { identifiers.append(Identifier(kind: .previousID, value: "anon-1")!) }
        let event = Event(
            id: "evt-1", kind: kind, name: kind == .identify || kind == .alias ? nil : "Name \"quoted\"",
            time: Self.time, channel: .store, source: "pos", identifiers: identifiers,
            traits: ["firstName": "Jane", "address": .object(["city": "Lyon"])],
            properties: ["total": .number("59.90"), "items": .array([1, 2])])
        #expect(try decode(event.jsonLine) == event)
    }

    @Test func eventsAreIngestedIdempotentlyLikeLines() throws {
        let temporary = try TemporaryStore()
        let event = Event(id: "evt-1", kind: .track, name: "Order Completed", time: Self.time,
                          identifiers: [Identifier(kind: .email, value: "jane@example.com")!])
        let first = try temporary.store.ingest(events: [event, event])
        #expect(first.accepted == 1 && first.duplicates == 1)
        #expect(try temporary.rows("SELECT raw FROM events") == [[event.jsonLine]])
    }
}
