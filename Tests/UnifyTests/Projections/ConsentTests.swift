import Testing
@testable import Unify

@Suite("Consents per channel")
struct ConsentTests {
    @Test func theLatestEventAboutAConsentSetsItWhateverTheOrder() throws {
        let lines = [
            event("s", at: "2025-01-01T10:00:00Z", ["user_id": "u1"], event: "Newsletter Subscribed"),
            event("u", at: "2025-03-01T10:00:00Z", ["user_id": "u1"], event: "Unsubscribed", channel: "email"),
            event("r", at: "2025-02-01T10:00:00Z", ["user_id": "u1"], event: "Newsletter Subscribed"),
        ]
        for order in [lines, lines.reversed()] {
            let store = try TemporaryStore.forProjections()
            _ = try store.store.ingest(lines: order)
            let email = try #require(try store.profile("u1").consents.first { $0.channel == "email" })
            #expect(!email.granted)
            #expect(email.eventID == "u")
        }
    }

    @Test func optInPropertiesAndTraitsSetConsents() throws {
        let store = try TemporaryStore.forProjections()
        _ = try store.store.ingest(lines: [
            event("card", at: "2025-01-01T10:00:00Z", ["loyalty_id": "L1"], event: "Loyalty Card Issued", source: "pos",
                  properties: #"{"optin_email":false,"optin_sms":true}"#),
            event("app", at: "2025-01-02T10:00:00Z", ["loyalty_id": "L1"], traits: #"{"pushOptIn":true}"#),
            event("stop", at: "2025-01-03T10:00:00Z", ["loyalty_id": "L1"], event: "SMS Opt-Out"),
        ])
        let consents = Dictionary(uniqueKeysWithValues: try store.profile("L1").consents.map { ($0.channel, $0) })
        #expect(consents["email"]?.granted == false && consents["email"]?.source == "pos")
        #expect(consents["sms"]?.granted == false && consents["sms"]?.eventID == "stop")
        #expect(consents["push"]?.granted == true)
        #expect(consents["postal"] == nil)
    }
}
