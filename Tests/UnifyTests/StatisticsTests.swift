import Testing
@testable import Unify

@Suite("What the store holds")
struct StatisticsTests {
    @Test func countsAddUpOverChannelsKindsAndInputs() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [
            line("e1", minute: 1, ["user_id": "u1"]),
            line("e2", minute: 2, ["user_id": "u1", "email": "noemail@shop.fr"]),
            #"{"id":"k1","event":"Visit","channel":"kiosk","timestamp":"2025-01-01T00:05:00Z","identifiers":{"user_id":"u2"}}"#,
            #"{"type":"page","messageId":"p1","anonymousId":"c1","channel":"browser"}"#,
            "not json",
        ], inputName: "mixed")
        let statistics = try store.store.statistics()
        #expect(statistics.events == 4 && statistics.rejects == 1 && statistics.timesAssigned == 1)
        #expect(statistics.customers == 3)
        #expect(statistics.linkingIdentifiers == 3 && statistics.junkOrHubIdentifiers == 1)
        #expect(statistics.pendingResolution == 0)
        #expect(statistics.channels.map { "\($0.label)=\($0.count)" } == ["(none)=2", "kiosk=1", "web=1"])
        #expect(statistics.kinds.map { "\($0.label)=\($0.count)" } == ["track=3", "page=1"])
        #expect(statistics.inputs.map { "\($0.label)=\($0.count)" } == ["mixed=4"])
        #expect(statistics.firstEventTime == Timestamp(iso8601: "2025-01-01T00:01:00Z"))
    }
}
