import Foundation
import GRDB
import Testing
@testable import Unify

/// Probabilistic matching inside the identity graph: offline records join the right
/// customer, relatives and accounts stay apart, and every guarantee of the deterministic
/// core still holds (order-neutrality, rebuild, retired ids).
@Suite("Probabilistic matching in the store")
struct MatchingIntegrationTests {
    static func store(_ policy: MatchingPolicy = MatchingPolicy(enabled: true), linesPerTransaction: Int = 65_536,
                      workingSet: Int = 150_000) throws -> TemporaryStore {
        try TemporaryStore {
            $0.customerIDSecret = testSecret
            $0.identityPolicy = IdentityPolicy()
            $0.projectionPolicy = ProjectionPolicy()
            $0.matchingPolicy = policy
            $0.batchLines = min(linesPerTransaction, 2048)
            $0.transactionLines = linesPerTransaction
            $0.workingSetCustomers = workingSet
            $0.workingSetIdentifiers = workingSet
            // A small working set also lets go of match records, which are read back.
            $0.matchRecordCache = workingSet
        }
    }

    /// A line with traits, at a day of January 2025.
    static func record(_ id: String, day: Int, _ identifiers: [String: String] = [:], first: String?, last: String,
                       birthday: String? = nil, postcode: String? = nil, street: String? = nil, city: String? = nil,
                       phone: String? = nil) -> String {
        var traits: [String] = [#""lastName":"\#(last)""#]
        if let first { traits.append(#""firstName":"\#(first)""#) }
        if let phone { traits.append(#""phone":"\#(phone)""#) }
        if let birthday { traits.append(#""birthday":"\#(birthday)""#) }
        var address: [String] = []
        if let street { address.append(#""street":"\#(street)""#) }
        if let city { address.append(#""city":"\#(city)""#) }
        if let postcode { address.append(#""postalCode":"\#(postcode)""#) }
        if !address.isEmpty { traits.append(#""address":{\#(address.joined(separator: ","))}"#) }
        return event(id, at: String(format: "2025-01-%02dT10:00:00Z", day), identifiers, event: "Order Completed",
                     channel: "store", traits: "{" + traits.joined(separator: ",") + "}")
    }

    @Test func aReceiptWithNoIdentifierJoinsTheCustomerItDescribes() throws {
        let store = try Self.store()
        _ = try store.store.ingest(lines: [
            Self.record("web", day: 2, ["user_id": "u1", "email": "jean.dupont@example.com"], first: "Jean", last: "Dupont",
                        birthday: "1980-03-12", postcode: "75011", street: "12 rue Oberkampf", city: "Paris"),
            // A till receipt: a typo in the name, no identifier at all.
            Self.record("till", day: 9, first: "Jean", last: "Dupond", birthday: "1980-03-12", postcode: "75011"),
            // Someone else entirely.
            Self.record("other", day: 9, first: "Claire", last: "Moreau", postcode: "69003"),
        ])
        let customers = try store.customersByEvent()
        #expect(customers["till"] == customers["web"])
        #expect(customers["other"] != customers["web"])
        let explanation = try store.store.explain("jean.dupont@example.com", "till").description
        #expect(explanation.contains("matched"), "\(explanation)")
        #expect(explanation.contains("last name"), "\(explanation)")
        #expect(explanation.contains("weight"), "\(explanation)")
    }

    /// Namesakes `a` and `b` in one postcode with the accounts given, and a receipt `r`, the
    /// last to come, that fits both.
    static func namesakesAndAReceipt(_ first: [String: String], _ second: [String: String]) -> [String] {
        [
            record("a", day: 1, first, first: "Marie", last: "Martin", birthday: "1975-06-01", postcode: "13001"),
            record("b", day: 2, second, first: "Marie", last: "Martin", birthday: "1975-06-01", postcode: "13001"),
            record("r", day: 3, first: "Marie", last: "Martin", birthday: "1975-06-01", postcode: "13001"),
        ]
    }

    @Test func aLinkNeverJoinsTwoCustomersWithTheirOwnAccounts() throws {
        let store = try Self.store()
        // Two accounts that describe one person as well as each other: deterministic evidence
        // keeps them apart, and neither is an offline record. The receipt that fits both joins
        // neither (the next test).
        _ = try store.store.ingest(lines: Self.namesakesAndAReceipt(["user_id": "u1"], ["user_id": "u2"]))
        let customers = try store.customersByEvent()
        #expect(customers["a"] != customers["b"])
        #expect(try store.count("match_links") == 2)
    }

    /// Namesakes with two accounts of one kind, and a receipt that fits both as well: whichever
    /// it joined would be a coin toss, so it joins neither, whatever order and batches the three
    /// came in and wherever the receipt falls in time. A receipt that fits only one still joins it.
    @Test(arguments: [1, 2, 3])
    func aReceiptThatFitsTwoAccountHoldersOfOneKindJoinsNeither(receiptDay: Int) throws {
        let lines = [
            Self.record("a", day: 2, ["loyalty_id": "LOY-1"], first: "Marie", last: "Martin", birthday: "1975-06-01",
                        postcode: "13001"),
            Self.record("b", day: 2 * receiptDay, ["loyalty_id": "LOY-2"], first: "Marie", last: "Martin",
                        birthday: "1975-06-01", postcode: "13001"),
            Self.record("r", day: receiptDay + 1, first: "Marie", last: "Martin", birthday: "1975-06-01", postcode: "13001"),
            Self.record("other", day: 4, ["loyalty_id": "LOY-3"], first: "Paul", last: "Girard", birthday: "1981-02-03",
                        postcode: "69003"),
            Self.record("r2", day: 5, first: "Paul", last: "Girard", birthday: "1981-02-03", postcode: "69003"),
        ]
        let orders: [[Int]] = [[0, 1, 2, 3, 4], [2, 0, 1, 4, 3], [1, 2, 0, 3, 4], [2, 1, 0, 4, 3]]
        var results: [[String: String]] = []
        for (index, order) in orders.enumerated() {
            let store = try Self.store()
            if index == 0 {
                _ = try store.store.ingest(lines: order.map { lines[$0] })
            } else {
                for line in order { _ = try store.store.ingest(lines: [lines[line]]) }
            }
            let customers = try store.customersByEvent()
            #expect(customers["r"] != customers["a"] && customers["r"] != customers["b"] && customers["a"] != customers["b"],
                    "order \(order): \(customers)")
            #expect(customers["r2"] == customers["other"], "order \(order): the receipt that fits one customer joins it")
            results.append(customers)
            try store.store.rebuild()
            #expect(try store.customersByEvent() == customers, "order \(order): a rebuild changed the customers")
            if index == orders.count - 1 {
                let reasons = try store.store.explain("r", "LOY-1").reasons
                #expect(reasons.contains { $0.contains("they share record:r, a probabilistic link to customers with different accounts of one kind") },
                        "\(reasons)")
                #expect(try store.rows("SELECT status FROM identifiers WHERE kind = 'record' AND value = 'r'") == [["hub"]])
                let statistics = try store.store.statistics()
                #expect(statistics.recordHubs == 1 && statistics.matchLinks == 3, "\(statistics)")
            }
        }
        #expect(results.allSatisfy { $0 == results[0] }, "\(results)")
    }

    /// The query docs/IDENTITY.md gives to list the records that fit several customers runs
    /// on a real store and names the customers each fits.
    @Test func theDocumentedQueryListsTheRecordsThatFitSeveralCustomers() throws {
        let documentation = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/IDENTITY.md"), encoding: .utf8)
        let afterIntroduction = try #require(documentation.range(of: "To list them with the customers each fits"))
        let block = try #require(documentation.range(of: "```sql\n", range: afterIntroduction.upperBound..<documentation.endIndex))
        let end = try #require(documentation.range(of: "```", range: block.upperBound..<documentation.endIndex))
        let query = String(documentation[block.upperBound..<end.lowerBound])
        let store = try Self.store()
        _ = try store.store.ingest(lines: Self.namesakesAndAReceipt(["loyalty_id": "L1"], ["loyalty_id": "L2"]))
        let customers = try store.customersByEvent()
        let rows = try store.rows(query)
        let found: Set<[String]> = Set(rows.map { Array($0.prefix(2)) })
        let expected: Set<[String]> = [["r", try #require(customers["a"])], ["r", try #require(customers["b"])]]
        #expect(rows.count == 2 && found == expected, "\(rows)")
    }

    /// A receipt that fits two namesakes with loyalty cards, and an earlier receipt that fits
    /// only one of them (the relatives rule holds the other back: another birthday): the later
    /// receipt joins that one through the earlier receipt, and explain shows both links of
    /// the chain, since the record whose identifier joins them is not in it.
    @Test func aReceiptThatFitsTwoNamesakesJoinsThroughAnEarlierReceiptOfOne() throws {
        let lines = [
            Self.record("k1", day: 3, ["loyalty_id": "L1"], first: "Marie", last: "Martin", birthday: "1975-06-01",
                        postcode: "13001"),
            Self.record("k2", day: 3, ["loyalty_id": "L2"], first: "Marie", last: "Martin", birthday: "1975-09-20",
                        postcode: "13001"),
            Self.record("early", day: 1, first: "Marie", last: "Martin", birthday: "1975-06-01", postcode: "13001"),
            Self.record("late", day: 5, first: "Marie", last: "Martin", postcode: "13001"),
        ]
        let store = try Self.store()
        _ = try store.store.ingest(lines: lines)
        let customers = try store.customersByEvent()
        #expect(customers["early"] == customers["k1"] && customers["late"] == customers["k1"], "\(customers)")
        #expect(customers["k2"] != customers["k1"])
        #expect(try store.rows("SELECT status FROM identifiers WHERE kind = 'record' AND value = 'late'") == [["hub"]])
        let explanation = try store.store.explain("late", "L1")
        let links = explanation.matches[Identifier(normalised: "early", kind: .matchRecord)] ?? []
        #expect(Set(links.map { [$0.earlier, $0.later] }) == [["early", "late"], ["early", "k1"]], "\(links)")
        #expect(explanation.description.contains("and records"), "\(explanation.description)")
    }

    /// A record identifier can also become a hub for emails among offline records, with no
    /// account anywhere: explain says so, not that accounts differ.
    @Test func explainTellsARecordHubOfEmailsFromOneOfAccounts() throws {
        let store = try Self.store()
        var lines = [Self.record("o0", day: 1, first: "Paul", last: "Girard", birthday: "1981-02-03", postcode: "69003")]
        for index in 1...4 {
            lines.append(Self.record("o\(index)", day: 1 + index, ["email": "paul\(index)@example.com"], first: "Paul",
                                     last: "Girard", birthday: "1981-02-03", postcode: "69003"))
        }
        _ = try store.store.ingest(lines: lines)
        #expect(try store.rows("SELECT status FROM identifiers WHERE kind = 'record' AND value = 'o0'") == [["hub"]])
        let reasons = try store.store.explain("o0", "o1").reasons
        #expect(reasons.contains { $0.contains("they share record:o0, a probabilistic link seen with more emails or phones than one customer may have") },
                "\(reasons)")
        #expect(!reasons.contains { $0.contains("accounts of one kind") }, "\(reasons)")
    }

    @Test func explainSaysWhyARecordWeighsTooLittleToJoin() throws {
        let store = try Self.store()
        _ = try store.store.ingest(lines: [
            Self.record("web", day: 1, ["user_id": "u1"], first: "Eva", last: "Michel", birthday: "1978-01-05",
                        postcode: "66100", city: "Perpignan"),
            // A typo in the last name leaves a till receipt too little to join on.
            Self.record("till", day: 2, first: "Eva", last: "MICHLE", postcode: "66100"),
        ])
        let explanation = try store.store.explain("u1", "till")
        #expect(!explanation.sameCustomer)
        let closest = try #require(explanation.closestRecords)
        #expect(closest.earlier == "web" && closest.later == "till")
        #expect(closest.weight < MatchingPolicy().threshold)
        #expect(closest.evidence.contains("last name similar"), "\(closest.evidence)")
        #expect(explanation.reasons.contains { $0.contains("their closest records, web and till,") && $0.contains("under the match threshold") },
                "\(explanation.reasons)")
    }

    @Test func explainSaysWhichDisagreementKeepsRelativesApart() throws {
        let store = try Self.store()
        _ = try store.store.ingest(lines: [
            Self.record("twin1", day: 1, ["user_id": "u1"], first: "Lucas", last: "Lefebvre", birthday: "1995-01-20",
                        postcode: "59000", street: "4 rue Nationale", city: "Lille"),
            Self.record("twin2", day: 2, first: "Hugo", last: "Lefebvre", birthday: "1995-01-20", postcode: "59000",
                        street: "4 rue Nationale", city: "Lille"),
        ])
        let explanation = try store.store.explain("twin1", "twin2")
        #expect(!explanation.sameCustomer)
        // Their birthday, surname and address outweigh their first names, as for any twins.
        #expect(try #require(explanation.closestRecords).weight >= MatchingPolicy().threshold)
        #expect(explanation.reasons.contains { $0.contains("over the match threshold") && $0.contains("first names differ")
                    && $0.contains("relatives") }, "\(explanation.reasons)")
    }

    @Test func explainSaysWhenBlockingNeverComparedTwoRecords() throws {
        let store = try Self.store(MatchingPolicy(enabled: true, maximumBlockSize: 2))
        _ = try store.store.ingest(lines: [
            Self.record("account", day: 1, ["user_id": "u1"], first: "Marie", last: "Martin", postcode: "13001"),
            Self.record("r1", day: 2, first: "Marie", last: "Martin", postcode: "13001"),
            Self.record("r2", day: 3, first: "Marie", last: "Martin", postcode: "13001"),
            // Its blocks hold three records already, more than the policy compares.
            Self.record("r3", day: 4, first: "Marie", last: "Martin", postcode: "13001"),
            // In the same run, after the index has found those blocks too large: still too large.
            Self.record("r4", day: 5, first: "Marie", last: "Martin", postcode: "13001"),
        ])
        let customers = try store.customersByEvent()
        #expect(customers["r1"] == customers["account"] && customers["r2"] == customers["account"])
        #expect(customers["r3"] != customers["account"])
        #expect(customers["r4"] != customers["account"] && customers["r4"] != customers["r3"])
        let explanation = try store.store.explain("u1", "r3")
        #expect(explanation.reasons.contains { $0.contains("would link") && $0.contains("are not compared")
                    && $0.contains("now holds more than 2 records") }, "\(explanation.reasons)")
    }

    /// The index remembers, for the rest of a run, the blocks it found too large; one
    /// transaction a line makes that memory span transactions, and a rebuild (a fresh index,
    /// one pass) must give the same customers.
    @Test func blocksFoundTooLargeStayTooLargeAcrossTransactions() throws {
        let store = try Self.store(MatchingPolicy(enabled: true, maximumBlockSize: 2), linesPerTransaction: 1)
        var lines = [Self.record("account", day: 1, ["user_id": "u1"], first: "Marie", last: "Martin", postcode: "13001")]
        for day in 2...6 { lines.append(Self.record("r\(day)", day: day, first: "Marie", last: "Martin", postcode: "13001")) }
        // Shares no block with the others: compared whatever the index remembers of them.
        lines.append(Self.record("m1", day: 7, ["user_id": "u2"], first: "Paul", last: "Durand", postcode: "69003"))
        lines.append(Self.record("m2", day: 8, first: "Paul", last: "Durand", postcode: "69003"))
        _ = try store.store.ingest(lines: lines)
        let customers = try store.customersByEvent()
        #expect(customers["r2"] == customers["account"] && customers["r3"] == customers["account"])
        #expect(Set((4...6).map { customers["r\($0)"] }).count == 3 && customers["r4"] != customers["account"])
        #expect(customers["m2"] == customers["m1"])
        try store.store.rebuild()
        #expect(try store.customersByEvent() == customers)
    }

    @Test func explainSaysThatRecordsMatchedWhenOnlyTheAccountsKeepThemApart() throws {
        // Blocks of three: the receipt, the last to come, was compared with both accounts.
        // Accounts of two kinds: the receipt joins one of them, and the guardrail keeps the
        // other apart (with accounts of one kind it would join neither).
        let store = try Self.store(MatchingPolicy(enabled: true, maximumBlockSize: 2))
        _ = try store.store.ingest(lines: Self.namesakesAndAReceipt(["user_id": "u1"], ["loyalty_id": "L2"]))
        let reasons = try store.store.explain("u1", "L2").reasons
        #expect(reasons.contains { $0.contains("a probabilistic link never joins two customers that each hold an account") },
                "\(reasons)")
        #expect(reasons.contains { $0.contains("matched (weight") && $0.contains("see the reason above") }, "\(reasons)")
        #expect(!reasons.contains { $0.contains("not compared") }, "\(reasons)")
    }

    @Test func recordsAreKeptNormalisedAndRecordsFromBeforeAreNormalisedAgain() throws {
        let store = try Self.store(workingSet: 1)
        _ = try store.store.ingest(lines: [
            Self.record("web", day: 1, ["user_id": "u1"], first: "Jean", last: "Dupont", birthday: "1980-03-12",
                        postcode: "75011", street: "12 rue Oberkampf", city: "Paris"),
        ])
        #expect(try store.rows("SELECT count(*), count(normalised) FROM match_records") == [["1", "1"]])
        // The normalised form is what is read: values as written that say someone else change nothing.
        let written = try store.rows("SELECT fields FROM match_records")[0][0]
        try store.store.database.write { db in
            try db.execute(sql: """
                UPDATE match_records
                SET fields = replace(replace(replace(fields, 'Dupont', 'Zyzzyva'), 'Jean', 'Quentin'), '1980-03-12', '1955-07-01')
                """)
        }
        _ = try store.store.ingest(lines: [
            Self.record("till", day: 9, first: "Jean", last: "Dupond", birthday: "1980-03-12", postcode: "75011"),
        ])
        let customers = try store.customersByEvent()
        #expect(customers["till"] == customers["web"])
        // As a store written before the column was: the record's values as written only.
        try store.store.database.write { db in
            try db.execute(sql: "UPDATE match_records SET normalised = NULL, fields = ? WHERE event_id = 'web'", arguments: [written])
            try db.execute(sql: "UPDATE match_records SET normalised = NULL WHERE event_id = 'till'")
        }
        _ = try store.store.ingest(lines: [
            Self.record("letter", day: 9, first: "Jean", last: "Dupont", birthday: "1980-03-12", postcode: "75011"),
        ])
        #expect(try store.customersByEvent()["letter"] == customers["web"])
        // And a damaged form counts as none.
        try store.store.database.write { db in try db.execute(sql: "UPDATE match_records SET normalised = x'01ff'") }
        _ = try store.store.ingest(lines: [
            Self.record("form", day: 10, first: "Jean", last: "DUPONT", birthday: "1980-03-12", postcode: "75011"),
        ])
        #expect(try store.customersByEvent()["form"] == customers["web"])
    }

    @Test func aStoreOfSchemaSixOpensAndItsRecordsStillMatch() throws {
        let temporary = try Self.store()
        _ = try temporary.store.ingest(lines: [
            Self.record("web", day: 1, ["user_id": "u1"], first: "Jean", last: "Dupont", birthday: "1980-03-12",
                        postcode: "75011", street: "12 rue Oberkampf", city: "Paris"),
        ])
        // Back to schema 6, as a store an earlier build wrote.
        try temporary.store.database.write { db in
            try db.execute(sql: """
                ALTER TABLE match_records DROP COLUMN normalised;
                DELETE FROM grdb_migrations WHERE identifier LIKE 'v7:%';
                PRAGMA user_version = 6;
                """)
        }
        var configuration = Store.Configuration(clock: .fixed(Timestamp(iso8601: "2026-01-01T00:00:00Z")!))
        configuration.customerIDSecret = testSecret
        configuration.identityPolicy = IdentityPolicy()
        configuration.projectionPolicy = ProjectionPolicy()
        configuration.matchingPolicy = MatchingPolicy(enabled: true)
        let reopened = try Store(path: temporary.path, configuration: configuration)
        _ = try reopened.ingest(lines: [
            Self.record("till", day: 9, first: "Jean", last: "Dupond", birthday: "1980-03-12", postcode: "75011"),
        ])
        #expect(try temporary.rows("PRAGMA user_version") == [["\(Schema.version)"]])
        #expect(try temporary.rows("SELECT event_id, normalised IS NULL FROM match_records ORDER BY seq") == [["web", "1"], ["till", "0"]])
        let customers = try temporary.customersByEvent()
        #expect(customers["till"] == customers["web"])
    }

    /// A store indexed by the blocking rules of an earlier build indexes its records again
    /// when it is opened: its keys are then those a rebuild makes, and a new record finds an
    /// old one by a rule added since.
    @Test func aStoreIndexedByEarlierRulesIsIndexedAgainWhenOpened() throws {
        let temporary = try Self.store()
        _ = try temporary.store.ingest(lines: [
            Self.record("web", day: 1, ["user_id": "u1"], first: "Jean", last: "Dupont", birthday: "1980-03-12",
                        postcode: "75011", street: "12 rue Oberkampf", city: "Paris"),
            Self.record("crm", day: 2, ["crm_id": "c7"], first: "Marie", last: "Curie", postcode: "75005"),
        ])
        let keys = try temporary.rows("SELECT key, seq, offline FROM match_keys ORDER BY key, seq")
        #expect(keys.count > 10)
        #expect(try temporary.rows("SELECT value FROM store_info WHERE key = 'blocking_keys_version'")
            == [["\(BlockingRule.keysVersion)"]])
        // As an earlier build left it: keys of one rule only, and no version.
        let postcodeAndInitial = MatchInput.blockKeys(of: try #require(MatchRecordSource(
            traits: ["lastName": .string("Dupont"), "postalCode": .string("75011")], phones: [], emails: []).record))
        try temporary.store.database.write { db in
            try db.execute(sql: "DELETE FROM match_keys WHERE key NOT IN (\(postcodeAndInitial.map(String.init).joined(separator: ",")))")
            try db.execute(sql: "DELETE FROM store_info WHERE key = 'blocking_keys_version'")
        }
        #expect(try temporary.rows("SELECT key, seq, offline FROM match_keys ORDER BY key, seq").count < keys.count)
        var configuration = Store.Configuration(clock: .fixed(Timestamp(iso8601: "2026-01-01T00:00:00Z")!))
        configuration.customerIDSecret = testSecret
        configuration.identityPolicy = IdentityPolicy()
        configuration.projectionPolicy = ProjectionPolicy()
        configuration.matchingPolicy = MatchingPolicy(enabled: true)
        _ = try Store(path: temporary.path, configuration: configuration)
        #expect(try temporary.rows("SELECT key, seq, offline FROM match_keys ORDER BY key, seq") == keys)
        #expect(try temporary.rows("SELECT value FROM store_info WHERE key = 'blocking_keys_version'")
            == [["\(BlockingRule.keysVersion)"]])
    }

    @Test func explainSaysWhenMatchingHasNothingToCompare() throws {
        let store = try Self.store()
        _ = try store.store.ingest(lines: [
            Self.record("web", day: 1, ["user_id": "u1"], first: "Jean", last: "Dupont", postcode: "75011"),
            Self.record("crm", day: 2, ["crm_id": "C2"], first: "Jeanne", last: "Durand", postcode: "69003"),
            // An event that names nobody.
            event("visit", at: "2025-01-03T10:00:00Z", ["anonymous_id": "a3"], event: "Page Viewed", channel: "web"),
        ])
        let nothing = try store.store.explain("u1", "a3").reasons
        #expect(nothing.contains(
            "probabilistic matching has nothing to compare: the second customer has no event with a last name and a first name, "
                + "birthday, postcode, town, street or phone (or its events came in before matching was on: `unify rebuild` matches them)"),
            "\(nothing)")
        let accounts = try store.store.explain("u1", "C2").reasons
        #expect(accounts.contains { $0.hasPrefix("probabilistic matching compares offline records (events without an account) only") },
                "\(accounts)")
    }

    @Test func relativesAtOneAddressStayApart() throws {
        let store = try Self.store()
        _ = try store.store.ingest(lines: [
            Self.record("father", day: 1, ["user_id": "u1"], first: "Jean", last: "Lefebvre", birthday: "1962-04-02",
                        postcode: "59000", street: "4 rue Nationale", city: "Lille"),
            // His wife at the till, and their twins on a paper form: one surname, one address.
            Self.record("mother", day: 2, first: "Sophie", last: "Lefebvre", birthday: "1964-09-30", postcode: "59000",
                        street: "4 rue Nationale", city: "Lille"),
            Self.record("twin1", day: 3, first: "Lucas", last: "Lefebvre", birthday: "1995-01-20", postcode: "59000",
                        street: "4 rue Nationale", city: "Lille"),
            Self.record("twin2", day: 4, first: "Hugo", last: "Lefebvre", birthday: "1995-01-20", postcode: "59000",
                        street: "4 rue Nationale", city: "Lille"),
        ])
        let customers = try store.customersByEvent()
        #expect(Set(customers.values).count == 4, "\(customers)")
    }

    @Test func aReceiptNeverGluesTwoCustomersThatEachHoldAnAccount() throws {
        let store = try Self.store()
        _ = try store.store.ingest(lines: [
            // Two namesakes in one postcode, known by different kinds of account: no per-kind
            // limit tells them apart, only the guardrail on record identifiers does.
            Self.record("crm", day: 1, ["crm_id": "CRM-1"], first: "Clément", last: "Renard", birthday: "1959-10-07",
                        postcode: "1180"),
            Self.record("loyalty", day: 2, ["loyalty_id": "LOY-2"], first: "Clément", last: "Renard",
                        birthday: "1972-07-20", postcode: "1180"),
            // A receipt that fits both, and a second one that fits the first receipt.
            Self.record("till", day: 3, first: "Clément", last: "RENARD", postcode: "1180"),
            Self.record("till2", day: 4, first: "Clement", last: "Renard", postcode: "1180"),
        ])
        let customers = try store.customersByEvent()
        #expect(customers["crm"] != customers["loyalty"])
        #expect(customers["till"] == customers["crm"] || customers["till"] == customers["loyalty"])
        #expect(customers["till2"] == customers["till"])
        let explanation = try store.store.explain("CRM-1", "LOY-2")
        #expect(explanation.secondCustomer != explanation.firstCustomer)
        #expect(explanation.reasons.contains { $0.contains("a probabilistic link never joins two customers that each hold an account") },
                "\(explanation.reasons)")
    }

