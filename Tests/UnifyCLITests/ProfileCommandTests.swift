import Foundation
import GRDB
import Testing

/// `unify show`, `unify export`, `unify stats` and `unify rebuild`, run as a user would on the
/// retail fixtures. Inès Dupuy (p00001, the worked example of Fixtures/retail/README.md) is the
/// customer looked at closely; the other checks hold for every customer, event or identifier.
/// Customer ids are keyed with a per-store secret, so they are read from the store, never written here.
@Suite("unify show, export, stats and rebuild on the retail fixtures")
struct ProfileCommandTests {
    // MARK: show, by anything a person knows

    @Test func showByCustomerIDPrintsTheWholePage() throws {
        let ines = try RetailStore.customer(of: "loyalty_id:LOY354046")
        let result = try RetailStore.unify("show", ines)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let page = Page(result.stdoutText)

        #expect(page.lines.first == "Customer \(ines)  Inès Dupuy")
        #expect(page.lines.contains("  50 events (43 online, 4 offline, 3 on no channel), first seen 2024-02-29, last seen 2026-01-29"))
        // Sections in the documented order.
        let headings = ["Stage ", "Journey ", "Identifiers", "Traits ", "Orders ", "Consents ", "Channels", "Latest touchpoints"]
        let positions = headings.map { heading in page.lines.firstIndex { $0.hasPrefix(heading) } }
        #expect(!positions.contains(nil), "missing sections in \(result.stdoutText)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())

        #expect(page.lines.contains("Stage        dormant since 2026-07-09, was loyal (as of 2026-10-30)"))
        #expect(page.section("Journey") == [
            "Journey      2024-02-29  awareness     Accueil (web)",
            "             2024-03-28  consideration Newsletter Subscribed (web)",
            "             2024-05-31  decision      Product Added (web)",
            "             2024-06-29  customer      Order Completed (web)",
            "             2025-01-20  loyal         Order Completed (store)",
            "             2026-07-09  dormant       no activity for 180 days",
        ])

        let identifiers = page.section("Identifiers")
        #expect(identifiers.contains("  user_id       u_zkfjqrqses"))
        #expect(identifiers.contains("  loyalty_id    LOY354046"))
        #expect(identifiers.contains("  email         ines.dupuy84@orange.fr"))
        #expect(identifiers.contains("  phone         +33691740474"))
        // Every identifier the store gives her is on the page (three per kind, then a count).
        let known = try RetailStore.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, value FROM identities WHERE customer_id = ? ORDER BY value", arguments: [ines])
                .map { (kind: $0[0] as String, value: $0[1] as String) }
        }
        #expect(known.count == 9)
        for kind in Set(known.map(\.kind)) {
            let values = known.filter { $0.kind == kind }.map(\.value)
            let line = try #require(identifiers.first { $0.hasPrefix("  \(kind) ") }, "no \(kind) line")
            #expect(values.filter { line.contains($0) }.count == min(3, values.count), "\(line)")
            if values.count > 3 { #expect(line.hasSuffix("(+\(values.count - 3) more)")) }
        }

        let traits = page.section("Traits")
        #expect(traits.first == "Traits" + String(repeating: " ", count: 52) + "from")
        let address = try #require(traits.first { $0.hasPrefix("  address       30 rue de Bretagne, 75016, Paris, FR") })
        #expect(address.hasSuffix("pos, 2024-11-28"))
        // The origins stand under their heading.
        for line in traits.dropFirst() {
            #expect(line.count > 58 && line.dropFirst(56).hasPrefix("  ") && line.dropFirst(58).first != " ", "\(line)")
        }
        #expect(traits.contains { $0.hasPrefix("  birthday      1984-12-04") })
        #expect(traits.contains { $0.hasPrefix("  email         ines.dupuy84@orange.fr") })
        #expect(traits.contains { $0.hasPrefix("  firstName     Inès") })

        #expect(page.lines.contains("Orders       5 orders, 971.50 EUR in all, average basket 194.30 EUR"))
        #expect(page.lines.contains("             first 2024-06-29, last 2025-12-18"))
        #expect(page.lines.contains("Consents     email  granted   2024-11-28 (pos)"))
        #expect(page.lines.contains("             sms    granted   2024-11-28 (pos)"))

        #expect(page.section("Channels") == [
            "Channels",
            "  web             20  online   2024-02-29 … 2025-12-30",
            "  app             17  online   2025-05-09 … 2026-01-10",
            "  email            4  online   2024-06-29 … 2025-12-30",
            "  store            3  offline  2024-11-28 … 2025-11-27",
            "  sms              2  online   2025-02-06 … 2026-01-29",
            "  call_center      1  offline  2025-04-12 … 2025-04-12",
        ])
        let touchpoints = page.section("Latest touchpoints")
        #expect(touchpoints.count == 1 + 10)
        #expect(touchpoints.dropFirst().first == "  2026-01-29 17:03  sms         track    SMS Delivered")
        #expect(touchpoints.last == "  2025-12-30 17:42  web         page     Accueil")
    }

    @Test func aRetiredCustomerIDLeadsToTheSurvivor() throws {
        let ines = try RetailStore.customer(of: "loyalty_id:LOY354046")
        let redirects = try RetailStore.read { db in
            try Row.fetchAll(db, sql: "SELECT retired_id, survivor_id FROM customer_redirects ORDER BY retired_id")
                .map { (retired: $0[0] as String, survivor: $0[1] as String) }
        }
        #expect(redirects.count > 20)
        // Inès's cookies and devices were customers of their own before she logged in.
        let hers = redirects.filter { $0.survivor == ines }.map(\.retired)
        #expect(hers.count == 2)
        let page = Page(try RetailStore.unify("show", hers[0]).stdoutText)
        #expect(page.lines.first == "Customer \(ines)  Inès Dupuy")
        #expect(page.lines.dropFirst().first == "  also known as \(hers.joined(separator: ", "))")

        for redirect in redirects.prefix(12) {
            let shown = try RetailStore.json(try RetailStore.unify("show", "--json", redirect.retired))
            #expect(shown["customer_id"] as? String == redirect.survivor, "show \(redirect.retired)")
            #expect((shown["former_ids"] as? [String])?.contains(redirect.retired) == true)
        }
    }

    @Test(arguments: ["  Ines.Dupuy84@Orange.FR ", "INES.DUPUY84@ORANGE.FR", "ines.dupuy84@orange.fr", "email:Ines.Dupuy84@Orange.FR"])
    func anEmailAsTypedFindsItsCustomer(typed: String) throws {
        let ines = try RetailStore.customer(of: "loyalty_id:LOY354046")
        let result = try RetailStore.unify("show", typed)
        #expect(result.status == 0)
        let page = Page(result.stdoutText)
        #expect(page.lines.first == "Customer \(ines)  Inès Dupuy")
        #expect(page.section("Identifiers").contains("  email         ines.dupuy84@orange.fr"))
    }

    @Test func aFrenchPhoneInNationalFormFindsTheSameCustomerAsItsE164Form() throws {
        let ines = try RetailStore.customer(of: "loyalty_id:LOY354046")
        // Call centre line 21 and SMS line 17 of the fixtures write her phone both ways.
        for typed in ["06 91 74 04 74", "0691740474", "06.91.74.04.74", "+33691740474", "+33 6 91 74 04 74", "phone:06 91 74 04 74"] {
            let shown = try RetailStore.json(try RetailStore.unify("show", "--json", typed))
            #expect(shown["customer_id"] as? String == ines, "show \(typed)")
        }
        #expect(Page(try RetailStore.unify("show", "06 91 74 04 74").stdoutText).section("Identifiers")
            .contains("  phone         +33691740474"))

        // Other national-form phones of the call-centre extract, each against its E.164 form.
        let lines = try String(contentsOf: RetailStore.fixture("callcenter"), encoding: .utf8).split(separator: "\n")
        var national: [String] = []
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            if let phone = (object["identifiers"] as? [String: Any])?["phone"] as? String,
               phone.count == 14, phone.hasPrefix("06 ") || phone.hasPrefix("07 "), !national.contains(phone) {
                national.append(phone)
            }
        }
        #expect(national.count >= 4)
        for phone in national.prefix(4) {
            let e164 = "+33" + phone.filter(\.isNumber).dropFirst()
            let owner = try RetailStore.read { db in
                try String.fetchOne(db, sql: "SELECT customer_id FROM identities WHERE identifier = ?", arguments: ["phone:\(e164)"])
            }
            let expected = try #require(owner, "phone:\(e164) is not a linking identifier")
            for typed in [phone, e164] {
                let shown = try RetailStore.json(try RetailStore.unify("show", "--json", typed))
                #expect(shown["customer_id"] as? String == expected, "show \(typed)")
                #expect((shown["identifiers"] as? [String])?.contains("phone:\(e164)") == true)
            }
        }
    }

    @Test(arguments: ["LOY354046", "loyalty_id:LOY354046", "u_zkfjqrqses"])
    func anIDFindsItsCustomer(id: String) throws {
        let ines = try RetailStore.customer(of: "loyalty_id:LOY354046")
        let page = Page(try RetailStore.unify("show", id).stdoutText)
        #expect(page.lines.first == "Customer \(ines)  Inès Dupuy")
        #expect(page.section("Identifiers").contains("  loyalty_id    LOY354046"))
    }

    @Test func anEventIDFindsTheCustomerOfThatEvent() throws {
        let ines = try RetailStore.customer(of: "loyalty_id:LOY354046")
        // web 123 (a Segment messageId), pos 118 and callcenter 21 (native ids): all hers.
        for event in ["6b710b1d-7835-4243-b37e-bdc5d69c0b83", "pos-4c1ebf801573", "cc-ed5e6e88c9eb"] {
            let result = try RetailStore.unify("show", event)
            #expect(result.status == 0)
            #expect(Page(result.stdoutText).lines.first == "Customer \(ines)  Inès Dupuy", "show \(event)")
        }
        let sample = try RetailStore.read { db in
            try Row.fetchAll(db, sql: "SELECT event_id, customer_id FROM event_customers WHERE seq % 400 = 7 ORDER BY seq")
                .map { (event: $0[0] as String, customer: $0[1] as String) }
        }
        #expect(sample.count >= 9)
        for (event, customer) in sample {
            let shown = try RetailStore.json(try RetailStore.unify("show", "--json", event))
            #expect(shown["customer_id"] as? String == customer, "show \(event)")
        }
    }

    @Test func showFailsWithExitCodeOneWhenNothingMatches() throws {
        for arguments in [["show", "nothing@nowhere.example"], ["show", "--json", "nothing@nowhere.example"]] {
            let result = try RetailStore.unify(arguments)
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("nothing in unify.db matches 'nothing@nowhere.example'"), "\(result.stderr)")
        }
    }

    @Test func anEmptyQueryIsAUsageError() throws {
        let show = try RetailStore.unify("show", "  ")
        #expect(show.status == 2 && show.stderr.contains("the one given is empty"))
        let explain = try RetailStore.unify("explain", "LOY354046", "\n")
        #expect(explain.status == 2 && explain.stderr.contains("the second is empty"))
        #expect(try RetailStore.unify("show", "\n").status == 2)
    }

    @Test func showOnAStoreLeftUnresolvedSaysWhatToRun() throws {
        let workspace = try Workspace()
        let file = try workspace.write("web.ndjson", lines: [
            #"{"type":"identify","messageId":"m1","userId":"u1","traits":{"email":"a@x.fr"},"timestamp":"2025-01-01T10:00:00Z"}"#,
        ])
        #expect(try UnifyBinary.run(["ingest", "--no-resolve", file], in: workspace.url).status == 0)
        let result = try UnifyBinary.run(["show", "a@x.fr"], in: workspace.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("1 logged event(s) wait for identity resolution (run `unify resolve --db unify.db`)"))
        #expect(try UnifyBinary.run(["resolve"], in: workspace.url).status == 0)
        #expect(try UnifyBinary.run(["show", "a@x.fr"], in: workspace.url).status == 0)
    }

    @Test func aJunkValueIsKnownButBelongsToNoCustomer() throws {
        // The fixtures' tills type noemail@shop.fr when a customer gives no email.
        let result = try RetailStore.unify("show", "NoEmail@Shop.fr")
        #expect(result.status == 1 && result.stdout.isEmpty)
        #expect(result.stderr.contains("email:noemail@shop.fr is in unify.db, but belongs to no customer: it is a placeholder"),
                "\(result.stderr)")
    }

    @Test(arguments: [["show", "LOY354046"], ["stats"], ["export", "events"], ["explain", "a", "b"], ["rejects"]])
    func readingCommandsNeverCreateAStore(arguments: [String]) throws {
        let workspace = try Workspace()
        let result = try UnifyBinary.run(arguments + ["--db", "typo.db"], in: workspace.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("there is no store at typo.db"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("typo.db")))
    }

    @Test(arguments: [
        ["show"], ["show", "a", "b"], ["show", "--bogus", "LOY354046"], ["show", "LOY354046", "--as-of", "notadate"],
        ["show", "LOY354046", "--touchpoints=-1"], ["show", "LOY354046", "--touchpoints", "many"],
        ["export"], ["export", "customers"], ["export", "events", "--format", "xml"],
        ["export", "profiles", "--as-of", "yesterday"], ["export", "events", "--as-of", "2025-01-01"],
        ["export", "events", "--json"], ["stats", "--as-of", "bad"], ["stats", "extra"],
    ])
    func usageErrorsExitWithTwo(arguments: [String]) throws {
        let result = try RetailStore.unify(arguments)
        #expect(result.status == 2, "unify \(arguments.joined(separator: " ")): \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("Usage: unify \(arguments[0])"))
    }

    // MARK: show --json, --as-of, --touchpoints

    @Test func showJSONHasEveryPartOfTheProfile() throws {
        let ines = try RetailStore.customer(of: "loyalty_id:LOY354046")
        let result = try RetailStore.unify("show", "LOY354046", "--json")
        #expect(result.status == 0)
        let profile = try RetailStore.json(result)
        for key in ["customer_id", "former_ids", "identifiers", "traits", "stage", "stage_since", "journey", "consents",
                    "orders", "channels", "touchpoints", "as_of", "first_seen", "last_seen", "events"] {
            #expect(profile[key] != nil, "no \(key)")
        }
        #expect(profile["customer_id"] as? String == ines)
        let identifiers = try #require(profile["identifiers"] as? [String])
        let known = try RetailStore.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM identities WHERE customer_id = ?", arguments: [ines])
        }
        #expect(Set(identifiers) == Set(known))
        #expect(identifiers.contains("email:ines.dupuy84@orange.fr") && identifiers.contains("phone:+33691740474"))

        let traits = try #require(profile["traits"] as? [String: [String: Any]])
        #expect(traits["email"]?["value"] as? String == "ines.dupuy84@orange.fr")
        #expect(traits["lastName"]?["value"] as? String == "Dupuy")
        let address = try #require(traits["address"])
        #expect((address["value"] as? [String: Any])?["city"] as? String == "Paris")
        #expect(address["source"] as? String == "pos" && address["event_id"] as? String == "pos-604301688be3")

        let latest = try #require(try RetailStore.json(try RetailStore.unify("stats", "--json"))["last_event_time"] as? String)
        #expect(profile["as_of"] as? String == latest)
        #expect(profile["stage"] as? String == "dormant")
        #expect(profile["stage_since"] as? String == "2026-07-09T19:26:52.382Z")
        let journey = try #require(profile["journey"] as? [[String: Any]])
        #expect(journey.compactMap { $0["stage"] as? String }
            == ["awareness", "consideration", "decision", "customer", "loyal", "dormant"])
        #expect(journey[4]["event_id"] as? String == "pos-4c1ebf801573")
        #expect(journey[5]["reason"] as? String == "no activity for 180 days")

        let consents = try #require(profile["consents"] as? [String: [String: Any]])
        #expect(Set(consents.keys) == ["email", "sms"])
        #expect(consents["email"]?["granted"] as? Bool == true)
        #expect(consents["email"]?["event_id"] as? String == "pos-604301688be3")

        let orders = try #require(profile["orders"] as? [String: Any])
        #expect(orders["count"] as? Int == 5)
        // Numbers, not text, for whoever loads the JSON; exact to the cent.
        let revenue = try #require(orders["revenue"] as? [String: Any])
        #expect((revenue["EUR"] as? NSNumber)?.decimalValue == Decimal(string: "971.50"))
        #expect(!(revenue["EUR"] is String))
        let basket = try #require(orders["average_basket"] as? [String: Any])
        #expect((basket["EUR"] as? NSNumber)?.decimalValue == Decimal(string: "194.30"))
        #expect(orders["last"] as? String == "2025-12-18T12:31:56.297Z")

        let channels = try #require(profile["channels"] as? [String: [String: Any]])
        #expect(channels.mapValues { $0["events"] as? Int } == [
            "web": 20, "app": 17, "email": 4, "store": 3, "sms": 2, "call_center": 1,
        ])
        #expect(channels["store"]?["online"] as? Bool == false && channels["app"]?["online"] as? Bool == true)

        let touchpoints = try #require(profile["touchpoints"] as? [[String: Any]])
        #expect(touchpoints.count == 10)
        let times = touchpoints.compactMap { $0["time"] as? String }
        #expect(times.count == 10 && times == times.sorted(by: >))
        #expect(touchpoints.first?["event_id"] as? String == "sms-161148141b54")
        #expect(touchpoints.first?["name"] as? String == "SMS Delivered")
    }

    @Test func asOfGivesTheStageAtThatDate() throws {
        // Inès: loyal from 2025-01-20, dormant from 2026-07-09.
        let before = try RetailStore.json(try RetailStore.unify("show", "LOY354046", "--json", "--as-of", "2026-03-01"))
        #expect(before["as_of"] as? String == "2026-03-01T00:00:00.000Z")
        #expect(before["stage"] as? String == "loyal")
        #expect(before["stage_since"] as? String == "2025-01-20T11:38:00.000Z")
        #expect(before["dormant_since"] is NSNull)
        #expect(before["becomes_dormant"] as? String == "2026-07-09T19:26:52.382Z")
        #expect((before["journey"] as? [[String: Any]])?.last?["stage"] as? String == "loyal")
        let page = Page(try RetailStore.unify("show", "LOY354046", "--as-of", "2026-03-01").stdoutText)
        #expect(page.lines.contains("Stage        loyal since 2025-01-20 (as of 2026-03-01)"))
        #expect(page.lines.contains("             dormant from 2026-07-09 unless they are active again"))
        let early = try RetailStore.json(try RetailStore.unify("show", "LOY354046", "--json", "--as-of", "2024-04-01"))
        #expect(early["stage"] as? String == "consideration")

        // Customers that `unify export profiles` calls dormant now, seen just before they fell dormant.
        let profiles = try RetailStore.ndjson(try RetailStore.unify("export", "profiles"))
        let dormant = profiles.filter { $0["stage"] as? String == "dormant" && ($0["journey"] as? [Any])?.count ?? 0 >= 2 }
        #expect(dormant.count > 100)
        for profile in dormant.prefix(6) {
            let id = try #require(profile["customer_id"] as? String)
            let since = try #require(Self.date(profile["dormant_since"]))
            let journey = try #require(profile["journey"] as? [[String: Any]])
            #expect(journey.last?["stage"] as? String == "dormant")
            let earlier = journey[journey.count - 2]
            let day = ISO8601DateFormatter().string(from: since.addingTimeInterval(-86_400))

            let now = try RetailStore.json(try RetailStore.unify("show", id, "--json"))
            #expect(now["stage"] as? String == "dormant")
            let then = try RetailStore.json(try RetailStore.unify("show", id, "--json", "--as-of", day))
            #expect(then["stage"] as? String == earlier["stage"] as? String, "\(id) as of \(day)")
            #expect(then["stage"] as? String != "dormant")
            #expect(then["dormant_since"] is NSNull)
            #expect(then["becomes_dormant"] as? String == profile["dormant_since"] as? String)
            // export profiles --as-of agrees with show --as-of.
            let exported = try RetailStore.ndjson(try RetailStore.unify("export", "profiles", "--as-of", day))
            #expect(exported.first { $0["customer_id"] as? String == id }?["stage"] as? String == then["stage"] as? String)
        }
    }

    @Test func touchpointsLimitsTheList() throws {
        let all = try #require(try RetailStore.json(try RetailStore.unify("show", "LOY354046", "--json"))["touchpoints"]
            as? [[String: Any]])
        let three = try #require(try RetailStore.json(try RetailStore.unify("show", "LOY354046", "--json", "--touchpoints", "3"))["touchpoints"]
            as? [[String: Any]])
        #expect(three.count == 3)
        #expect(three.map { $0["event_id"] as? String } == all.prefix(3).map { $0["event_id"] as? String })
        let page = Page(try RetailStore.unify("show", "LOY354046", "--touchpoints", "3").stdoutText)
        #expect(page.section("Latest touchpoints").count == 1 + 3)
        let none = try RetailStore.json(try RetailStore.unify("show", "LOY354046", "--json", "--touchpoints", "0"))
        #expect((none["touchpoints"] as? [Any])?.isEmpty == true)
        #expect(!Page(try RetailStore.unify("show", "LOY354046", "--touchpoints", "0").stdoutText).lines
            .contains("Latest touchpoints"))
        let negative = try RetailStore.unify("show", "LOY354046", "--touchpoints", "-1")
        #expect(negative.status == 2)
        #expect(negative.stderr.contains("--touchpoints must be 0 or more"))
    }

    // MARK: export

    @Test func exportEventsListsEveryEventOnceWithItsCustomer() throws {
        let events = try RetailStore.ndjson(try RetailStore.unify("export", "events"))
        let (logged, owners, raw) = try RetailStore.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM events")!,
             Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT event_id, customer_id FROM event_customers")
                .map { ($0[0] as String, $0[1] as String) }),
             Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT event_id, raw FROM events")
                .map { ($0[0] as String, $0[1] as String) }))
        }
        #expect(events.count == logged)
        #expect(logged == 3_672)
        let ids = events.compactMap { $0["event_id"] as? String }
        #expect(ids.count == events.count && Set(ids).count == ids.count)
        #expect(Set(ids) == (try RetailStore.fixtureEventIDs()))
        #expect(Set(events.compactMap { $0["seq"] as? Int }) == Set(1...logged))

        var wrong: [String] = []
        for event in events {
            let id = event["event_id"] as? String ?? "?"
            if event["customer_id"] as? String != owners[id] { wrong.append("customer of \(id)") }
            let payload = try JSONSerialization.jsonObject(with: Data((raw[id] ?? "").utf8))
            if !((event["payload"] as? NSDictionary)?.isEqual(payload) ?? false) { wrong.append("payload of \(id)") }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")

        let ines = try RetailStore.customer(of: "loyalty_id:LOY354046")
        let registration = try #require(events.first { $0["event_id"] as? String == "6b710b1d-7835-4243-b37e-bdc5d69c0b83" })
        #expect(registration["customer_id"] as? String == ines)
        #expect(registration["kind"] as? String == "identify")
        #expect(registration["time"] as? String == "2024-05-11T11:09:22.307Z")
        #expect(registration["channel"] as? String == "web")
        #expect((registration["input"] as? String)?.hasSuffix("Fixtures/retail/web.ndjson") == true)
        #expect(registration["line"] as? Int == 123)
    }

    @Test func exportEventsAsCSVHoldsTheSameRecords() throws {
        let ndjson = try RetailStore.ndjson(try RetailStore.unify("export", "events"))
        let result = try RetailStore.unify("export", "events", "--format", "csv")
        #expect(result.status == 0)
        let table = try CSV.table(result.stdoutText)
        #expect(table.header == ["event_id", "seq", "customer_id", "time", "kind", "name", "channel", "source", "input", "line", "payload"])
        #expect(table.rows.count == 3_672)
        #expect(RetailStore.differences(ndjson, table).isEmpty, "\(RetailStore.differences(ndjson, table).prefix(5))")
        // The payload is the original line, quoted: commas, doubled quotes and accents survive.
        let receipt = try #require(table.rows.first { $0["event_id"] == "pos-4c1ebf801573" })
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(receipt["payload"]!.utf8)) as? [String: Any])
        #expect((payload["identifiers"] as? [String: String])?["email"] == "Ines.Dupuy84@Orange.FR ")
        #expect((payload["traits"] as? [String: String])?["firstName"] == "Inès")
        #expect(receipt["source"] == "pos" && receipt["channel"] == "store" && receipt["name"] == "Order Completed")
    }

    @Test func exportProfilesHasOneRowPerCustomer() throws {
        let profiles = try RetailStore.ndjson(try RetailStore.unify("export", "profiles"))
        let (customers, view, identities, traits) = try RetailStore.read { db in
            (try String.fetchAll(db, sql: "SELECT printf('cus_%016x', customer) FROM customers"),
             try Row.fetchAll(db, sql: "SELECT customer_id, first_seen, last_seen, events, orders, stage, stage_since FROM profiles"),
             try Row.fetchAll(db, sql: "SELECT customer_id, identifier FROM identities WHERE customer_id IS NOT NULL"),
             try Row.fetchAll(db, sql: "SELECT customer_id, trait FROM traits"))
        }
        let ids = profiles.compactMap { $0["customer_id"] as? String }
        #expect(profiles.count == customers.count)
        #expect(ids.count == Set(ids).count)
        #expect(Set(ids) == Set(customers))

        let byID = Dictionary(uniqueKeysWithValues: profiles.map { ($0["customer_id"] as? String ?? "", $0) })
        var wrong: [String] = []
        for row in view {
            let id: String = row["customer_id"]
            guard let profile = byID[id] else { wrong.append("no profile \(id)"); continue }
            for column in ["first_seen", "last_seen", "stage", "stage_since"] where profile[column] as? String != row[column] as String? {
                wrong.append("\(id) \(column)")
            }
            for column in ["events", "orders"] where profile[column] as? Int != row[column] as Int? {
                wrong.append("\(id) \(column)")
            }
        }
        for (id, rows) in Dictionary(grouping: identities, by: { $0["customer_id"] as String }) {
            let listed = byID[id]?["identifiers"] as? [String] ?? []
            if Set(listed) != Set(rows.map { $0["identifier"] as String }) { wrong.append("identifiers of \(id)") }
        }
        for (id, rows) in Dictionary(grouping: traits, by: { $0["customer_id"] as String }) {
            if Set(((byID[id]?["traits"] as? [String: Any]) ?? [:]).keys) != Set(rows.map { $0["trait"] as String }) {
                wrong.append("traits of \(id)")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")

        let ines = try #require(byID[try RetailStore.customer(of: "loyalty_id:LOY354046")])
        #expect(ines["orders"] as? Int == 5 && ines["currency"] as? String == "EUR")
        #expect((ines["revenue"] as? NSNumber)?.doubleValue == 971.5)
        #expect((ines["traits"] as? [String: [String: Any]])?["birthday"]?["value"] as? String == "1984-12-04")

        let result = try RetailStore.unify("export", "profiles", "--format", "csv")
        let table = try CSV.table(result.stdoutText)
        #expect(table.header == [
            "customer_id", "first_seen", "last_seen", "events", "online_events", "offline_events", "orders", "currency",
            "revenue", "average_basket", "revenue_by_currency", "first_order", "last_order", "stage", "stage_since",
            "dormant_since", "becomes_dormant", "identifiers", "traits", "consents", "channels", "journey", "nps", "csat",
        ])
        #expect(table.rows.count == customers.count)
        #expect(RetailStore.differences(profiles, table).isEmpty, "\(RetailStore.differences(profiles, table).prefix(5))")
    }

    @Test func exportIdentitiesListsEveryIdentifierWithItsCustomer() throws {
        let stored = try RetailStore.read { db in
            try Row.fetchAll(db, sql: """
                SELECT kind, value, status, CASE WHEN customer IS NOT NULL THEN printf('cus_%016x', customer) END FROM identifiers
                WHERE kind != 'record'
                """).map { "\($0[0] as String)|\($0[1] as String)|\($0[2] as String)|\($0[3] as String? ?? "-")" }
        }
        #expect(stored.count == 1_118)
        let identities = try RetailStore.ndjson(try RetailStore.unify("export", "identities"))
        #expect(identities.count == stored.count)
        let exported = identities.map { row in
            "\(row["kind"] as? String ?? "?")|\(row["value"] as? String ?? "?")|\(row["status"] as? String ?? "?")|\(row["customer_id"] as? String ?? "-")"
        }
        #expect(Set(exported) == Set(stored))
        #expect(identities.allSatisfy { $0["identifier"] as? String == "\($0["kind"] as? String ?? ""):\($0["value"] as? String ?? "")" })
        // Junk and hubs are listed, with no customer.
        let noemail = try #require(identities.first { $0["identifier"] as? String == "email:noemail@shop.fr" })
        #expect(noemail["status"] as? String == "junk" && noemail["customer_id"] is NSNull)
        let ines = try RetailStore.customer(of: "loyalty_id:LOY354046")
        #expect(identities.first { $0["identifier"] as? String == "phone:+33691740474" }?["customer_id"] as? String == ines)

        let table = try CSV.table(try RetailStore.unify("export", "identities", "--format", "csv").stdoutText)
        #expect(table.header == ["identifier", "kind", "value", "status", "customer_id"])
        #expect(table.rows.count == stored.count)
        #expect(RetailStore.differences(identities, table).isEmpty, "\(RetailStore.differences(identities, table).prefix(5))")
    }

    @Test func csvQuotesCommasQuotesAndLineBreaks() throws {
        #expect(try CSV.parse("a,\"b,\"\"c\"\"\r\nd\",\n\"\",x\r\n") == [["a", "b,\"c\"\r\nd", ""], ["", "x"]])
        #expect(throws: CSV.Malformed.self) { try CSV.parse("a,\"b\n") }
        #expect(throws: CSV.Malformed.self) { try CSV.parse("a,b\"c\n") }

        let workspace = try Workspace()
        let line = #"{"id":"n-1","event":"Said \"hi\",\nthen left","timestamp":"2025-01-01T10:00:00Z","channel":"store","identifiers":{"email":"a@x.fr"},"traits":{"firstName":"Anne, \"la\"\nGrande","address":{"street":"1, rue \"X\"","city":"Paris"}}}"#
        let file = try workspace.write("odd.ndjson", lines: [line])
        #expect(try UnifyBinary.run(["ingest", file], in: workspace.url).status == 0)

        let events = try CSV.table(try UnifyBinary.run(["export", "events", "--format", "csv"], in: workspace.url).stdoutText)
        #expect(events.rows.count == 1)
        #expect(events.rows.first?["name"] == "Said \"hi\",\nthen left")
        #expect(events.rows.first?["payload"] == line)
        let ndjson = try RetailStore.ndjson(try UnifyBinary.run(["export", "events"], in: workspace.url))
        #expect(RetailStore.differences(ndjson, events).isEmpty)

        let profiles = try CSV.table(try UnifyBinary.run(["export", "profiles", "--format", "csv"], in: workspace.url).stdoutText)
        #expect(profiles.rows.count == 1)
        let traits = try #require(try JSONSerialization.jsonObject(with: Data((profiles.rows.first?["traits"] ?? "").utf8))
            as? [String: [String: Any]])
        #expect(traits["firstName"]?["value"] as? String == "Anne, \"la\"\nGrande")
        #expect((traits["address"]?["value"] as? [String: String])?["street"] == "1, rue \"X\"")
    }

    /// Amounts past a Double's 15 significant digits keep their cents in `show --json`, and a
    /// long trait name widens the traits' column only so far.
    @Test func largeAmountsAreExactInTheJSONAndLongNamesKeepThePageNarrow() throws {
        let workspace = try Workspace()
        var lines = (0..<1_000).map { #"{"id":"o-\#($0)","event":"Order Completed","timestamp":"2025-01-01T10:00:00Z","identifiers":{"email":"a@x.fr"},"properties":{"total":1000000000000}}"# }
        lines.append(#"{"id":"o-cent","event":"Order Completed","timestamp":"2025-01-02T10:00:00Z","identifiers":{"email":"a@x.fr"},"properties":{"total":0.01},"traits":{"preferredStoreForClickAndCollectPickups":"Lyon","firstName":"Anne","note":"\#(String(repeating: "a", count: 36))\u001btail"}}"#)
        #expect(try UnifyBinary.run(["ingest", try workspace.write("big.ndjson", lines: lines)], in: workspace.url).status == 0)
        let json = try UnifyBinary.run(["show", "a@x.fr", "--json"], in: workspace.url).stdoutText
        #expect(json.contains(#""revenue":{"EUR":1000000000000000.01}"#), "\(json)")
        let traits = Page(try UnifyBinary.run(["show", "a@x.fr"], in: workspace.url).stdoutText).section("Traits")
        #expect(traits.first == "Traits".padding(toLength: 2 + 24 + 42, withPad: " ", startingAt: 0) + "from")
        #expect(traits.contains { $0.hasPrefix("  firstName               Anne ") }, "\(traits)")
        #expect(traits.contains { $0.hasPrefix("  preferredStoreForClickAndCollectPickups Lyon") }, "\(traits)")
        // A value is cut between escapes, never inside one.
        #expect(traits.contains { $0.hasPrefix("  note ") && $0.contains(String(repeating: "a", count: 36) + "… ") }, "\(traits)")
    }

    @Test func controlCharactersInTheDataArePrintedAsEscapes() throws {
        let workspace = try Workspace()
        let line = #"{"id":"c-1","event":"Paid\n\u001b[31mtwice","timestamp":"2025-01-01T10:00:00Z","channel":"store","identifiers":{"email":"a@x.fr"},"traits":{"firstName":"Anne\tMarie","preferredStoreName":"Lyon\u001bPart-Dieu"}}"#
        let file = try workspace.write("odd.ndjson", Array((line + "\n").utf8) + [0x00, 0x1B, 0x0A])
        #expect(try UnifyBinary.run(["ingest", file], in: workspace.url).status == 0)

        let page = try UnifyBinary.run(["show", "a@x.fr"], in: workspace.url).stdoutText
        #expect(page.contains(#"Paid\n\u{1B}[31mtwice"#))
        #expect(page.contains(#"Anne\tMarie"#))
        // Escapes and a long trait name keep the columns: each origin under "from".
        let traits = Page(page).section("Traits")
        let column = try #require(traits.first?.firstRange(of: "from")).lowerBound
        let origin = traits.first!.distance(from: traits.first!.startIndex, to: column)
        #expect(traits.count >= 3)
        for line in traits.dropFirst() {
            #expect(line.count == origin + "2025-01-01".count && line.hasSuffix(" 2025-01-01"), "\(traits)")
        }
        #expect(traits.contains { $0.hasPrefix("  preferredStoreName  Lyon\\u{1B}Part-Dieu ") }, "\(traits)")
        let rejects = try UnifyBinary.run(["rejects"], in: workspace.url).stdoutText
        #expect(rejects.contains(#"\u{0}\u{1B}"#))

        // A right-to-left override and a C1 escape in a name, an escape in a channel outside
        // the list, and one in a type the strict ingest stops at.
        let more = try workspace.write("more.ndjson", lines: [
            #"{"id":"c-2","event":"Evil\u202Eeman\u009B2J","timestamp":"2025-01-02T10:00:00Z","channel":"kio\u001bsk","identifiers":{"email":"a@x.fr"}}"#,
            #"{"type":"tr\u001back","messageId":"c-3","userId":"u1"}"#,
        ])
        let strict = try UnifyBinary.run(["ingest", "--strict", more], in: workspace.url)
        #expect(strict.status == 3)
        let stats = try UnifyBinary.run(["stats"], in: workspace.url).stdoutText
        #expect(stats.contains(#"kio\u{1B}sk"#))
        // The escaped label is counted as printed: the counts stay right-aligned.
        let channels = Page(stats).section("events per channel").dropFirst()
        let ends = Set(channels.compactMap { line in
            line.firstMatch(of: /^  \S+ +[0-9,]+/).map { line.distance(from: line.startIndex, to: $0.range.upperBound) }
        })
        #expect(channels.count >= 2 && ends.count == 1, "\(stats)")
        let explanation = try UnifyBinary.run(["explain", "a@x.fr", "c-2"], in: workspace.url).stdoutText
        // A line break in an event's name stays on its step's line.
        let named = try UnifyBinary.run(["explain", "c-2", "c-1"], in: workspace.url).stdoutText
        let step = named.split(separator: "\n").filter { $0.contains("in event c-1 ") }
        #expect(step.count == 1 && step.first?.contains(#"Paid\n\u{1B}[31mtwice"#) == true, "\(named)")
        let secondPage = try UnifyBinary.run(["show", "a@x.fr"], in: workspace.url).stdoutText
        #expect(secondPage.contains(#"Evil\u{202E}eman\u{9B}2J"#))
        for output in [page, rejects, strict.stderr, stats, explanation, named, secondPage] {
            #expect(!output.unicodeScalars.contains { scalar in
                (scalar.value < 0x20 && scalar != "\n") || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x202E
            }, "\(output)")
        }
        // Machine formats keep the values as they are.
        let json = try RetailStore.json(try UnifyBinary.run(["show", "a@x.fr", "--json"], in: workspace.url))
        #expect((json["touchpoints"] as? [[String: Any]])?.first { $0["event_id"] as? String == "c-1" }?["name"] as? String
                == "Paid\n\u{1B}[31mtwice")
    }

    // MARK: stats

    @Test func statsCountsTheStoreAndItsCustomersPerStage() throws {
        let result = try RetailStore.unify("stats")
        #expect(result.status == 0)
        let page = Page(result.stdoutText)
        let customers = try RetailStore.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM customers")! }
        #expect(page.lines.first == "unify.db")
        #expect(page.lines.contains("  events      3,672"))
        #expect(page.lines.contains("  rejects     0"))
        #expect(page.lines.contains("  customers   \(customers)"))
        #expect(customers > 300 && customers < 1_000)
        #expect(page.lines.contains("  time span   2024-01-01T12:45:10.057Z … 2026-10-30T21:48:33.000Z"))
        let stages = Self.counts(page.section("customers per stage, as of 2026-10-30T21:48:33.000Z"))
        #expect(stages.values.reduce(0, +) == customers)
        #expect(Set(stages.keys).isSuperset(of: ["awareness", "consideration", "decision", "customer", "loyal", "advocate", "dormant"]))

        let json = try RetailStore.json(try RetailStore.unify("stats", "--json"))
        #expect(json["events"] as? Int == 3_672 && json["customers"] as? Int == customers)
        #expect(json["as_of"] as? String == "2026-10-30T21:48:33.000Z")
        #expect(Self.counts(json["stages"]) == stages)
        // The stages of `unify export profiles` are the same.
        let profiles = try RetailStore.ndjson(try RetailStore.unify("export", "profiles"))
        #expect(Dictionary(grouping: profiles) { $0["stage"] as? String ?? "(none)" }.mapValues(\.count) == stages)
        #expect(Self.counts(json["customers_per_channel"])["store"] ?? 0 > 0)
        #expect(Self.counts(json["channels"]).values.reduce(0, +) == 3_672)
        // A channel outside the list is flagged in both sections that name it.
        #expect(page.section("customers per channel").contains { $0.hasPrefix("  kiosk ") && $0.hasSuffix("  not in the list: other") })
        #expect(page.section("events per channel").contains { $0.hasPrefix("  kiosk ") && $0.hasSuffix(", not in the list: other") })
    }

    @Test func statsAsOfCountsStagesAtThatDate() throws {
        var dormant: [Int] = []
        for day in ["2024-06-30", "2025-06-30", "2026-01-01"] {
            let result = try RetailStore.unify("stats", "--as-of", day)
            #expect(result.status == 0)
            let text = Self.counts(Page(result.stdoutText).section("customers per stage, as of \(day)T00:00:00.000Z"))
            let json = try RetailStore.json(try RetailStore.unify("stats", "--as-of", day, "--json"))
            #expect(json["as_of"] as? String == "\(day)T00:00:00.000Z")
            let stages = Self.counts(json["stages"])
            #expect(text == stages)
            dormant.append(stages["dormant"] ?? 0)

            // Each stage as export profiles --as-of counts it; customers first seen later are
            // counted apart, so that the counts add up to every customer.
            let profiles = try RetailStore.ndjson(try RetailStore.unify("export", "profiles", "--as-of", day))
            let seen = profiles.filter { ($0["first_seen"] as? String ?? "9") <= "\(day)T00:00:00.000Z" }
            var expected = Dictionary(grouping: seen) { $0["stage"] as? String ?? "(none)" }.mapValues(\.count)
            expected["(not yet seen)"] = profiles.count - seen.count
            #expect(expected == stages)
            #expect(stages.values.reduce(0, +) == json["customers"] as? Int)
        }
        dormant.append(Self.counts(try RetailStore.json(try RetailStore.unify("stats", "--json"))["stages"])["dormant"] ?? 0)
        #expect(dormant == dormant.sorted() && Set(dormant).count == dormant.count, "dormant customers: \(dormant)")
        #expect(dormant.first! > 0)
        let later = Self.counts(try RetailStore.json(try RetailStore.unify("stats", "--json", "--as-of", "2030-01-01"))["stages"])
        #expect(Set(later.keys).isSubset(of: ["dormant", "churned", "(none)"]))
    }

    // MARK: reading leaves the store as it was

    /// The reading commands open the store read-only: the file is the same bytes afterwards
    /// (opening it for writing committed an empty schema change that the close then wrote
    /// into the file), and a store in a folder SQLite cannot share it from is still read.
    @Test func readingCommandsLeaveTheStoreFileAsItWas() throws {
        let workspace = try Workspace()
        try RetailStore.ingest(in: workspace.url)
        let database = workspace.path("unify.db")
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let commands = [
            ["show", "ines.dupuy84@orange.fr"], ["stats"], ["export", "profiles"], ["rejects"],
            ["explain", "ines.dupuy84@orange.fr", "LOY354046"],
        ]
        var outputs: [Data] = []
        for command in commands {
            let result = try UnifyBinary.run(command, in: workspace.url)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            outputs.append(result.stdout)
        }
        let page = String(decoding: outputs[0], as: UTF8.self)
        #expect(page.hasPrefix("Customer cus_") && page.components(separatedBy: "\n")[0].hasSuffix("  Inès Dupuy"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before, "a reading command wrote to the store")

        // Where no `-shm` file can be made (a directory stands in its place), the store is
        // read as immutable, and the commands answer as before.
        try FileManager.default.removeItem(atPath: database + "-shm")
        try? FileManager.default.removeItem(atPath: database + "-wal")
        try FileManager.default.createDirectory(atPath: database + "-shm", withIntermediateDirectories: false)
        for (command, output) in zip(commands, outputs) {
            let result = try UnifyBinary.run(command, in: workspace.url)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect(result.stdout == output, "\(command)")
        }
        #expect(try UnifyBinary.run(["ingest", RetailStore.files[0].path], in: workspace.url).status == 1)
    }

    // MARK: rebuild

    @Test func rebuildDerivesTheSameProjectionsRowForRow() throws {
        let workspace = try Workspace()
        try RetailStore.ingest(in: workspace.url)
        let database = workspace.path("unify.db")
        let queries = [
            "SELECT * FROM customers ORDER BY customer", "SELECT * FROM identifiers ORDER BY kind, value",
            "SELECT * FROM customer_redirects ORDER BY retired_id", "SELECT * FROM event_customers ORDER BY seq",
            "SELECT * FROM profiles ORDER BY customer_id", "SELECT * FROM traits ORDER BY customer_id, trait",
            "SELECT * FROM consents ORDER BY customer_id, channel", "SELECT * FROM journey ORDER BY customer_id, step",
        ]
        func snapshot() throws -> [[Row]] {
            try DatabaseQueue(path: database).read { db in try queries.map { try Row.fetchAll(db, sql: $0) } }
        }
        let before = try snapshot()
        #expect(before.allSatisfy { !$0.isEmpty })
        let exported = try UnifyBinary.run(["export", "profiles"], in: workspace.url).stdout
        // Spoil derived rows, so that only a real rebuild gives them back. (Retired ids are
        // history, kept by a rebuild rather than derived again: they are compared, not spoilt.)
        try DatabaseQueue(path: database).write { db in
            try db.execute(sql: "UPDATE customers SET stage = 'spoilt', profile = '{}' WHERE customer IN (SELECT customer FROM customers LIMIT 5)")
        }

        let result = try UnifyBinary.run(["rebuild"], in: workspace.url)
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("rebuilt in "))
        let after = try snapshot()
        for (index, query) in queries.enumerated() {
            #expect(after[index].count == before[index].count, "\(query)")
            #expect(after[index] == before[index], "\(query)")
        }
        #expect(try UnifyBinary.run(["export", "profiles"], in: workspace.url).stdout == exported)
    }

    // MARK: helpers

    /// `[{"label","count"}]` from `stats --json`, or the lines of a section of `stats`.
    static func counts(_ value: Any?) -> [String: Int] {
        if let lines = value as? [String] {
            return Dictionary(uniqueKeysWithValues: lines.dropFirst().map { line in
                // `  label  1,234`: the label may hold single spaces (`(not yet seen)`).
                let parts = line.trimmingCharacters(in: .whitespaces).components(separatedBy: "  ").filter { !$0.isEmpty }
                return (parts[0], Int(parts[1].filter(\.isNumber)) ?? -1)
            })
        }
        let counts = value as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: counts.map { ($0["label"] as? String ?? "?", $0["count"] as? Int ?? -1) })
    }

    static func date(_ value: Any?) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return (value as? String).flatMap(formatter.date(from:))
    }
}

