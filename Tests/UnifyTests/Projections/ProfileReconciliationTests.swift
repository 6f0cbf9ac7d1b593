import Testing
@testable import Unify

@Suite("Reconciling a profile's traits")
struct ProfileReconciliationTests {
    @Test func theLatestValueByEventTimeWinsWhateverOrderEventsArriveIn() throws {
        let lines = [
            event("e1", at: "2025-01-01T10:00:00Z", ["user_id": "u1"], traits: #"{"city":"Lyon"}"#),
            event("e2", at: "2025-03-01T10:00:00Z", ["user_id": "u1"], traits: #"{"city":"Paris"}"#),
            event("e3", at: "2025-02-01T10:00:00Z", ["user_id": "u1"], traits: #"{"city":"Lille"}"#),
        ]
        for order in [lines, lines.reversed(), [lines[1], lines[0], lines[2]]] {
            let store = try TemporaryStore.forProjections()
            for line in order { _ = try store.store.ingest(lines: [line]) }
            let trait = try #require(try store.profile("u1").traits.first { $0.name == "city" })
            #expect(trait.value == "Paris")
            #expect(trait.eventID == "e2")
            #expect(trait.time == Timestamp(iso8601: "2025-03-01T10:00:00Z"))
        }
    }

    @Test func aTraitUnderFirstWinsKeepsTheEarliestValue() throws {
        let store = try TemporaryStore.forProjections()
        _ = try store.store.ingest(lines: [
            event("e2", at: "2025-03-01T10:00:00Z", ["user_id": "u1"], traits: #"{"createdAt":"2025-03-01"}"#),
            event("e1", at: "2025-01-01T10:00:00Z", ["user_id": "u1"], traits: #"{"createdAt":"2024-12-31"}"#),
        ])
        #expect(try store.profile("u1").trait("createdAt") == "2024-12-31")
    }

    @Test func theCRMBeatsTheWebFormForTheAddressUnderSourcePriority() throws {
        var policy = ProjectionPolicy()
        policy.profiles.traits["address"] = .init(policy: .sourcePriority, sources: ["crm", "pos"])
        let store = try TemporaryStore.forProjections(policy)
        _ = try store.store.ingest(lines: [
            event("crm", at: "2025-01-01T10:00:00Z", ["user_id": "u1"], source: "crm", traits: #"{"address":{"city":"Lyon"}}"#),
            event("web", at: "2025-06-01T10:00:00Z", ["user_id": "u1"], source: "web", traits: #"{"address":{"city":"Nice"}}"#),
            event("pos", at: "2025-05-01T10:00:00Z", ["user_id": "u1"], source: "pos", traits: #"{"address":{"city":"Metz"}}"#),
        ])
        let address = try #require(try store.profile("u1").traits.first { $0.name == "address" })
        #expect(address.value == .object(["city": "Lyon"]))
        #expect(address.source == "crm")
        // Among equals, the latest: a later CRM record wins over the earlier one.
        _ = try store.store.ingest(lines: [
            event("crm2", at: "2025-07-01T10:00:00Z", ["user_id": "u1"], source: "CRM", traits: #"{"address":{"city":"Pau"}}"#),
        ])
        #expect(try store.profile("u1").trait("address") == .object(["city": "Pau"]))
    }

    @Test func theMostFrequentValueWinsAndTiesGoToTheLatest() throws {
        var policy = ProjectionPolicy()
        policy.profiles.traits["gender"] = .init(policy: .mostFrequent)
        let store = try TemporaryStore.forProjections(policy)
        _ = try store.store.ingest(lines: [
            event("e1", at: "2025-01-01T10:00:00Z", ["user_id": "u1"], traits: #"{"gender":"F"}"#),
            event("e2", at: "2025-02-01T10:00:00Z", ["user_id": "u1"], traits: #"{"gender":"M"}"#),
            event("e3", at: "2025-03-01T10:00:00Z", ["user_id": "u1"], traits: #"{"gender":"F"}"#),
            event("e4", at: "2025-04-01T10:00:00Z", ["user_id": "u1"], traits: #"{"gender":"M"}"#),
        ])
        #expect(try store.profile("u1").trait("gender") == "M")
        _ = try store.store.ingest(lines: [
            event("e5", at: "2024-01-01T10:00:00Z", ["user_id": "u1"], traits: #"{"gender":"F"}"#),
        ])
        #expect(try store.profile("u1").trait("gender") == "F")
    }

    @Test func eventsAtTheSameInstantAreBrokenTheSameWayInAnyOrder() throws {
        let lines = (1...6).map {
            event("tie-\($0)", at: "2025-01-01T10:00:00Z", ["user_id": "u1"], traits: #"{"tier":"t\#($0)"}"#)
        }
        var winners: Set<String> = []
        var random = SeededGenerator(seed: 11)
        for _ in 0..<5 {
            let store = try TemporaryStore.forProjections()
            _ = try store.store.ingest(lines: lines.shuffled(using: &random))
            winners.insert(try store.profile("u1").trait("tier")?.stringValue ?? "")
        }
        #expect(winners.count == 1)
    }

    @Test func nullAndEmptyTraitsLeaveTheValueAsItWas() throws {
        let store = try TemporaryStore.forProjections()
        _ = try store.store.ingest(lines: [
            event("e1", at: "2025-01-01T10:00:00Z", ["user_id": "u1"], traits: #"{"firstName":"Jane"}"#),
            event("e2", at: "2025-02-01T10:00:00Z", ["user_id": "u1"], traits: #"{"firstName":null}"#),
            event("e3", at: "2025-03-01T10:00:00Z", ["user_id": "u1"], traits: #"{"firstName":"  "}"#),
        ])
        #expect(try store.profile("u1").trait("firstName") == "Jane")
    }

    @Test func ordersAddUpExactlyPerCurrency() throws {
        let store = try TemporaryStore.forProjections()
        _ = try store.store.ingest(lines: [
            event("o1", at: "2025-01-01T10:00:00Z", ["user_id": "u1"], event: "Order Completed", properties: #"{"total":0.1}"#),
            event("o2", at: "2025-01-02T10:00:00Z", ["user_id": "u1"], event: "Order Completed", properties: #"{"total":0.2}"#),
            event("o3", at: "2025-01-03T10:00:00Z", ["user_id": "u1"], event: "Mail Order Placed",
                  properties: #"{"revenue":"10.005","currency":"chf"}"#),
            event("v", at: "2025-01-04T10:00:00Z", ["user_id": "u1"], event: "Product Viewed", properties: #"{"total":99}"#),
        ])
        let orders = try store.profile("u1").orders
        #expect(orders.count == 3)
        #expect(orders.revenue == ["EUR": "0.30", "CHF": "10.01"])
        // Per currency: two orders in euros, one in francs.
        #expect(orders.averageBasket == ["EUR": "0.15", "CHF": "10.01"])
        #expect(orders.first == Timestamp(iso8601: "2025-01-01T10:00:00Z"))
        #expect(orders.last == Timestamp(iso8601: "2025-01-03T10:00:00Z"))
    }

    @Test func anAmountThatCannotBeAddedCountsTheOrderWithoutRevenueAndIsReported() throws {
        let store = try TemporaryStore.forProjections()
        func order(_ id: String, _ total: String) -> String {
            event(id, at: "2025-01-0\(id.suffix(1))T10:00:00Z", ["user_id": "u1"], event: "Order Completed",
                  properties: #"{"total":\#(total)}"#)
        }
        // Two of these would wrap a sum in ten-thousandths around to a negative revenue.
        let report = try store.store.ingest(lines: [
            order("o1", "600000000000000"), order("o2", "600000000000000"), order("o3", #""12,50""#),
            order("o4", "1e999999"), order("o5", "1000000000000"), order("o6", "null"), order("o7", "-2.5"),
        ])
        #expect(report.unreadableOrderAmounts == 4)
        let orders = try store.profile("u1").orders
        #expect(orders.count == 7)
        #expect(orders.revenue == ["EUR": "999999999997.50"])
    }

    @Test func aThousandOrdersOfATrillionAddUpExactly() throws {
        let store = try TemporaryStore.forProjections()
        func orders(_ range: Range<Int>) -> [String] {
            range.map { index in
                event("big-\(index)", at: "2025-01-01T10:00:00Z", ["user_id": "u1"], event: "Order Completed",
                      properties: #"{"total":1000000000000}"#)
            }
        }
        // In two ingests, so that the second adds to the sum read back from the stored profile,
        // which is past 64 bits of ten-thousandths (9.2 × 10^18) by then: 950 × 10^16.
        _ = try store.store.ingest(lines: orders(0..<950))
        _ = try store.store.ingest(lines: orders(950..<1_000))
        let orders = try store.profile("u1").orders
        #expect(orders.count == 1_000)
        #expect(orders.revenue == ["EUR": "1000000000000000.00"])
        #expect(orders.averageBasket == ["EUR": "1000000000000.00"])
    }

    @Test func amountsAreReadExactly() {
        #expect(Amount.parse("59.9") == 599_000)
        #expect(Amount.parse("-1e2") == -1_000_000)
        #expect(Amount.parse("0.00005") == 0)  // half to even
        #expect(Amount.parse("0.00015") == 2)
        #expect(Amount.parse("5e-10") == 0)
        #expect(Amount.parse("12,50") == nil)
        #expect(Amount.parse("") == nil)
        #expect(Amount(tenThousandths: 1_234_567).formatted(decimals: 2) == "123.46")
        #expect(Amount(tenThousandths: -5).formatted(decimals: 2) == "0.00")
        #expect(Amount(tenThousandths: -12_345).formatted(decimals: 2) == "-1.23")
    }

    /// When identity merges two customers, their profiles merge without their events being
    /// read again: the latest trait of either wins, whichever absorbs the other.
    @Test(arguments: ["cookie-a", "cookie-z"])
    func mergingCustomersKeepsTheLatestTraitOfEither(cookie: String) throws {
        let store = try TemporaryStore.forProjections()
        _ = try store.store.ingest(lines: [
            event("c1", at: "2025-01-01T10:00:00Z", ["anonymous_id": cookie], traits: #"{"city":"Lyon","tier":"gold"}"#),
            event("e1", at: "2025-01-02T10:00:00Z", ["email": "jane@example.com"], traits: #"{"city":"Paris"}"#),
            event("c2", at: "2025-01-03T10:00:00Z", ["anonymous_id": cookie], traits: #"{"tier":"silver"}"#),
        ])
        _ = try store.store.ingest(lines: [
            event("j", at: "2025-01-04T10:00:00Z", ["anonymous_id": cookie, "email": "jane@example.com"]),
        ])
        let profile = try store.profile("jane@example.com")
        #expect(profile.trait("city") == "Paris")
        #expect(profile.trait("tier") == "silver")
        #expect(profile.events == 4)
    }

    @Test func mergingTwoCustomersMergesTheirProfiles() throws {
        let store = try TemporaryStore.forProjections()
        _ = try store.store.ingest(lines: [
            event("a1", at: "2025-01-01T10:00:00Z", ["anonymous_id": "cookie"], event: "Product Viewed", channel: "web"),
            event("s1", at: "2025-01-05T10:00:00Z", ["email": "jane@example.com"], event: "Order Completed",
                  channel: "store", traits: #"{"firstName":"Jane"}"#, properties: #"{"total":30}"#),
        ])
        #expect(try store.store.customerID(for: "cookie") != store.store.customerID(for: "jane@example.com"))
        _ = try store.store.ingest(lines: [
            event("l1", at: "2025-01-06T10:00:00Z", ["anonymous_id": "cookie", "email": "jane@example.com"],
                  event: "Signed In", channel: "web"),
        ])
        let profile = try store.profile("cookie")
        #expect(profile.events == 3)
        #expect(profile.trait("firstName") == "Jane")
        #expect(profile.orders.count == 1)
        #expect(profile.channels.map(\.channel.rawValue) == ["store", "web"])
        #expect(profile.onlineEvents == 2 && profile.offlineEvents == 1)
        #expect(profile.firstSeen == Timestamp(iso8601: "2025-01-01T10:00:00Z"))
    }
}