    /// A known customer with an account, a full birthday, an address and a mobile.
    static let louise = record("louise", day: 1, ["user_id": "u1"], first: "Louise", last: "Lebrun", birthday: "1990-11-06",
                               postcode: "76620", street: "55 bis rue de la République", city: "Le Havre",
                               phone: "+33735329024")

    @Test func aSiblingBornWithinAYearOrARelativeWithAnotherPhoneStaysApart() throws {
        let store = try Self.store()
        _ = try store.store.ingest(lines: [
            Self.louise,
            // Her brother's letter: no first name, born seven months later, at her address.
            Self.record("letter", day: 2, first: nil, last: "Lebrun", birthday: "1991-06-27", postcode: "76620",
                        street: "55 bis rue de la Republique", city: "Le Havre"),
            // A namesake's call: her name and postcode, another mobile.
            Self.record("call", day: 3, first: "Louise", last: "Lebrun", postcode: "76620", phone: "+33 6 48 27 19 53"),
        ])
        let customers = try store.customersByEvent()
        #expect(Set(customers.values).count == 3, "\(customers)")
    }

    @Test func aMistypedPhoneOrABirthYearAloneStillJoins() throws {
        let store = try Self.store()
        _ = try store.store.ingest(lines: [
            Self.louise,
            // Her call with the last two digits swapped, and a form that asked for the year only.
            Self.record("typo", day: 4, first: "Louise", last: "Lebrun", postcode: "76620", phone: "+33 7 35 32 90 42"),
            Self.record("form", day: 5, first: "Louise", last: "Lebrun", birthday: "1990", postcode: "76620",
                        street: "55 bis rue de la République"),
        ])
        let customers = try store.customersByEvent()
        #expect(customers["typo"] == customers["louise"])
        #expect(customers["form"] == customers["louise"])
    }

