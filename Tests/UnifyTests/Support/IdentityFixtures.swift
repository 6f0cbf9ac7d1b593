import Foundation
@testable import Unify

/// A fixed secret, so that customer ids are the same from one store to the next.
let testSecret = "000102030405060708090a0b0c0d0e0f"

extension TemporaryStore {
    /// A store with a pinned customer-id secret and the default identity policy.
    static func forIdentity(policy: IdentityPolicy = IdentityPolicy()) throws -> TemporaryStore {
        try TemporaryStore {
            $0.customerIDSecret = testSecret
            $0.identityPolicy = policy
        }
    }

    /// The customer id each logged event resolved to, by event id.
    func customersByEvent() throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try rows("SELECT event_id, customer_id FROM event_customers").map { ($0[0], $0[1]) })
    }
}

/// One native-form line: an event with the given identifiers at a time in minutes.
func line(_ id: String, minute: Int, _ identifiers: [String: String], event: String = "Visit", traits: String = "{}")
    -> String
{
    let time = Timestamp(millisecondsSince1970: 1_735_689_600_000 + Int64(minute) * 60_000).iso8601
    let ids = identifiers.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",")
    return #"{"id":"\#(id)","event":"\#(event)","timestamp":"\#(time)","identifiers":{\#(ids)},"traits":\#(traits)}"#
}

/// A small deterministic random generator, so generated data sets replay.
typealias SeededGenerator = SplitMix64
