import Testing
@testable import Unify

@Suite("The journey stage")
struct JourneyTests {
    /// One event of each default rule, and the stage it reaches.
    @Test(arguments: [
        ("page", "Home", "{}", "awareness"),
        ("track", "Ad Clicked", "{}", "awareness"),
        ("track", "Newsletter Subscribed", "{}", "consideration"),
        ("track", "Brochure Downloaded", "{}", "consideration"),
        ("track", "Email Link Clicked", "{}", "consideration"),
        ("track", "Product Added", "{}", "decision"),
        ("track", "Checkout Started", "{}", "decision"),
        ("track", "Quote Requested", "{}", "decision"),
        ("track", "Order Completed", #"{"total":10}"#, "customer"),
        ("track", "Referral Sent", "{}", "advocate"),
        ("track", "Product Reviewed", #"{"rating":5}"#, "advocate"),
        ("track", "NPS Survey Completed", #"{"score":9}"#, "advocate"),
    ])
    func eachDefaultRuleReachesItsStage(kind: String, name: String, properties: String, stage: String) throws {
        let store = try TemporaryStore.forProjections()
        let line = kind == "page"
            ? #"{"type":"page","messageId":"m1","userId":"u1","name":"\#(name)","timestamp":"2025-01-01T10:00:00Z"}"#
            : #"{"type":"track","messageId":"m1","userId":"u1","event":"\#(name)","properties":\#(properties),"timestamp":"2025-01-01T10:00:00Z"}"#
        _ = try store.store.ingest(lines: [line])
        let profile = try store.profile("u1", asOf: "2025-01-02T00:00:00Z")
        #expect(profile.stage == stage)
        #expect(profile.journey.first?.event?.eventID == "m1")
    }

    @Test func aLukewarmReviewOrScoreIsNoAdvocacy() throws {
        let store = try TemporaryStore.forProjections()
        _ = try store.store.ingest(lines: [
            event("r", at: "2025-01-01T10:00:00Z", ["user_id": "u1"], event: "Product Reviewed", properties: #"{"rating":3}"#),
            event("n", at: "2025-01-02T10:00:00Z", ["user_id": "u1"], event: "NPS Survey Completed", properties: #"{"score":8}"#),
        ])
        let profile = try store.profile("u1", asOf: "2025-01-03T00:00:00Z")
        #expect(profile.stage == nil)
        #expect(profile.nps?.latest == 8)
    }

    @Test func aSecondOrderMakesALoyalCustomerAndSkippedStagesAreNotEntered() throws {
        let store = try TemporaryStore.forProjections()
        _ = try store.store.ingest(lines: [
            event("o2", at: "2025-02-01T10:00:00Z", ["user_id": "u1"], event: "Order Completed"),
            event("v", at: "2025-01-01T10:00:00Z", ["user_id": "u1"], event: "Product Viewed"),
            event("o1", at: "2025-01-10T10:00:00Z", ["user_id": "u1"], event: "Order Completed"),
            event("late", at: "2025-03-01T10:00:00Z", ["user_id": "u1"], event: "Product Added"),
        ])
        let profile = try store.profile("u1", asOf: "2025-03-02T00:00:00Z")
        #expect(profile.journey.filter { $0.enteredAt <= profile.asOf }.map(\.stage) == ["consideration", "customer", "loyal"])
        #expect(profile.stage == "loyal")
        #expect(profile.stageSince == Timestamp(iso8601: "2025-02-01T10:00:00Z"))
        #expect(try store.profile("u1", asOf: "2025-01-20T00:00:00Z").stage == "customer")
        #expect(try store.profile("u1", asOf: "2024-12-01T00:00:00Z").stage == nil)
    }

    @Test func aCustomerWithoutActivityForTheDormancyPeriodIsDormantAsOfADate() throws {
        let store = try TemporaryStore.forProjections()
        _ = try store.store.ingest(lines: [
            event("o1", at: "2025-01-01T10:00:00Z", ["user_id": "u1"], event: "Order Completed"),
            // Passive events are no activity.
            event("d1", at: "2025-05-01T10:00:00Z", ["user_id": "u1"], event: "Email Delivered"),
        ])
        #expect(try store.profile("u1", asOf: "2025-06-29T00:00:00Z").stage == "customer")
        let later = try store.profile("u1", asOf: "2025-07-01T00:00:00Z")
        #expect(later.stage == "dormant")
        #expect(later.stageSince == Timestamp(iso8601: "2025-06-30T10:00:00Z"))
        #expect(later.dormantSince == Timestamp(iso8601: "2025-06-30T10:00:00Z"))
        // Active again, customer again; the dormancy stays in the history.
        _ = try store.store.ingest(lines: [event("b", at: "2025-09-01T10:00:00Z", ["user_id": "u1"], event: "Product Viewed")])
        let back = try store.profile("u1", asOf: "2025-09-02T00:00:00Z")
        #expect(back.stage == "customer")
        #expect(back.journey.map(\.stage) == ["customer", "dormant", "customer"])
        #expect(back.dormantSince == nil)
        #expect(back.becomesDormant == Timestamp(iso8601: "2026-02-28T10:00:00Z"))
        #expect(try store.profile("u1", asOf: "2025-08-01T00:00:00Z").stage == "dormant")
    }

    @Test func asOfADateTheNextDormancyIsTheOneThatFollowsIt() throws {
        let store = try TemporaryStore.forProjections()
        _ = try store.store.ingest(lines: [
            event("o1", at: "2025-01-01T10:00:00Z", ["user_id": "u1"], event: "Order Completed"),
            event("b", at: "2025-09-01T10:00:00Z", ["user_id": "u1"], event: "Product Viewed"),
        ])
        // Dormant from 2025-06-30 to 2025-09-01, then again from 2026-02-28.
        #expect(try store.profile("u1", asOf: "2025-06-29T00:00:00Z").becomesDormant
                == Timestamp(iso8601: "2025-06-30T10:00:00Z"))
        let dormant = try store.profile("u1", asOf: "2025-07-01T00:00:00Z")
        #expect(dormant.dormantSince == Timestamp(iso8601: "2025-06-30T10:00:00Z"))
        #expect(dormant.becomesDormant == nil)
        #expect(try store.profile("u1", asOf: "2025-09-02T00:00:00Z").becomesDormant
                == Timestamp(iso8601: "2026-02-28T10:00:00Z"))
        #expect(try store.profile("u1", asOf: "2026-03-01T00:00:00Z").becomesDormant == nil)
    }

    @Test func aCancellationChurnsACustomerUntilTheyOrderAgain() throws {
        let store = try TemporaryStore.forProjections()
        _ = try store.store.ingest(lines: [
            event("o1", at: "2025-01-01T10:00:00Z", ["user_id": "u1"], event: "Order Completed"),
            event("c", at: "2025-02-01T10:00:00Z", ["user_id": "u1"], event: "Subscription Cancelled"),
            event("v", at: "2025-02-10T10:00:00Z", ["user_id": "u1"], event: "Product Viewed"),
        ])
        #expect(try store.profile("u1", asOf: "2025-02-15T00:00:00Z").stage == "churned")
        _ = try store.store.ingest(lines: [event("o2", at: "2025-03-01T10:00:00Z", ["user_id": "u1"], event: "Order Completed")])
        let back = try store.profile("u1", asOf: "2025-03-02T00:00:00Z")
        #expect(back.stage == "loyal")
        #expect(back.journey.prefix(3).map(\.stage) == ["customer", "churned", "loyal"])
    }

    @Test func stagesAndTheDormancyPeriodAreConfiguration() throws {
        let policy = try JSONDecoder().decode(ProjectionPolicy.self, from: Data("""
            {"journey": {"dormant_after_days": 10, "stages": [
                {"name": "lead", "when": [{"event": "Form Sent"}]},
                {"name": "member", "when": [{"event": "Joined", "channel": "store"}]},
                {"name": "vip", "when": [{"event": "Order Completed", "property": "total", "at_least": 500}]}
            ]}}
            """.utf8))
        let store = try TemporaryStore.forProjections(policy)
        _ = try store.store.ingest(lines: [
            event("f", at: "2025-01-01T10:00:00Z", ["user_id": "u1"], event: "form sent"),
            event("j", at: "2025-01-02T10:00:00Z", ["user_id": "u1"], event: "Joined", channel: "web"),
            event("o", at: "2025-01-03T10:00:00Z", ["user_id": "u1"], event: "Order Completed", properties: #"{"total":"750.00"}"#),
        ])
        let active = try store.profile("u1", asOf: "2025-01-04T00:00:00Z")
        #expect(active.journey.map(\.stage) == ["lead", "vip"])
        #expect(active.becomesDormant == Timestamp(iso8601: "2025-01-13T10:00:00Z"))
        let dormant = try store.profile("u1", asOf: "2025-01-14T00:00:00Z")
        #expect(dormant.stage == "dormant" && dormant.journey.map(\.stage) == ["lead", "vip", "dormant"])
    }
}

import Foundation

@Suite("Dormancy without a stage")
struct DormancyWithoutAStageTests {
    @Test func aCustomerWhoReachedNoStageIsNeverDormant() throws {
        let store = try TemporaryStore.forProjections()
        _ = try store.store.ingest(lines: [
            event("c1", at: "2024-11-26T08:00:00Z", ["crm_id": "C1"], event: "Support Call"),
            event("c2", at: "2026-03-27T15:00:00Z", ["crm_id": "C1"], event: "Support Call"),
        ])
        let profile = try store.profile("C1", asOf: "2026-10-30T00:00:00Z")
        #expect(profile.stage == nil && profile.journey.isEmpty && profile.becomesDormant == nil)
        // The same in the table analysts read.
        #expect(try store.rows("SELECT coalesce(stage, 'none'), coalesce(dormant_since, 'none') FROM customers") == [["none", "none"]])
    }
}