    @Test func matchingCanBeTurnedOff() throws {
        let store = try Self.store(MatchingPolicy(enabled: false))
        _ = try store.store.ingest(lines: [
            Self.record("web", day: 2, ["user_id": "u1"], first: "Jean", last: "Dupont", birthday: "1980-03-12", postcode: "75011"),
            Self.record("till", day: 9, first: "Jean", last: "Dupont", birthday: "1980-03-12", postcode: "75011"),
        ])
        let customers = try store.customersByEvent()
        #expect(customers["till"] != customers["web"])
        #expect(try store.count("match_records") == 0)
    }

    @Test func theIDOfAReceiptJoinedLaterRedirectsToItsCustomer() throws {
        let store = try Self.store()
        // The receipt first: a customer of its own, whose id a user may have seen.
        _ = try store.store.ingest(lines: [Self.record("till", day: 9, first: "Jean", last: "Dupont", birthday: "1980-03-12",
                                                       postcode: "75011")])
        let before = try #require(try store.store.customerID(for: "till"))
        // Then the web account, earlier in time: the receipt's event is amended.
        _ = try store.store.ingest(lines: [Self.record("web", day: 2, ["user_id": "u1"], first: "Jean", last: "Dupont",
                                                       birthday: "1980-03-12", postcode: "75011")])
        let after = try #require(try store.store.customerID(for: "u1"))
        #expect(try store.store.customerID(for: "till") == after)
        let redirected = try store.store.customerID(for: before)
        #expect(before == after || redirected == after)
        #expect(try store.store.profile(of: "till")?.events == 2)
    }

