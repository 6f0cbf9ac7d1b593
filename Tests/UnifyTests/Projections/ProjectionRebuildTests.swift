import Foundation
import Testing
@testable import Unify

/// Projections are a function of the events: the fixtures ingested whole, shuffled into
/// batches and small transactions, or rebuilt from the log, give the same customers rows.
@Suite("Projections rebuilt and reordered")
struct ProjectionRebuildTests {
    static let fixtures: [String] = {
        let folder = repositoryRoot.appendingPathComponent("Fixtures/retail")
        return ["web", "app", "email", "sms", "pos", "callcenter", "postal"].flatMap { name in
            (try? String(contentsOf: folder.appendingPathComponent("\(name).ndjson"), encoding: .utf8))?
                .split(separator: "\n").map(String.init) ?? []
        }
    }()

    @Test func aRebuildGivesTheSameRowsAsIncrementalIngestion() throws {
        let store = try TemporaryStore.forProjections(linesPerTransaction: 500)
        var random = SeededGenerator(seed: 5)
        var lines = Self.fixtures.shuffled(using: &random)
        while !lines.isEmpty {
            let batch = Array(lines.prefix(Int.random(in: 1...900, using: &random)))
            lines.removeFirst(batch.count)
            _ = try store.store.ingest(lines: batch)
        }
        let tables = "SELECT * FROM customers ORDER BY customer"
        let identities = "SELECT * FROM identities ORDER BY identifier"
        let events = "SELECT * FROM event_customers ORDER BY seq"
        let (customers, identifiers, placed) = (try store.rows(tables), try store.rows(identities), try store.rows(events))
        #expect(customers.count > 300)
        try store.store.rebuild()
        #expect(try store.rows(tables) == customers)
        #expect(try store.rows(identities) == identifiers)
        #expect(try store.rows(events) == placed)
    }

    @Test(arguments: [1, 2, 3])
    func anyOrderAndBatchingGivesTheSameProfiles(seed: UInt64) throws {
        let whole = try TemporaryStore.forProjections()
        _ = try whole.store.ingest(lines: Self.fixtures)
        let expected = try whole.customerRowsByContent()

        var random = SeededGenerator(seed: seed)
        let store = try TemporaryStore.forProjections(linesPerTransaction: Int.random(in: 50...700, using: &random))
        var lines = Self.fixtures.shuffled(using: &random)
        while !lines.isEmpty {
            let batch = Array(lines.prefix(Int.random(in: 1...1500, using: &random)))
            lines.removeFirst(batch.count)
            _ = try store.store.ingest(lines: batch)
        }
        let got = try store.customerRowsByContent()
        #expect(got.count == expected.count)
        for (customer, row) in expected where got[customer] != row {
            Issue.record("seed \(seed): \(customer) differs\n  whole:    \(row)\n  batched:  \(got[customer] ?? "missing")")
            break
        }
    }
}
