import Testing
@testable import Unify

/// A profile is a fold of its events that must not depend on their order: adding events one
/// by one in any order, or merging the profiles of any split of them, gives the same profile.
@Suite("Profiles merge in any order")
struct ProfileStateAlgebraTests {
    static let rules: ProjectionRules = {
        var policy = ProjectionPolicy()
        policy.profiles.traits["gender"] = .init(policy: .mostFrequent)
        policy.profiles.traits["address"] = .init(policy: .sourcePriority, sources: ["crm", "pos"])
        return ProjectionRules(policy: policy)
    }()

    /// Events with ties in time, repeated values, every kind of fact.
    static func facts(seed: UInt64) -> [ProfileFacts] {
        var random = SeededGenerator(seed: seed)
        let names = ["Order Completed", "Product Viewed", "Product Added", "Newsletter Subscribed", "Unsubscribed",
                     "Subscription Cancelled", "Referral Sent", "NPS Survey Completed", "Email Delivered", "Visit"]
        let channels = ["web", "store", "email", nil]
        let sources = ["crm", "pos", "web", nil]
        return (0..<Int.random(in: 1...25, using: &random)).map { index in
            let day = Int64.random(in: 0...400, using: &random)
            let time = 1_735_689_600_000 + day * 86_400_000 + Int64.random(in: 0...1, using: &random) * 1000
            var traits: [String] = []
            if Bool.random(using: &random) { traits.append(#""city":"\#(["Lyon", "Paris", "Nice"].randomElement(using: &random)!)""#) }
            if Bool.random(using: &random) { traits.append(#""gender":"\#(["F", "M"].randomElement(using: &random)!)""#) }
            if Bool.random(using: &random) { traits.append(#""address":{"city":"\#(["A", "B"].randomElement(using: &random)!)"}"#) }
            if Bool.random(using: &random) { traits.append(#""createdAt":"d\#(day)""#) }
            let name = names.randomElement(using: &random)!
            var properties = #""total":\#(Int.random(in: 1...300, using: &random)).\#(Int.random(in: 0...99, using: &random))"#
            if name.hasPrefix("NPS") { properties += #","score":\#(Int.random(in: 0...10, using: &random))"# }
            if Int.random(in: 0..<5, using: &random) == 0 { properties += #","optin_sms":\#(Bool.random(using: &random))"# }
            let channel = channels.randomElement(using: &random)!
            let source = sources.randomElement(using: &random)!
            let line = #"{"id":"f\#(index)","event":"\#(name)","timestamp":"\#(Timestamp(millisecondsSince1970: time).iso8601)""#
                + (channel.map { #","channel":"\#($0)""# } ?? "") + (source.map { #","source":"\#($0)""# } ?? "")
                + #","identifiers":{"user_id":"u"},"traits":{\#(traits.joined(separator: ","))},"properties":{\#(properties)}}"#
            var facts = rules.facts(of: try! decode(line))
            facts.seq = Int64(index + 1)
            return facts
        }
    }

    static func document(_ state: ProfileState) -> String {
        String(decoding: state.json(rules: rules, journey: Journey(state, rules: rules)), as: UTF8.self)
    }

    @Test(arguments: 1...60)
    func foldingAndMergingInAnyOrderGiveTheSameProfile(seed: UInt64) {
        let facts = Self.facts(seed: seed)
        var reference = ProfileState()
        for fact in facts { reference.add(fact, rules: Self.rules) }
        let expected = Self.document(reference)

        var random = SeededGenerator(seed: seed &* 31)
        for _ in 0..<4 {
            var shuffled = ProfileState()
            for fact in facts.shuffled(using: &random) { shuffled.add(fact, rules: Self.rules) }
            #expect(Self.document(shuffled) == expected, "seed \(seed): the order of events changed the profile")

            // Split into parts, fold each, merge the parts in a random order.
            var parts: [ProfileState] = Array(repeating: ProfileState(), count: Int.random(in: 1...4, using: &random))
            for fact in facts { parts[Int.random(in: 0..<parts.count, using: &random)].add(fact, rules: Self.rules) }
            var merged = ProfileState()
            for part in parts.shuffled(using: &random) { merged.merge(part, rules: Self.rules) }
            #expect(Self.document(merged) == expected, "seed \(seed): merging parts changed the profile")

            // And one event's summary merged is the same as the event added.
            var single = ProfileState()
            for fact in facts { single.merge(ProfileState(fact, rules: Self.rules), rules: Self.rules) }
            #expect(Self.document(single) == expected, "seed \(seed): merging single events changed the profile")
        }
    }

    @Test(arguments: 1...20)
    func aProfileReadsBackAsWritten(seed: UInt64) {
        var state = ProfileState()
        for fact in Self.facts(seed: seed) { state.add(fact, rules: Self.rules) }
        let text = Self.document(state)
        let read = ProfileState(json: text, rules: Self.rules)
        #expect(read.map(Self.document) == text)
    }

    /// A document edited by hand (spacing, members in another order, escapes, a number written
    /// as a string, a key given twice, of which the last counts) reads as the one it stands for;
    /// what is not a profile document reads as nothing.
    @Test func aProfileEditedByHandReadsAsTheDocumentItStandsFor() throws {
        let canonical = #"{"first_seen":1713271810000,"first_event":[44677,1713271810000,6466076464072470361],"last_seen":1717594878000,"last_event":[78818,1717594878000,8012304653664767499],"events":2,"online_events":0,"offline_events":2,"channels":{"call_center":{"events":1,"first":1717594878000,"last":1717594878000},"store":{"events":1,"first":1713271810000,"last":1713271810000}},"traits":{"address":{"value":{"city":"Lyon"},"event":[44677,1713271810000,6466076464072470361],"source":"pos","rank":1},"city":{"value":"Zürich","event":[44677,1713271810000,6466076464072470361]},"nickname":{"value":"","event":[44677,1713271810000,6466076464072470361]},"size":{"value":42,"event":[44677,1713271810000,6466076464072470361]},"firstName":{"value":"Sarah","event":[78818,1717594878000,8012304653664767499],"source":"crm"},"gender":{"value":"F","event":[78818,1717594878000,8012304653664767499],"values":[{"value":"F","count":2,"event":[78818,1717594878000,8012304653664767499]},{"value":"M","count":1,"event":[44677,1713271810000,6466076464072470361]}]}},"orders":{"count":1,"revenue":{"EUR":45.5000},"average_basket":{"EUR":45.50},"by_currency":{"EUR":1},"first":1713271810000,"last":1713271810000},"consents":{"email":{"granted":false,"event":[78818,1717594878000,8012304653664767499],"source":"crm"}},"nps":{"latest":9,"event":[78818,1717594878000,8012304653664767499],"responses":1,"average":9.00,"total_hundredths":900},"summary":{"activity":[[1713271810000,1717594878000]],"stages":[[],[],[],[[44677,1713271810000,6466076464072470361]],[[44677,1713271810000,6466076464072470361]],[[78818,1717594878000,8012304653664767499]]],"churns":[[78818,1717594878000,8012304653664767499]],"returns":[1713271810000]}}"#
        let edited = #"""
            { "summary": { "returns": ["1713271810000"], "churns": [[78818, 1717594878000, 8012304653664767499]],
                           "stages": [[], [], [], [[44677, 1713271810000, 6466076464072470361]],
                                      [[44677, 1713271810000, 6466076464072470361]], [[78818, 1717594878000, 8012304653664767499]]],
                           "activity": [[1713271810000, "1717594878000"]] },
              "events": 99,
              "nps": { "total_hundredths": 900, "responses": 1, "event": [78818, 1717594878000, 8012304653664767499], "latest": "9" },
              "consents": { "email": { "source": "crm", "event": [78818, 1717594878000, 8012304653664767499], "granted": false } },
              "orders": { "last": 1713271810000, "first": 1713271810000, "by_currency": { "EUR": 1 }, "revenue": { "EUR": "45.50" }, "count": 1 },
              "traits": {
                "gender": { "values": [ { "event": [78818, 1717594878000, 8012304653664767499], "count": 2, "value": "F" },
                                        { "value": "M", "count": 1, "event": [44677, 1713271810000, 6466076464072470361] } ] },
                "firstName": { "source": "crm", "event": [78818, 1717594878000, 8012304653664767499], "value": "Sarah" },
                "city": { "value": "Z\u00fcrich", "event": [44677, 1713271810000, 6466076464072470361] },
                "nickname": { "value": "", "event": [44677, 1713271810000, 6466076464072470361] },
                "size": { "value": 42, "event": [44677, 1713271810000, 6466076464072470361] },
                "address": { "rank": "1", "source": "pos", "event": [44677, 1713271810000, 6466076464072470361], "value": {"city": "Lyon"} }
              },
              "channels": { "store": { "last": 1713271810000, "first": 1713271810000, "events": 1 },
                            "call_center": { "events": "1", "first": 1717594878000, "last": 1717594878000 } },
              "offline_events": 2, "online_events": 0, "events": "2",
              "last_event": [78818, 1717594878000, 8012304653664767499], "first_event": [44677, 1713271810000, 6466076464072470361] }
            """#
        let expected = try #require(ProfileState(json: canonical, rules: Self.rules))
        #expect(Self.document(expected).hasPrefix(#"{"first_seen":1713271810000,"first_event":[44677,1713271810000,6466076464072470361]"#))
        #expect(expected.traits.map(\.key) == ["address", "city", "firstName", "gender", "nickname", "size"])
        let read = try #require(ProfileState(json: edited, rules: Self.rules))
        #expect(read == expected)
        #expect(Self.document(read) == Self.document(expected))
        #expect(ProfileState(json: "[1, 2]", rules: Self.rules) == nil)
        #expect(ProfileState(json: #"{"events": 2"#, rules: Self.rules) == nil)
    }

    /// Event references at the limits of 64-bit integers read back, one beyond does not, and
    /// a trait's value keeps its members' order and reads its escapes.
    @Test func aProfileReadsIntegersAtTheirLimitsAndTraitValuesAsWritten() throws {
        let text = #"""
            {"first_event":[1,-9223372036854775808,9223372036854775807],
             "last_event":[2,9223372036854775808,0],
             "events":"+7", "online_events":"7.0", "offline_events":"-",
             "traits":{"address":{"value":{"street":"12 \"bis\" rue","city":"Z\u00fcrich","lines":[1,true,null]},
                                  "event":[1,5,"-6"]}}}
            """#
        let read = try #require(ProfileState(json: text, rules: Self.rules))
        #expect(read.first == ProfileState.Mark(time: .min, tiebreak: .max, seq: 1))
        #expect(read.last == nil, "a time beyond Int64 is no event reference")
        #expect(read.events == 7)
        #expect(read.online == 0 && read.offline == 0, "7.0 and a lone sign are not integers")
        let address = try #require(read.traits.first { $0.key == "address" }?.first)
        #expect(address.value == #"{"street":"12 \"bis\" rue","city":"Zürich","lines":[1,true,null]}"#)
        #expect(address.mark == ProfileState.Mark(time: 5, tiebreak: -6, seq: 1))
    }
}