    @Test func aReceiptJoiningAKnownCustomerRetiresNoID() throws {
        let store = try Self.store()
        _ = try store.store.ingest(lines: [Self.record("web", day: 2, ["user_id": "u1"], first: "Jean", last: "Dupont",
                                                       birthday: "1980-03-12", postcode: "75011")])
        let known = try #require(try store.store.customerID(for: "u1"))
        // The receipt comes later: the known customer takes the receipt's record identifier
        // and the receipt joins it, with no customer made for the receipt on the way.
        _ = try store.store.ingest(lines: [Self.record("till", day: 9, first: "Jean", last: "Dupond",
                                                       birthday: "1980-03-12", postcode: "75011")])
        #expect(try store.store.customerID(for: "till") == known)
        #expect(try store.count("customer_redirects") == 0)
        #expect(try store.rows("SELECT kind, value, printf('cus_%016x', customer) FROM identifiers ORDER BY kind")
            == [["record", "till", known], ["user_id", "u1", known]])
        #expect(try store.store.profile(of: "u1")?.events == 2)
        let incremental = try store.customersByEvent()
        try store.store.rebuild()
        #expect(try store.customersByEvent() == incremental)
    }

    @Test func anEventIdNamesItsEventNotTheRecordIdentifierNamedAfterIt() throws {
        let store = try Self.store()
        _ = try store.store.ingest(lines: [
            Self.record("k1", day: 1, ["user_id": "u1"], first: "Claire", last: "Dubois", postcode: "44000"),
            Self.record("k2", day: 2, ["user_id": "u2"], first: "Claire", last: "Dubois", birthday: "1985-04-10"),
            Self.record("R1", day: 3, first: "Claire", last: "Dubois", postcode: "44000", street: "3 rue Crebillon",
                        city: "Nantes"),
            Self.record("R2", day: 4, first: "Claire", last: "Dubois", birthday: "1985-04-10", street: "3 rue Crebillon",
                        city: "Nantes"),
        ])
        let placed = try store.customersByEvent()
        for id in ["k1", "k2", "R1", "R2"] {
            #expect(try store.store.customerID(for: id) == placed[id], "\(id)")
        }
        // Typed as an identifier, a record identifier is still found.
        let records = try store.rows("SELECT value, printf('cus_%016x', customer) FROM identifiers WHERE kind = 'record' AND customer IS NOT NULL")
        for record in records {
            #expect(try store.store.customerID(for: "record:\(record[0])") == record[1])
        }
    }

    @Test func twoReceiptsOfStrangersShareNothing() throws {
        let store = try Self.store()
        _ = try store.store.ingest(lines: [
            Self.record("h1", day: 1, first: "Claire", last: "Dubois", postcode: "44000"),
            Self.record("h2", day: 2, first: "Marc", last: "Lefèvre", postcode: "13008"),
        ])
        let explanation = try store.store.explain("h1", "h2")
        #expect(explanation.firstCustomer != nil && explanation.secondCustomer != nil && !explanation.sameCustomer)
        #expect(explanation.reasons.first == "no identifier links them: they share none, directly or through other events")
    }

    // MARK: Training

    @Test func trainingEstimatesTheParametersFromTheStoreAndSavesThem() throws {
        let store = try Self.store()
        var random = SeededGenerator(seed: 42)
        let firsts = ["Jean", "Marie", "Luc", "Anne", "Paul", "Julie", "Hugo", "Léa", "Noé", "Emma"]
        let lasts = ["Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Michel", "Garcia",
                     "Roux", "Morel"]
        var lines: [String] = []
        for person in 0..<500 {
            let (first, last) = (firsts.randomElement(using: &random)!, lasts.randomElement(using: &random)!)
            let postcode = "750\(10 + person % 10)"
            let birthday = "19\(50 + person % 50)-0\(1 + person % 9)-1\(person % 10)"
            for copy in 0..<3 {
                lines.append(Self.record("t\(person)-\(copy)", day: 1 + copy, copy == 0 ? ["user_id": "u\(person)"] : [:],
                                         first: copy == 2 && person % 4 == 0 ? String(first.prefix(1)) + "." : first, last: last,
                                         birthday: copy == 1 && person % 3 == 0 ? nil : birthday, postcode: postcode))
            }
        }
        _ = try store.store.ingest(lines: lines)
        let report = try store.store.trainMatchModel()
        #expect(report.records == 1_500 && report.sampled == 1_500)
        #expect(!report.keptDefaults && report.iterations > 0 && report.candidatePairs >= 1_000)
        #expect(report.priorMatchProbability > 0 && report.priorMatchProbability < 0.1)
        let saved = try store.rows("SELECT value FROM store_info WHERE key = 'match_model'")
        #expect(saved.count == 1 && saved[0][0].contains("priorMatchProbability"))
        // What resolution uses from then on is the saved estimate.
        let model = try store.store.database.read { db in try SQLiteMatchIndex.savedModel(db) }
        #expect(model?.priorMatchProbability == report.priorMatchProbability)
        #expect(model != MatchModel.default)
        // Training reads the records' normalised form: without the values as written, the same estimate.
        try store.store.database.write { db in
            try db.execute(sql: "UPDATE match_records SET fields = ''")
            try db.execute(sql: "DELETE FROM store_info WHERE key = 'match_model'")
        }
        let again = try store.store.trainMatchModel()
        #expect(again.sampled == 1_500 && again.priorMatchProbability == report.priorMatchProbability)

        // The same events in another order give the same estimate, to the last bit.
        let reordered = try Self.store()
        _ = try reordered.store.ingest(lines: Array(lines.reversed().prefix(700)))
        _ = try reordered.store.ingest(lines: Array(lines.reversed().dropFirst(700)))
        let trained = try reordered.store.trainMatchModel()
        #expect(trained.levels.map(\.m) == report.levels.map(\.m) && trained.levels.map(\.u) == report.levels.map(\.u))
        #expect(try reordered.store.database.read { db in try SQLiteMatchIndex.savedModel(db) } == model)
        // And so does a sample of them: one record in three, chosen by event id.
        let sampled = try store.store.trainMatchModel(sampleSize: 500)
        let sampledReordered = try reordered.store.trainMatchModel(sampleSize: 500)
        #expect(sampled.sampled < 1_500 && sampled.sampled > 300 && sampledReordered.sampled == sampled.sampled)
        #expect(sampledReordered.levels.map(\.m) == sampled.levels.map(\.m)
                && sampledReordered.priorMatchProbability == sampled.priorMatchProbability)
    }

    @Test func trainingOnTooFewRecordsKeepsTheDefaults() throws {
        let store = try Self.store()
        _ = try store.store.ingest(lines: [
            Self.record("a", day: 1, ["user_id": "u1"], first: "Jean", last: "Dupont", postcode: "75011"),
            Self.record("b", day: 2, first: "Jean", last: "Dupont", postcode: "75011"),
        ])
        let report = try store.store.trainMatchModel()
        #expect(report.keptDefaults && report.records == 2)
        #expect(try store.rows("SELECT value FROM store_info WHERE key = 'match_model'").isEmpty)
    }

    // MARK: Order-neutrality

    /// People with accounts and noisy offline records, from small pools of names so that
    /// homonyms, relatives, twins and conflicting accounts occur.
    static func dataSet(seed: UInt64) -> [String] {
        var random = SeededGenerator(seed: seed)
        let firsts = ["Jean", "Marie", "Luc", "Anne", "Paul", "Julie"]
        let lasts = ["Martin", "Bernard", "Petit", "Durand"]
        let postcodes = ["75011", "75012", "69003"]
        func noisy(_ name: String) -> String {
            switch Int.random(in: 0..<6, using: &random) {
            case 0: String(name.dropLast()) + "e"
            case 1: name.uppercased()
            case 2: String(name.prefix(1)) + "."
            default: name
            }
        }
        var lines: [String] = []
        var counter = 0
        for person in 0..<Int.random(in: 4...10, using: &random) {
            let first = firsts.randomElement(using: &random)!
            let last = lasts.randomElement(using: &random)!
            let postcode = postcodes.randomElement(using: &random)!
            let birthday = "19\(Int.random(in: 60...99, using: &random))-0\(Int.random(in: 1...9, using: &random))-1\(person % 10)"
            let known = Bool.random(using: &random)
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                counter += 1
                var identifiers: [String: String] = [:]
                if known && Int.random(in: 0..<3, using: &random) > 0 {
                    identifiers["user_id"] = Int.random(in: 0..<8, using: &random) == 0 ? "u\(person + 1)" : "u\(person)"
                }
                lines.append(record(
                    "m\(seed)-\(counter)", day: Int.random(in: 1...6, using: &random), identifiers,
                    first: Int.random(in: 0..<8, using: &random) == 0 ? nil : noisy(first), last: noisy(last),
                    birthday: Bool.random(using: &random) ? birthday : nil,
                    postcode: Int.random(in: 0..<5, using: &random) == 0 ? nil : postcode))
            }
        }
        return lines
    }

    @Test(arguments: 1...60)
    func anyOrderAndBatchingGivesTheSameCustomers(seed: UInt64) throws {
        let lines = Self.dataSet(seed: seed)
        // A low threshold links much more, relatives and homonyms included: the hard case.
        let policy = MatchingPolicy(enabled: true, threshold: seed % 2 == 0 ? MatchingPolicy().threshold : -5,
                                    holdBackRelatives: seed % 3 != 0)
        let whole = try Self.store(policy)
        _ = try whole.store.ingest(lines: lines)
        let expected = try whole.customersByEvent()
        let expectedRows = try whole.customerRowsByContent()
        if policy.threshold < 0 { #expect(try whole.count("match_links") > 0, "seed \(seed): nothing to reorder") }

        var random = SeededGenerator(seed: seed &* 104_729)
        for _ in 0..<3 {
            let shuffled = lines.shuffled(using: &random)
            let linesPerTransaction = Bool.random(using: &random) ? Int.random(in: 1...5, using: &random) : 65_536
            let workingSet = Bool.random(using: &random) ? Int.random(in: 1...4, using: &random) : 150_000
            let store = try Self.store(policy, linesPerTransaction: linesPerTransaction, workingSet: workingSet)
            var start = 0
            while start < shuffled.count {
                let size = Int.random(in: 1...max(1, shuffled.count / 2), using: &random)
                _ = try store.store.ingest(lines: Array(shuffled[start..<min(shuffled.count, start + size)]))
                start += size
            }
            #expect(try store.customersByEvent() == expected, """
                seed \(seed): order and batches (\(linesPerTransaction) lines a transaction, working set \(workingSet)) \
                changed the customers
                """)
            #expect(try store.customerRowsByContent() == expectedRows, "seed \(seed): the profiles differ")
            try store.store.rebuild()
            #expect(try store.customersByEvent() == expected, "seed \(seed): a rebuild changed the customers")
        }
    }
}
