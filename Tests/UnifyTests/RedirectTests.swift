import Testing
@testable import Unify

/// A retired customer id keeps naming whoever holds what it was made from.
@Suite("Retired customer ids")
struct RedirectTests {
    @Test func aRetiredIdFollowsItsAnchorThroughALaterSplit() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [line("e2", minute: 2, ["email": "m@example.com"])])
        let retired = try #require(try store.store.customerID(for: "m@example.com"))
        _ = try store.store.ingest(lines: [line("e3", minute: 3, ["user_id": "u1", "email": "m@example.com"])])
        #expect(try store.store.customerID(for: retired) == store.store.customerID(for: "u1"))
        // As people copy ids, in capitals too; the answer is the id as unify writes it.
        let current = try #require(try store.store.customerID(for: "u1"))
        #expect(try store.store.customerID(for: " \(retired.uppercased())") == current)
        #expect(try store.store.customerID(for: current.uppercased()) == current)
        #expect(try store.store.explain(current.uppercased(), "m@example.com").sameCustomer)
        // A late event gives the email to another account: the retired id follows the email.
        _ = try store.store.ingest(lines: [line("e1", minute: 1, ["user_id": "u0", "email": "m@example.com"])])
        #expect(try store.store.customerID(for: retired) == store.store.customerID(for: "m@example.com"))
        #expect(try store.store.customerID(for: retired) == store.customersByEvent()["e2"])
    }

    @Test func idsARebuildRetiresRedirect() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [
            line("e1", minute: 1, ["anonymous_id": "c1", "email": "caisse2@shop.fr"]),
            line("e2", minute: 2, ["anonymous_id": "c1", "phone": "06 12 34 56 70"]),
        ])
        let before = try #require(try store.store.customerID(for: "c1"))
        // The shop declares its till address junk, and rebuilds.
        var policy = IdentityPolicy()
        policy.junk["email", default: []].append("caisse2@shop.fr")
        let reopened = try Store(path: store.path, configuration: .init(identityPolicy: policy, customerIDSecret: testSecret))
        try reopened.rebuild()
        let after = try #require(try reopened.customerID(for: "c1"))
        #expect(after != before)
        #expect(try reopened.customerID(for: before) == after)
    }
}
