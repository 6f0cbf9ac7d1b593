import Foundation
import GRDB
import Testing
@testable import Unify

/// A recomputed component's customers are folded again from their events, read back a few
/// thousand at a time and decoded on every core: each customer gets exactly its own events,
/// whatever the group boundaries, and the facts read back are those the lines give.
@Suite struct RecomputedProfilesTests {
    /// Facts by sequence number; counts how many events each read asks for.
    private final class FactsByNumber: ProfileStorage {
        var facts: [Int64: ProfileFacts] = [:]
        var reads: [Int] = []
        func profile(_ customer: CustomerID) throws -> ProfileState? { nil }
        func facts(ofEvents seqs: [Int64]) throws -> [ProfileFacts?] {
            reads.append(seqs.count)
            return seqs.map { facts[$0] }
        }
    }

    @Test func eachRecomputedCustomerIsFoldedFromItsOwnEventsAcrossReads() throws {
        let rules = ProfileStateAlgebraTests.rules
        let storage = FactsByNumber()
        var customers: [CustomerID: [Int64]] = [:]
        var next: Int64 = 1
        // 600 customers of 1 to 25 events each: more events than one read takes.
        for index in 0..<600 {
            var seqs: [Int64] = []
            for var fact in ProfileStateAlgebraTests.facts(seed: UInt64(index + 1)) {
                fact.seq = next
                storage.facts[next] = fact
                seqs.append(next)
                next += 1
            }
            customers[CustomerID(hash: UInt64(index) &* 0x9E37_79B9_7F4A_7C15)] = seqs
        }
        // And one customer with more events than a read takes (a hub's component).
        var large: [Int64] = []
        var seed: UInt64 = 1_000
        while large.count <= ProfileSet.eventsReadAtOnce + 500 {
            seed += 1
            for var fact in ProfileStateAlgebraTests.facts(seed: seed) {
                fact.seq = next
                storage.facts[next] = fact
                large.append(next)
                next += 1
            }
        }
        customers[CustomerID(hash: 7)] = large
        // A number the log does not hold is left out, not shifted onto the next customer.
        let gap = try #require(customers.values.first { $0.count > 2 })[1]
        storage.facts[gap] = nil

        var profiles = ProfileSet(rules: rules, storeMayHoldMore: false)
        try profiles.apply(Recomputation(removed: [], customers: customers), storage: storage)

        #expect(storage.reads.count > 2)
        #expect(storage.reads.allSatisfy { $0 <= ProfileSet.eventsReadAtOnce })
        #expect(storage.reads.reduce(0, +) == Int(next - 1))
        for (customer, seqs) in customers {
            var expected = ProfileState()
            for seq in seqs { if let fact = storage.facts[seq] { expected.add(fact, rules: rules) } }
            let state = try #require(profiles.state(of: customer))
            #expect(ProfileStateAlgebraTests.document(state) == ProfileStateAlgebraTests.document(expected))
            #expect(state.events == seqs.filter { storage.facts[$0] != nil }.count)
        }
    }

    @Test func loggedEventsReadBackAsTheFactsTheirLinesGive() throws {
        let temporary = try TemporaryStore()
        let lines = (1...300).map { index in
            // One long line late in the log, for a decoder with a lower limit to fail on.
            let name = index == 280 ? String(repeating: "N", count: 2_000) : "N\(index)"
            return line("r\(index)", minute: index, ["email": "p\(index % 40)@example.com"],
                        event: index % 7 == 0 ? "Order Completed" : "Visit", traits: #"{"firstName":"\#(name)"}"#)
        }
        _ = try temporary.store.ingest(lines: lines)
        let rules = ProjectionRules(policy: ProjectionPolicy())
        let limits = EventDecoder.Limits(maximumLineBytes: 1 << 20, maximumDepth: 64)
        try temporary.store.database.read { db in
            let storage = try SQLiteProfileStorage(db: db, rules: rules, limits: limits)
            let seqs: [Int64] = Array(1...150) + [999_999] + Array(151...300)
            let facts = try storage.facts(ofEvents: seqs)
            #expect(facts.count == seqs.count)
            #expect(facts[150] == nil)
            var decoder = EventDecoder(limits: limits)
            for (seq, read) in zip(seqs, facts) where seq != 999_999 {
                let (time, raw) = try #require(try Row.fetchOne(db, sql: "SELECT time, raw FROM events WHERE seq = ?",
                                                                arguments: [seq]).map { ($0[0] as Int64, $0[1] as String) })
                var raw8 = raw
                let event = try raw8.withUTF8 { bytes in
                    try decoder.decode(bytes, ingestTime: Timestamp(millisecondsSince1970: time))
                }
                var expected = rules.facts(of: event)
                expected.seq = seq
                #expect(read == expected, "event #\(seq)")
            }
            // A line that no longer decodes fails the read, from whichever part decodes it.
            let strict = try SQLiteProfileStorage(db: db, rules: rules,
                                                  limits: EventDecoder.Limits(maximumLineBytes: 1_000, maximumDepth: 64))
            #expect(throws: LineFault.self) { try strict.facts(ofEvents: seqs) }
            #expect(try strict.facts(ofEvents: Array(1...150)).count == 150)
        }
    }
}
