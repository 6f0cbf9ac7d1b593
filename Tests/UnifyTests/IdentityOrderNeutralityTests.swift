import Foundation
import Testing
@testable import Unify

/// The same set of events gives the same customers, with the same ids, whatever order and
/// batches it arrives in, and a rebuild from the log gives them again.
@Suite("Identity resolution is order-neutral")
struct IdentityOrderNeutralityTests {
    /// People with accounts, cookies, emails, phones, loyalty cards and devices; families
    /// sharing a tablet; a till email and a placeholder phone; a conflicting user id; alias
    /// calls joining two accounts; receipts with no identifier; ties in time.
    static func dataSet(seed: UInt64) -> [String] {
        var random = SeededGenerator(seed: seed)
        var lines: [String] = []
        var counter = 0
        func emit(_ identifiers: [String: String], minute: Int) {
            counter += 1
            lines.append(line("ev\(seed)-\(counter)", minute: minute, identifiers))
        }
        let people = Int.random(in: 4...9, using: &random)
        for person in 0..<people {
            let family = person / 2
            var pool: [(String, String)] = [
                ("user_id", "u\(person)"), ("email", "p\(person)@example.com"), ("phone", "06 00 00 1\(person) 2\(person)"),
                ("anonymous_id", "cookie-\(person)-a"), ("anonymous_id", "cookie-\(person)-b"),
                ("loyalty_id", "LOY\(person)"), ("device_id", "tablet-\(family)"),
            ]
            if Bool.random(using: &random) { pool.append(("email", "p\(person).new@example.com")) }
            if Int.random(in: 0..<4, using: &random) == 0 { pool.append(("user_id", "u\(person)-second")) }
            for _ in 0..<Int.random(in: 3...9, using: &random) {
                var identifiers: [String: String] = [:]
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    let (kind, value) = pool.randomElement(using: &random)!
                    identifiers[kind] = value
                }
                switch Int.random(in: 0..<12, using: &random) {
                case 0: identifiers["email"] = "noemail@shop.fr"
                case 1: identifiers["phone"] = "0000000000"
                case 2: identifiers["email"] = "caisse@shop.fr"
                case 3: identifiers["user_id"] = "u\((person + 1) % people)"
                default: break
                }
                emit(identifiers, minute: Int.random(in: 0..<40, using: &random))
            }
            if pool.contains(where: { $0.1 == "u\(person)-second" }) {
                counter += 1
                let minute = Int.random(in: 0..<40, using: &random)
                let time = Timestamp(millisecondsSince1970: 1_735_689_600_000 + Int64(minute) * 60_000).iso8601
                lines.append(#"{"type":"alias","messageId":"ev\#(seed)-\#(counter)","previousId":"u\#(person)-second","userId":"u\#(person)","timestamp":"\#(time)"}"#)
            }
        }
        for receipt in 0..<Int.random(in: 0...3, using: &random) {
            counter += 1
            lines.append(#"{"id":"ev\#(seed)-\#(counter)","event":"Order Completed","timestamp":"2025-01-01T00:0\#(receipt):00Z","traits":{"lastName":"Martin"}}"#)
        }
        return lines
    }

    /// Ingests each batch as a run of its own, in transactions of `linesPerTransaction`
    /// lines: the graph a run holds in memory is written back and read through several times
    /// a run, over what earlier runs stored.
    static func resolve(_ batches: [[String]], linesPerTransaction: Int = 65_536, workingSetLimit: Int = 150_000) throws
        -> (TemporaryStore, [String: String])
    {
        let store = try TemporaryStore {
            $0.customerIDSecret = testSecret
            $0.identityPolicy = IdentityPolicy()
            $0.batchLines = min(linesPerTransaction, 2048)
            $0.transactionLines = linesPerTransaction
            $0.workingSetCustomers = workingSetLimit
            $0.workingSetIdentifiers = workingSetLimit
        }
        for batch in batches { _ = try store.store.ingest(lines: batch) }
        return (store, try store.customersByEvent())
    }

    @Test(arguments: 1...120)
    func anyOrderAndBatchingGivesTheSameCustomers(seed: UInt64) throws {
        let lines = Self.dataSet(seed: seed)
        let (_, whole) = try Self.resolve([lines])
        #expect(whole.count == lines.count)

        var random = SeededGenerator(seed: seed &* 7919)
        for _ in 0..<4 {
            let shuffled = lines.shuffled(using: &random)
            var batches: [[String]] = []
            var start = 0
            while start < shuffled.count {
                let size = Int.random(in: 1...max(1, shuffled.count / 2), using: &random)
                batches.append(Array(shuffled[start..<min(shuffled.count, start + size)]))
                start += size
            }
            // Transactions of a few lines, or of each whole batch.
            let linesPerTransaction = Bool.random(using: &random) ? Int.random(in: 1...8, using: &random) : 65_536
            // A working set of a few entries lets go of most of the graph between transactions.
            let workingSetLimit = Bool.random(using: &random) ? Int.random(in: 1...6, using: &random) : 150_000
            let (store, batched) = try Self.resolve(batches, linesPerTransaction: linesPerTransaction,
                                                    workingSetLimit: workingSetLimit)
            #expect(batched == whole, """
                seed \(seed): order and batches (\(linesPerTransaction) lines a transaction, \
                working set \(workingSetLimit)) changed the customers
                """)

            try store.store.rebuild()
            #expect(try store.customersByEvent() == whole, "seed \(seed): a rebuild changed the customers")
            for retired in try store.rows("SELECT retired_id FROM customer_redirects").map({ $0[0] }) {
                #expect(Set(whole.values).contains(try #require(try store.store.customerID(for: retired))))
            }
        }
    }
}