/// The retail fixtures ingested once by the built binary, for the tests that only read the store.
enum RetailStore {
    static let files = ["web", "app", "email", "sms", "pos", "callcenter", "postal"].map(fixture)

    static func fixture(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("Fixtures/retail/\(name).ndjson")
    }

    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unify-cli-retail-\(UUID().uuidString)")

    private static let ingested: Result<URL, any Error> = Result {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: RetailStore.folder) }
        try ingest(in: folder)
        return folder
    }

    /// Ingests every retail file into `unify.db` in `folder`, as the README's first command does.
    static func ingest(in folder: URL) throws {
        let result = try UnifyBinary.run(["ingest", "--json"] + files.map(\.path), in: folder)
        guard result.status == 0,
              let summary = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any],
              summary["accepted"] as? Int == 3_672, summary["rejected"] as? Int == 0
        else { throw Failure("ingesting the retail fixtures failed (\(result.status)): \(result.stderr)") }
    }

    static func unify(_ arguments: String...) throws -> UnifyBinary.Result { try unify(arguments) }

    static func unify(_ arguments: [String]) throws -> UnifyBinary.Result {
        try UnifyBinary.run(arguments, in: try ingested.get())
    }

    static func read<T>(_ body: (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        return try DatabaseQueue(path: try ingested.get().appendingPathComponent("unify.db").path, configuration: configuration)
            .read(body)
    }

    /// The customer id that owns `identifier` (`kind:value`), read from the store's `identities` view.
    static func customer(of identifier: String) throws -> String {
        let found = try read { db in
            try String.fetchOne(db, sql: "SELECT customer_id FROM identities WHERE identifier = ?", arguments: [identifier])
        }
        return try #require(found, "\(identifier) belongs to no customer")
    }

    static func json(_ result: UnifyBinary.Result) throws -> [String: Any] {
        try #require(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    }

    static func ndjson(_ result: UnifyBinary.Result) throws -> [[String: Any]] {
        try #require(result.status == 0, "\(result.stderr)")
        return try result.stdout.split(separator: UInt8(ascii: "\n")).map {
            try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any])
        }
    }

    /// Every `messageId` (Segment) or `id` (native) of the fixture lines.
    static func fixtureEventIDs() throws -> Set<String> {
        var ids: Set<String> = []
        for file in files {
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                ids.insert(try #require(object["messageId"] as? String ?? object["id"] as? String))
            }
        }
        return ids
    }

    /// Where the CSV rows differ from the NDJSON records of the same export, in order: a null is an
    /// empty field, a number is the same number, an object or array is the same JSON.
    static func differences(_ records: [[String: Any]], _ table: CSV.Table) -> [String] {
        guard records.count == table.rows.count else { return ["\(records.count) records, \(table.rows.count) rows"] }
        var found: [String] = []
        for (index, (record, row)) in zip(records, table.rows).enumerated() {
            if Set(record.keys) != Set(table.header) { found.append("row \(index): keys \(record.keys.sorted())") }
            for column in table.header {
                let field = row[column] ?? "<missing>"
                let same: Bool
                switch record[column] {
                case let text as String: same = field == text
                case is NSNull: same = field.isEmpty
                case let number as NSNumber: same = Double(field) == number.doubleValue
                case let value?:
                    let parsed = try? JSONSerialization.jsonObject(with: Data(field.utf8), options: .fragmentsAllowed)
                    same = (value as? NSObject)?.isEqual(parsed) ?? false
                case nil: same = false
                }
                if !same { found.append("row \(index) \(column): \(record[column] ?? "nil") vs \(field)") }
            }
        }
        return found
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Text output as lines, and its sections: a heading line and what follows up to a blank line.
struct Page {
    let lines: [String]

    init(_ text: String) { lines = text.components(separatedBy: "\n") }

    func section(_ heading: String) -> [String] {
        guard let start = lines.firstIndex(where: { $0.hasPrefix(heading) }) else { return [] }
        let rest = lines[start...]
        let end = rest.dropFirst().firstIndex { $0.isEmpty || !$0.hasPrefix(" ") } ?? lines.endIndex
        return Array(lines[start..<end])
    }
}

/// A strict RFC 4180 reader: records end with CRLF or LF; a field in double quotes may hold
/// commas, line breaks and doubled quotes; a quote anywhere else is an error.
enum CSV {
    struct Malformed: Error { var message: String }

    struct Table {
        var header: [String]
        var rows: [[String: String]]
    }

    static func table(_ text: String) throws -> Table {
        let records = try parse(text)
        guard let header = records.first else { throw Malformed(message: "no header") }
        let rows = try records.dropFirst().enumerated().map { index, record -> [String: String] in
            guard record.count == header.count else {
                throw Malformed(message: "record \(index + 1) has \(record.count) fields, the header \(header.count)")
            }
            return Dictionary(uniqueKeysWithValues: zip(header, record))
        }
        return Table(header: header, rows: rows)
    }

    static func parse(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false, closed = false, started = false
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func endField() {
            record.append(String(field))
            field = String.UnicodeScalarView()
            closed = false
            started = false
        }
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if quoted {
                if scalar == "\"" {
                    if index < scalars.count && scalars[index] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        quoted = false
                        closed = true
                    }
                } else {
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case ",":
                endField()
                started = true
            case "\r", "\n":
                if scalar == "\r" {
                    guard index < scalars.count && scalars[index] == "\n" else { throw Malformed(message: "a lone CR") }
                    index += 1
                }
                endField()
                records.append(record)
                record = []
            case "\"":
                guard field.isEmpty && !closed else { throw Malformed(message: "a quote inside an unquoted field") }
                quoted = true
                started = true
            default:
                if closed { throw Malformed(message: "text after a closing quote") }
                field.append(scalar)
                started = true
            }
        }
        if quoted { throw Malformed(message: "an unterminated quoted field") }
        if started || !field.isEmpty || closed || !record.isEmpty {
            endField()
            records.append(record)
        }
        return records
    }
}
