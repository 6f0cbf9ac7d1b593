/// The projection policy made ready to read events: every rule compiled once, and the
/// questions a profile asks of a trait (its policy, its source ranks).
struct ProjectionRules: Sendable {
    let policy: ProjectionPolicy
    /// Every rule of the policy, numbered, found by event name.
    private let book: RuleBook
    private let orders: RuleSet
    private let passive: RuleSet
    private let nps: RuleSet
    private let csat: RuleSet
    private let stages: [RuleSet]
    private let churn: RuleSet
    private let returns: RuleSet
    private let consentEvents: [(rules: RuleSet, channel: String, granted: Bool)]
    /// The consent properties and traits, in key order (sorted once, not per event).
    private let consentProperties: [(key: String, channel: String)]
    private let consentTraits: [(key: String, channel: String)]
    /// For each trait under source priority, each source's rank (0 is the most trusted).
    private let sourceRanks: [String: [String: Int]]

    init(policy: ProjectionPolicy) {
        self.policy = policy
        var book = RuleBook()
        orders = book.add(policy.profiles.orders.when)
        passive = book.add(policy.profiles.passive)
        nps = book.add(policy.profiles.nps.when)
        csat = book.add(policy.profiles.csat.when)
        stages = policy.journey.stages.prefix(64).map { book.add($0.when) }
        churn = book.add(policy.journey.churn)
        returns = book.add(policy.journey.returns ?? policy.profiles.orders.when)
        consentEvents = policy.consents.events.map { (book.add([$0.when]), $0.channel, $0.granted) }
        consentProperties = policy.consents.properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        consentTraits = policy.consents.traits.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        self.book = book
        var ranks: [String: [String: Int]] = [:]
        for (trait, rule) in policy.profiles.traits where rule.policy == .sourcePriority {
            ranks[trait] = Dictionary(rule.sources.enumerated().map { ($0.element.lowercased(), $0.offset) }) { first, _ in first }
        }
        sourceRanks = ranks
    }

    /// How a trait is reconciled.
    func policy(ofTrait key: String) -> ProfilePolicy.TraitRule.Policy {
        policy.profiles.traits[key]?.policy ?? .latest
    }

    /// The rank of `source` for a trait under source priority: listed sources by position,
    /// all others after them.
    func rank(ofSource source: String?, trait key: String) -> Int {
        guard let ranks = sourceRanks[key] else { return 0 }
        return source.flatMap { ranks[$0.lowercased()] } ?? ranks.count
    }

    var dormantAfter: Int64 { Int64(max(1, policy.journey.dormantAfterDays)) * 86_400_000 }

    /// What `event` tells its customer's profile.
    func facts(of event: Event) -> ProfileFacts {
        let matched = book.matches(event)
        func any(_ rules: RuleSet) -> Bool { rules.isMet(by: matched) }

        var traits: [(key: String, value: String)] = []
        var writer = JSONWriter()
        for member in event.traits {
            switch member.value {
            case .null: continue
            case .string(let text) where text.trimmingWhitespace().isEmpty: continue
            default: break
            }
            writer.reset()
            writer.write(member.value)
            traits.append((member.key, String(decoding: writer.bytes, as: UTF8.self)))
        }

        var order: ProfileFacts.Order?
        if any(orders) {
            let given = policy.profiles.orders.amount.lazy.compactMap { event.properties[$0] }.filter { $0 != .null }
            let amount = given.compactMap(Amount.init).first
            let currency = event.properties["currency"]?.stringValue?.trimmingWhitespace().uppercased()
            order = ProfileFacts.Order(amount: amount,
                                       currency: currency.flatMap { $0.isEmpty ? nil : $0 } ?? policy.profiles.orders.currency,
                                       amountUnreadable: amount == nil && given.first != nil)
        }

        var stageBits: UInt64 = 0
        for (index, rules) in stages.enumerated() where any(rules) { stageBits |= 1 << UInt64(index) }

        var consents: [(channel: String, granted: Bool)] = []
        for consent in consentEvents where any(consent.rules) { consents.append((consent.channel, consent.granted)) }
        if !event.properties.isEmpty {
            for (property, channel) in consentProperties {
                if case .bool(let granted)? = event.properties[property] { consents.append((channel, granted)) }
            }
        }
        if !event.traits.isEmpty {
            for (trait, channel) in consentTraits {
                if case .bool(let granted)? = event.traits[trait] { consents.append((channel, granted)) }
            }
        }

        func score(_ rules: RuleSet, _ survey: ProfilePolicy.SurveyRule) -> Double? {
            guard any(rules) else { return nil }
            return (event.properties[survey.score] ?? event.traits[survey.score])?.doubleValue
        }

        return ProfileFacts(
            time: event.time.millisecondsSince1970, tiebreak: ContentDigest(event.id).integerKey, channel: event.channel?.rawValue,
            source: event.source, isActivity: !any(passive), traits: traits, order: order, stages: stageBits,
            churns: any(churn), returns: any(returns), consents: consents, nps: score(nps, policy.profiles.nps),
            csat: score(csat, policy.profiles.csat))
    }
}

/// A group of rules of the book (any one met is enough).
struct RuleSet: Sendable {
    var ids: [Int]

    func isMet(by matched: RuleMatches) -> Bool { ids.contains { matched.contains($0) } }
}

/// The ids of the rules one event meets: bits for the first 64 (every policy we have seen),
/// a set beyond, so that matching an event allocates nothing.
struct RuleMatches {
    private var first: UInt64 = 0
    private var beyond: Set<Int> = []

    mutating func insert(_ id: Int) {
        if id < 64 { first |= 1 << UInt64(id) } else { beyond.insert(id) }
    }

    func contains(_ id: Int) -> Bool {
        id < 64 ? first & (1 << UInt64(id)) != 0 : beyond.contains(id)
    }
}

/// Every rule of a policy, numbered, with those that name events found by the name: an
/// event is tested against the rules for its name and the rules that name none.
struct RuleBook: Sendable {
    private var rules: [CompiledEventRule] = []
    /// Rule ids by event name, lower-cased: names match whatever their case.
    private var byName: [String: [Int]] = [:]
    private var unnamed: [Int] = []

    /// Adds rules and returns them as a set.
    mutating func add(_ group: [EventRule]) -> RuleSet {
        var ids: [Int] = []
        for rule in group {
            let id = rules.count
            rules.append(CompiledEventRule(rule))
            ids.append(id)
            if let names = rule.events {
                for name in Set(names.map { $0.lowercased() }) { byName[name, default: []].append(id) }
            } else {
                unnamed.append(id)
            }
        }
        return RuleSet(ids: ids)
    }

    /// The ids of the rules `event` meets.
    func matches(_ event: Event) -> RuleMatches {
        var matched = RuleMatches()
        // The name already chose the candidates; unnamed rules have no name to test.
        if let name = event.name, let named = byName[name.lowercasedWithoutCopying()] {
            for id in named where rules[id].matchesBesidesName(event) { matched.insert(id) }
        }
        for id in unnamed where rules[id].matchesBesidesName(event) { matched.insert(id) }
        return matched
    }
}
