import Foundation
import Testing
@testable import Unify

/// The retail fixtures come with the truth of who each line is (Fixtures/retail/truth.csv).
@Suite("Identity resolution on the retail fixtures")
struct FixtureTruthTests {
    @Test func everyPersonIsFoundAndNoTwoPeopleShareACustomer() throws {
        let store = try TemporaryStore.forIdentity()
        let folder = repositoryRoot.appendingPathComponent("Fixtures/retail")
        for file in ["web", "app", "email", "sms", "pos", "callcenter", "postal"] {
            _ = try store.store.ingest(fileAt: folder.appendingPathComponent("\(file).ndjson").path)
        }
        var person: [String: String] = [:]
        for row in try String(contentsOf: folder.appendingPathComponent("truth.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst()
        {
            let fields = row.split(separator: ",")
            person["\(fields[0]):\(fields[1])"] = String(fields[2])
        }
        let rows = try store.rows("""
            SELECT inputs.name, events.line, event_customers.customer_id
            FROM events JOIN inputs ON inputs.id = events.input_id JOIN event_customers ON event_customers.seq = events.seq
            """)
        var peopleOfCustomer: [String: Set<String>] = [:]
        var customersOfPerson: [String: Set<String>] = [:]
        for row in rows {
            let who = try #require(person["\(URL(fileURLWithPath: row[0]).lastPathComponent):\(row[1])"])
            peopleOfCustomer[row[2], default: []].insert(who)
            customersOfPerson[who, default: []].insert(row[2])
        }
        #expect(rows.count == person.count)
        #expect(customersOfPerson.count == 300, "every person has a customer")
        let merged = peopleOfCustomer.filter { $0.value.count > 1 }
        #expect(merged.isEmpty, "customers holding two people: \(merged)")
        // Offline records with no identifier stay apart until the probabilistic matcher; the
        // people whose every line carries a shared identifier are whole.
        #expect(customersOfPerson.values.filter { $0.count == 1 }.count >= 150)
    }
}
