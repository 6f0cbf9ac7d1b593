import Testing
@testable import Unify

@Suite("Explaining why two things are one customer, or not")
struct ExplainTests {
    @Test func theChainGoesThroughTheEventsThatShareIdentifiers() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [
            line("e1", minute: 1, ["anonymous_id": "cookie-1", "email": "jane@example.com"]),
            line("e2", minute: 2, ["email": "jane@example.com", "user_id": "u1"]),
            line("e3", minute: 3, ["user_id": "u1", "loyalty_id": "LOY1"]),
        ])
        let explanation = try store.store.explain("cookie-1", "LOY1")
        #expect(explanation.sameCustomer)
        let chain = explanation.chain.map { link -> String in
            switch link {
            case .identifier(let identifier): identifier.description
            case .event(let event): event.id
            }
        }
        #expect(chain == ["anonymous_id:cookie-1", "e1", "email:jane@example.com", "e2", "user_id:u1", "e3", "loyalty_id:LOY1"])
        #expect(explanation.description.contains("in event e2 (2025-01-01T00:02:00.000Z, no channel, track Visit, lines:2)"))
    }

    @Test func twoUserIdsOnOneEmailAreExplainedByTheLimit() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [
            line("e1", minute: 1, ["user_id": "u1", "email": "shared@example.com"]),
            line("e2", minute: 2, ["user_id": "u2", "email": "shared@example.com"]),
        ])
        let explanation = try store.store.explain("u1", "u2")
        #expect(!explanation.sameCustomer)
        #expect(explanation.reasons.count == 1)
        #expect(explanation.reasons[0].contains("they share email:shared@example.com, but it belongs to"))
        #expect(explanation.reasons[0].contains("2 user_id (u1, u2), over the limit of 1"))
    }

    @Test func aSharedPlaceholderIsNamed() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [
            line("r1", minute: 1, ["loyalty_id": "LOY1", "email": "noemail@shop.fr"]),
            line("r2", minute: 2, ["loyalty_id": "LOY2", "email": "noemail@shop.fr"]),
        ])
        let explanation = try store.store.explain("LOY1", "LOY2")
        #expect(explanation.reasons == ["they share email:noemail@shop.fr, a placeholder value that never links"])
    }

    @Test func aPlaceholderAskedAboutSaysWhyItBelongsToNoCustomer() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [line("r1", minute: 1, ["loyalty_id": "LOY1", "email": "noemail@shop.fr"])])
        let explanation = try store.store.explain(" NoEmail@Shop.fr", "nobody")
        #expect(explanation.firstCustomer == nil && explanation.secondCustomer == nil)
        #expect(explanation.reasons == [
            " NoEmail@Shop.fr is email:noemail@shop.fr, which belongs to no customer: it is a placeholder value that never "
                + "links (junk values: docs/CONFIGURATION.md)",
            "nobody matches no customer",
        ])
        #expect(explanation.description == explanation.reasons.joined(separator: "\n"))
    }

    @Test func strangersShareNothing() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [line("e1", minute: 1, ["user_id": "u1"]), line("e2", minute: 2, ["user_id": "u2"])])
        let explanation = try store.store.explain("u1", "e2")
        #expect(explanation.reasons == ["no identifier links them: they share none, directly or through other events"])
        #expect(try store.store.explain("u1", "nobody").secondCustomer == nil)
    }
}

extension ExplainTests {
    @Test func aCustomerIdStandsForItsMostAuthoritativeIdentifier() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [line("e1", minute: 1, ["user_id": "u1", "email": "a@example.com"])])
        let customer = try #require(try store.store.customerID(for: "u1"))
        let explanation = try store.store.explain(customer, "a@example.com")
        #expect(explanation.sameCustomer)
        #expect(explanation.chain.count == 3)
        #expect(explanation.description.contains("user_id:u1"))
    }

    @Test func aCustomerWithoutIdentifiersIsExplainedByItsEvent() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [
            #"{"id":"r1","event":"Order Completed","timestamp":"2025-01-01T10:00:00Z","traits":{"lastName":"Martin"}}"#,
        ])
        let customer = try #require(try store.store.customerID(for: "r1"))
        let explanation = try store.store.explain(customer, "r1")
        #expect(explanation.sameCustomer)
    }
}
