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
        state.json(rules: rules, journey: Journey(state, rules: rules))
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
}
