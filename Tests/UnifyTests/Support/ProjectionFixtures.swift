import Foundation
@testable import Unify

/// One native-form line with everything a projection reads, at a day and time given as an
/// ISO date-time.
func event(
    _ id: String, at time: String, _ identifiers: [String: String], event name: String = "Visit",
    channel: String? = nil, source: String? = nil, traits: String = "{}", properties: String = "{}"
) -> String {
    let ids = identifiers.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",")
    var fields = [#""id":"\#(id)""#, #""event":"\#(name)""#, #""timestamp":"\#(time)""#, #""identifiers":{\#(ids)}"#,
                  #""traits":\#(traits)"#, #""properties":\#(properties)"#]
    if let channel { fields.append(#""channel":"\#(channel)""#) }
    if let source { fields.append(#""source":"\#(source)""#) }
    return "{" + fields.joined(separator: ",") + "}"
}

extension TemporaryStore {
    /// A store with a pinned secret and the given projection policy.
    static func forProjections(_ policy: ProjectionPolicy = ProjectionPolicy(), linesPerTransaction: Int = 65_536)
        throws -> TemporaryStore
    {
        try TemporaryStore {
            $0.customerIDSecret = testSecret
            $0.identityPolicy = IdentityPolicy()
            $0.projectionPolicy = policy
            $0.batchLines = min(linesPerTransaction, 2048)
            $0.transactionLines = linesPerTransaction
        }
    }

    /// The profile `query` names; fails the test when there is none.
    func profile(_ query: String, asOf: String? = nil) throws -> Profile {
        guard let profile = try store.profile(of: query, asOf: asOf.flatMap(Timestamp.init(iso8601:))) else {
            throw ProfileMissing(query: query)
        }
        return profile
    }

    /// Every customer's row, keyed by customer id, with event references made event ids so
    /// that stores that logged the same events in other orders compare equal.
    func customerRowsByContent() throws -> [String: String] {
        let ids = Dictionary(uniqueKeysWithValues: try rows("SELECT seq, event_id FROM events").map { ($0[0], $0[1]) })
        var result: [String: String] = [:]
        for row in try rows("""
            SELECT printf('cus_%016x', customer), anchor, identifier_counts, accounts, last_time, last_event_id,
                   first_seen, last_seen, events, orders, revenue, stage, stage_since, dormant_since, profile
            FROM customers
            """) {
            // A reference to an event is [seq, time, tiebreak] or "event_seq": seq.
            var profile = row[14]
            let pattern = try NSRegularExpression(pattern: #"\[(\d+),(-?\d+),(-?\d+)\]|"event_seq":(\d+)"#)
            let matches = pattern.matches(in: profile, range: NSRange(profile.startIndex..., in: profile)).reversed()
            for match in matches {
                let group = match.range(at: 1).location != NSNotFound ? 1 : 4
                let seq = String(profile[Range(match.range(at: group), in: profile)!])
                let replacement = group == 1
                    ? "[\"\(ids[seq] ?? seq)\"," + String(profile[Range(match.range(at: 2), in: profile)!]) + ","
                        + String(profile[Range(match.range(at: 3), in: profile)!]) + "]"
                    : "\"event\":\"\(ids[seq] ?? seq)\""
                profile.replaceSubrange(Range(match.range, in: profile)!, with: replacement)
            }
            result[row[0]] = (row.dropLast() + [profile]).joined(separator: " | ")
        }
        return result
    }
}

struct ProfileMissing: Error, CustomStringConvertible {
    var query: String
    var description: String { "no profile for \(query)" }
}
