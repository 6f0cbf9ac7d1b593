import Foundation
import Testing
@testable import Unify

/// The configuration file beside a store: what it says is what unify does, and what it
/// cannot understand is an error that says where, never a rule silently widened.
@Suite("The configuration file")
struct ConfigurationFileTests {
    /// Opens a store beside a configuration file holding `json`.
    func open(_ json: String) throws -> (folder: URL, result: Result<Store, UnifyError>) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unify-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(json.utf8).write(to: folder.appendingPathComponent("unify.config.json"))
        let path = folder.appendingPathComponent("unify.db").path
        return (folder, Result { () throws(UnifyError) in try Store(path: path) })
    }

    func failure(_ json: String) throws -> String {
        let (folder, result) = try open(json)
        defer { try? FileManager.default.removeItem(at: folder) }
        guard case .failure(let error) = result else {
            Issue.record("the configuration \(json) was accepted")
            return ""
        }
        return error.message
    }

    @Test func aMisspeltRuleKeyIsAnErrorThatSaysWhere() throws {
        // `events` for `event` would otherwise make a rule with no condition: every event.
        let message = try failure(#"{"journey":{"stages":[{"name":"buyer","when":[{"events":"Order Completed"}]}]}}"#)
        #expect(message.contains(#"at journey.stages[0].when[0].events: unknown key "events": expected one of "event""#), "\(message)")
        #expect(message.contains("unify.config.json"))
    }

    @Test(arguments: [
        (#"{"identity":{"hub_treshold":2}}"#, #"identity.hub_treshold: unknown key"#),
        (#"{"profile":{}}"#, #"unknown section "profile""#),
        (#"{"profiles":{"orders":{"amounts":["total"]}}}"#, #"profiles.orders.amounts: unknown key"#),
        (#"{"consents":{"events":[{"when":{"event":"Opt In"},"channel":"sms","grant":true}]}}"#, "consents.events[0].grant"),
        (#"{"profiles":{"traits":{"address":{"policy":"source_priority","source":["crm"]}}}}"#, "traits.address.source"),
        (#"{"profiles":{"#, "cannot read the configuration"),
        (#"[1]"#, "one JSON object"),
        (#"{"matching":{"maximum_block_size":2.5}}"#, "at matching.maximum_block_size: 2.5 is not a whole number"),
        (#"{"identity":{"limits":{"user_id":1.5}}}"#, "at identity.limits.user_id: 1.5 is not a whole number"),
        (#"{"identity":{"hub_threshold":"3"}}"#, "at identity.hub_threshold: expected a whole number"),
        (#"{"journey":{"dormant_after_days":1e400}}"#, "1e400"),
        // Days in milliseconds would overflow: refused, not a crash.
        (#"{"journey":{"dormant_after_days":200000000000}}"#, "at journey.dormant_after_days: 200000000000 is beyond"),
        (#"{"identity":{"limits":{"user_id":null}}}"#, "at identity.limits.user_id: expected a whole number, found null"),
    ])
    func everyPartRejectsWhatItDoesNotKnow(json: String, expected: String) throws {
        let message = try failure(json)
        #expect(message.contains(expected), "\(message)")
    }

    @Test func wholeNumbersAreReadAsWritten() throws {
        let (folder, result) = try open(#"{"identity":{"limits":{"user_id":2},"hub_threshold":5},"journey":{"dormant_after_days":90}}"#)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try result.get()
        #expect(store.identityPolicy.limits["user_id"] == 2 && store.identityPolicy.hubThreshold == 5)
        #expect(store.projectionPolicy.journey.dormantAfterDays == 90)
    }

    @Test func aSurveyNeedsOnlyItsEventsAndAValidFileIsRead() throws {
        let (folder, result) = try open(#"""
            {"identity": {"hub_threshold": 4},
             "profiles": {"nps": {"when": [{"event": "NPS"}]}, "traits": {"address": {"policy": "source_priority", "sources": ["crm"]}}},
             "journey": {"dormant_after_days": 30}}
            """#)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try result.get()
        #expect(store.projectionPolicy.profiles.nps.score == "score")
        #expect(store.projectionPolicy.profiles.nps.when == [.event("NPS")])
        #expect(store.projectionPolicy.journey.dormantAfterDays == 30)
        #expect(store.identityPolicy.hubThreshold == 4)
    }
}
