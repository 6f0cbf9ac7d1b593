import Foundation
import Testing
@testable import Unify

@Suite("Identity resolution: the guardrail scenarios")
struct IdentityScenarioTests {
    @Test func aCookieBeforeLoginJoinsTheAccount() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [
            line("e1", minute: 1, ["anonymous_id": "cookie-1"]),
            line("e2", minute: 2, ["anonymous_id": "cookie-1"]),
            line("e3", minute: 3, ["anonymous_id": "cookie-1", "user_id": "u1"]),
            line("e4", minute: 4, ["user_id": "u1", "email": "jane@example.com"]),
        ])
        let customers = try store.customersByEvent()
        #expect(Set(customers.values).count == 1)
        #expect(try store.store.customerID(for: "Jane@Example.com ") == customers["e1"])
        #expect(try store.store.customerID(for: "cookie-1") == customers["e1"])
    }

    @Test func aSharedFamilyTabletKeepsTwoAccountsApart() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [
            line("e1", minute: 1, ["user_id": "mum", "device_id": "tablet"]),
            line("e2", minute: 2, ["user_id": "dad", "device_id": "tablet"]),
            line("e3", minute: 3, ["user_id": "mum", "email": "mum@example.com"]),
            line("e4", minute: 4, ["user_id": "dad", "email": "dad@example.com"]),
        ])
        let customers = try store.customersByEvent()
        #expect(customers["e1"] == customers["e3"])
        #expect(customers["e2"] == customers["e4"])
        #expect(customers["e1"] != customers["e2"])
    }

    @Test func aTillDefaultEmailLinksNobody() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: (1...6).map {
            line("r\($0)", minute: $0, ["loyalty_id": "LOY\($0)", "email": "noemail@shop.fr"])
        } + [line("r7", minute: 7, ["email": "noemail@shop.fr"])])
        let customers = try store.customersByEvent()
        #expect(Set(customers.values).count == 7)
        #expect(try store.store.customerID(for: "noemail@shop.fr") == nil)
    }

    @Test func anEmailSeenWithManyLoyaltyCardsBecomesAHubAndStopsLinking() throws {
        let store = try TemporaryStore.forIdentity()
        // A shop's own address typed at the till: not on any junk list, found by its counts.
        let receipts = (1...5).map { line("r\($0)", minute: $0, ["loyalty_id": "LOY\($0)", "email": "caisse3@shop.fr"]) }
        let anonymous = line("r0", minute: 0, ["email": "caisse3@shop.fr", "phone": "0611111111"])
        _ = try store.store.ingest(lines: receipts + [anonymous])
        let customers = try store.customersByEvent()
        #expect(Set(customers.values).count == 6)
        #expect(try store.rows("SELECT status FROM identifiers WHERE value = 'caisse3@shop.fr'") == [["hub"]])
    }

    @Test func aCallCentrePlaceholderPhoneLinksNobody() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [
            line("c1", minute: 1, ["crm_id": "CRM-1", "phone": "00 00 00 00 00"]),
            line("c2", minute: 2, ["crm_id": "CRM-2", "phone": "0000000000"]),
            line("c3", minute: 3, ["phone": "0000000000"]),
        ])
        #expect(Set(try store.customersByEvent().values).count == 3)
    }

    @Test func twoAccountsOfOnePersonLinkedByAliasBecomeOne() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [
            line("e1", minute: 1, ["user_id": "old-account", "email": "jane@example.com"]),
            line("e2", minute: 2, ["user_id": "new-account", "email": "jane.doe@example.com"]),
            #"{"type":"alias","messageId":"a1","previousId":"old-account","userId":"new-account","timestamp":"2025-01-01T00:03:00Z"}"#,
        ])
        let customers = try store.customersByEvent()
        #expect(Set(customers.values).count == 1)
        #expect(try store.store.identifiers(ofCustomer: customers["e1"]!).filter { $0.kind == .userID }.count == 2)
    }

    @Test func aPersonWhoChangesEmailStaysOneCustomer() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [
            line("e1", minute: 1, ["user_id": "u1", "email": "jane@old.fr"]),
            line("e2", minute: 2, ["user_id": "u1", "email": "jane@new.fr"]),
            line("e3", minute: 3, ["email": "jane@new.fr"]),
            line("e4", minute: 4, ["email": "jane@old.fr"]),
        ])
        #expect(Set(try store.customersByEvent().values).count == 1)
    }

    @Test func conflictingUserIdsOnOneEmailAreKeptApart() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [
            line("e1", minute: 1, ["user_id": "u1", "email": "shared@example.com"]),
            line("e2", minute: 2, ["user_id": "u2", "email": "shared@example.com"]),
        ])
        let customers = try store.customersByEvent()
        #expect(customers["e1"] != customers["e2"])
        // The email stays with the customer that had it first in time.
        #expect(try store.store.customerID(for: "shared@example.com") == customers["e1"])
    }

    @Test(arguments: [false, true])
    func anEventWithTwoLoyaltyCardsFoundsACustomerHoldingOnlyTheFirst(reversed: Bool) throws {
        let store = try TemporaryStore.forIdentity()
        let lines = [
            #"{"type":"identify","messageId":"e1","timestamp":"2025-01-01T00:01:00Z","userId":"u1","context":{"externalIds":[{"id":"LOY-2","type":"loyalty_id"},{"id":"LOY-1","type":"loyalty_id"}]}}"#,
            line("e2", minute: 2, ["loyalty_id": "LOY-2"]),
        ]
        // In order, the first event founds its customer; reversed, it lands in the past of
        // the second one's and the component is recomputed: the same customers either way.
        _ = try store.store.ingest(lines: reversed ? lines.reversed() : lines)
        let customers = try store.customersByEvent()
        #expect(customers["e1"] != customers["e2"])
        let cards = try store.store.identifiers(ofCustomer: customers["e1"]!).filter { $0.kind.rawValue == "loyalty_id" }
        #expect(cards.map(\.value) == ["LOY-1"])
        #expect(try store.store.customerID(for: "LOY-2") == customers["e2"])
    }

    @Test func phonesInNationalAndInternationalFormAreOne() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [
            line("e1", minute: 1, ["phone": "06 12 34 56 78"]),
            line("e2", minute: 2, ["phone": "+33 6 12 34 56 78"]),
            line("e3", minute: 3, ["phone": "0033612345678"]),
        ])
        #expect(Set(try store.customersByEvent().values).count == 1)
        #expect(try store.rows("SELECT value FROM identifiers WHERE kind = 'phone'") == [["+33612345678"]])
    }

    @Test func aMergeKeepsOneIdAndTheRetiredIdRedirects() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [line("e1", minute: 1, ["email": "jane@example.com"])])
        let before = try #require(try store.store.customerID(for: "jane@example.com"))
        _ = try store.store.ingest(lines: [line("e2", minute: 2, ["email": "jane@example.com", "user_id": "u1"])])
        let after = try #require(try store.store.customerID(for: "u1"))
        #expect(before != after)
        #expect(try store.store.customerID(for: before) == after)
        #expect(try store.rows("SELECT retired_id, survivor_id FROM customer_redirects") == [[before, after]])
    }

    @Test func aRecordWithoutIdentifiersIsACustomerOfItsOwn() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [
            #"{"id":"r1","event":"Order Completed","channel":"store","timestamp":"2025-01-01T10:00:00Z","traits":{"lastName":"Martin","postalCode":"69003"}}"#,
            #"{"id":"r2","event":"Order Completed","channel":"store","timestamp":"2025-01-01T11:00:00Z","traits":{"lastName":"Martin","postalCode":"69003"}}"#,
        ])
        let customers = try store.customersByEvent()
        #expect(customers["r1"] != customers["r2"])
        #expect(try store.store.customerID(for: "r1") == customers["r1"])
    }
}

@Suite("Resolving later")
struct DeferredResolutionTests {
    @Test func eventsLoggedWithoutResolvingResolveLaterToTheSameCustomers() throws {
        let lines = IdentityOrderNeutralityTests.dataSet(seed: 99)
        let (_, direct) = try IdentityOrderNeutralityTests.resolve([lines])

        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: Array(lines.prefix(20)), options: .init(resolveIdentities: false))
        #expect(try store.store.pendingResolution() == 20)
        #expect(try store.count("event_identity") == 0)
        // A normal ingest resolves what was left first, then its own events.
        _ = try store.store.ingest(lines: Array(lines.dropFirst(20).prefix(10)))
        #expect(try store.store.pendingResolution() == 0)
        _ = try store.store.ingest(lines: Array(lines.dropFirst(30)), options: .init(resolveIdentities: false))
        #expect(try store.store.resolvePending() == lines.count - 30)
        #expect(try store.customersByEvent() == direct)
    }
}
