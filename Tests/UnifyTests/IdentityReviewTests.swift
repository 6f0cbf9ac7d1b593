import Foundation
import Testing
@testable import Unify

/// Cases a review of identity resolution found, each once wrong.
@Suite("Identity resolution: cases found in review")
struct IdentityReviewTests {
    static func alias(_ id: String, minute: Int, previous: String, user: String, email: String? = nil) -> String {
        let time = Timestamp(millisecondsSince1970: 1_735_689_600_000 + Int64(minute) * 60_000).iso8601
        let traits = email.map { #","context":{"traits":{"email":"\#($0)"}}"# } ?? ""
        return #"{"type":"alias","messageId":"\#(id)","previousId":"\#(previous)","userId":"\#(user)","timestamp":"\#(time)"\#(traits)}"#
    }

    @Test func anInstallAliasedToTwoAccountsOnAFamilyTabletKeepsThemApart() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [
            Self.alias("a1", minute: 1, previous: "install-1", user: "mum"),
            Self.alias("a2", minute: 2, previous: "install-1", user: "dad"),
        ])
        #expect(try store.store.customerID(for: "mum") != store.store.customerID(for: "dad"))
    }

    @Test func anAliasDoesNotCarryASharedEmailPastTheLimit() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [
            line("e1", minute: 1, ["user_id": "mum", "email": "family@example.com"]),
            line("e2", minute: 2, ["user_id": "dad", "email": "family@example.com"]),
            Self.alias("a3", minute: 3, previous: "dad-cookie", user: "dad", email: "family@example.com"),
        ])
        #expect(try store.store.customerID(for: "mum") != store.store.customerID(for: "dad"))
        #expect(try store.store.customerID(for: "dad-cookie") == store.store.customerID(for: "dad"))
    }

    @Test func aPersonsOwnAliasDoesNotMakeTheirPhoneAHub() throws {
        let store = try TemporaryStore.forIdentity()
        let time = Timestamp(millisecondsSince1970: 1_735_689_660_000).iso8601
        _ = try store.store.ingest(lines: [
            #"{"type":"alias","messageId":"a1","previousId":"anon-1","userId":"jane","timestamp":"\#(time)","context":{"device":{"id":"jane-iphone"}}}"#,
            line("e2", minute: 5, ["device_id": "jane-iphone"]),
        ])
        #expect(try store.rows("SELECT status FROM identifiers WHERE value = 'jane-iphone'") == [["linking"]])
        #expect(try store.store.customerID(for: "jane-iphone") == store.store.customerID(for: "jane"))
    }

    @Test func aCookieSharedByAFamilysGuestCheckoutsBecomesAHub() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: ["mum", "dad", "kid", "gran"].enumerated().map {
            line("g\($0.offset)", minute: $0.offset, ["anonymous_id": "tablet-cookie", "email": "\($0.element)@example.com"])
        })
        #expect(Set(try store.customersByEvent().values).count == 4)
        #expect(try store.rows("SELECT status FROM identifiers WHERE value = 'tablet-cookie'") == [["hub"]])
    }

    @Test func theShopsOwnPhoneTypedForShoppersBecomesAHub() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: (0..<5).map {
            line("t\($0)", minute: $0, ["phone": "01 42 68 53 07", "email": "shopper\($0)@example.com"])
        })
        #expect(Set(try store.customersByEvent().values).count == 5)
    }

    @Test func oneAccentTypedTwoWaysIsOneIdentifierInAnyOrder() throws {
        let lines = [
            line("e1", minute: 1, ["email": "jos\u{E9}@example.com", "user_id": "u1"]),
            line("e2", minute: 2, ["email": "jose\u{301}@example.com", "phone": "0611111111"]),
            line("e3", minute: 3, ["phone": "0611111111", "user_id": "u2"]),
        ]
        let whole = try TemporaryStore.forIdentity()
        _ = try whole.store.ingest(lines: lines)
        let single = try TemporaryStore.forIdentity()
        for line in lines.reversed() { _ = try single.store.ingest(lines: [line]) }
        #expect(try whole.customersByEvent() == single.customersByEvent())
        #expect(try whole.rows("SELECT count(*) FROM identifiers WHERE kind = 'email'") == [["1"]])
    }

    @Test func valuesThatLookLikeOurIdsOrKindsAreStillLookedUp() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [
            line("e1", minute: 1, ["user_id": "cus_NffrFeUfNV2Hib"]),
            line("e2", minute: 2, ["user_id": "amp:1234"]),
        ])
        #expect(try store.store.customerID(for: "cus_NffrFeUfNV2Hib") == store.customersByEvent()["e1"])
        #expect(try store.store.customerID(for: "amp:1234") == store.customersByEvent()["e2"])
    }
}

extension IdentityReviewTests {
    /// Joining components links one root under the other and relabels no identifier, so
    /// joining stays cheap whatever the arrival order.
    @Test func joiningComponentsLinksOneUnderTheOtherAndRelabelsNothing() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [line("s1", minute: 100, ["email": "small@example.com"])])
        _ = try store.store.ingest(lines: (1...10).map {
            line("b\($0)", minute: 100 + $0, ["user_id": "u1", "anonymous_id": "cookie-\($0)"])
        })
        _ = try store.store.ingest(lines: [line("j", minute: 200, ["user_id": "u1", "email": "small@example.com"])])
        #expect(try store.rows("SELECT label, parent FROM component_links") == [["2", "1"]])
        #expect(try store.rows("SELECT component, count(*) FROM identifiers GROUP BY component") == [["1", "1"], ["2", "11"]])
        #expect(Set(try store.customersByEvent().values).count == 1)
    }
}

/// The graph a run holds in memory is written back once per transaction; these are the
/// sequences within one transaction that the store must follow exactly.
@Suite("Writing the identity graph back")
struct IdentityWriteBackTests {
    /// A stored customer takes a better id, and then a better one again, before the
    /// transaction ends: its stored identifiers, touched or not, must reach the last one.
    @Test func aCustomerRenamedTwiceInOneTransactionTakesAllItsStoredIdentifiers() throws {
        let store = try TemporaryStore.forIdentity()
        _ = try store.store.ingest(lines: [line("c1", minute: 1, ["anonymous_id": "cookie-1", "device_id": "phone-1"])])
        _ = try store.store.ingest(lines: [
            line("c2", minute: 2, ["anonymous_id": "cookie-1", "email": "jane@example.com"]),
            line("c3", minute: 3, ["email": "jane@example.com", "loyalty_id": "LOY1"]),
        ])
        let jane = try #require(try store.store.customerID(for: "LOY1"))
        #expect(try store.store.customerID(for: "cookie-1") == jane)
        #expect(try store.store.customerID(for: "phone-1") == jane)
        #expect(try store.rows("SELECT DISTINCT customer_id FROM identities WHERE status = 'linking'") == [[jane]])
        #expect(Set(try store.customersByEvent().values) == [jane])
        // The retired ids lead to her.
        for retired in try store.rows("SELECT retired_id FROM customer_redirects").map({ $0[0] }) {
            #expect(try store.store.customerID(for: retired) == jane)
        }
    }
}
