/// A customer's profile as a summary of their events that can be merged: adding an event,
/// or merging two customers' summaries, gives the same result in any order.
///
/// That is what keeps profiles order-neutral and cheap: an event arriving late is added like
/// any other, and when identity resolution merges two customers their profiles merge without
/// reading their events again. Every part is a set, a count, a sum of exact amounts, or a
/// register that keeps a winner by a total order (``EventMark``: event time, then a digest of
/// the event id).
/// Only a recomputed component (which can split customers) folds events again.
struct ProfileState: Sendable, Hashable {
    typealias Mark = EventMark

    var first: Mark?
    var last: Mark?
    var events = 0
    /// Times of activity, as spans whose gaps are at most the dormancy period.
    var activity: [ActivitySpan] = []
    var channels: [ChannelTally] = []
    var online = 0
    var offline = 0
    var traits: [TraitState] = []
    var orders = OrderTally()
    /// For each stage of the journey model, its earliest matching events, as many as it needs.
    var stageMarks = StageMarks()
    var churns: [Mark] = []
    /// Times of events that bring a churned customer back.
    var returns: [Int64] = []
    var consents: [ConsentState] = []
    var nps: ScoreTally?
    var csat: ScoreTally?

    init() {}

    /// The summary of one event.
    init(_ facts: ProfileFacts, rules: ProjectionRules) {
        let mark = Mark(time: facts.time, tiebreak: facts.tiebreak, seq: facts.seq)
        first = mark
        last = mark
        events = 1
        if facts.isActivity { activity = [ActivitySpan(start: facts.time, end: facts.time)] }
        if let channel = facts.channel {
            channels = [ChannelTally(channel: channel, events: 1, first: facts.time, last: facts.time)]
            if Channel.isOnline(normalised: channel) { online = 1 } else { offline = 1 }
        }
        for (key, value) in facts.traits {
            let candidate = TraitCandidate(value: value, mark: mark, source: facts.source,
                                           rank: rules.rank(ofSource: facts.source, trait: key), count: 1)
            traits.append(TraitState(key: key, first: candidate))
        }
        traits.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        if let order = facts.order {
            orders.count = 1
            orders.amounts = [CurrencyAmount(currency: order.currency, amount: order.amount ?? .zero, orders: 1)]
            orders.first = facts.time
            orders.last = facts.time
        }
        if facts.stages != 0 {
            for (index, stage) in rules.policy.journey.stages.enumerated() where facts.stages & (1 << UInt64(index)) != 0 {
                stageMarks.insert(mark, stage: index, keep: max(1, stage.count))
            }
        }
        if facts.churns { churns = [mark] }
        if facts.returns { returns = [facts.time] }
        var seen: Set<String> = []
        for (channel, granted) in facts.consents.reversed() where seen.insert(channel).inserted {
            consents.append(ConsentState(channel: channel, granted: granted, mark: mark, source: facts.source))
        }
        consents.sort { $0.channel < $1.channel }
        nps = facts.nps.map { ScoreTally(latest: $0, mark: mark, count: 1, hundredths: ScoreTally.hundredths($0)) }
        csat = facts.csat.map { ScoreTally(latest: $0, mark: mark, count: 1, hundredths: ScoreTally.hundredths($0)) }
    }

    /// Adds an event: the same as merging its summary, done in place, since it is done for
    /// every event.
    mutating func add(_ facts: ProfileFacts, rules: ProjectionRules) {
        let mark = Mark(time: facts.time, tiebreak: facts.tiebreak, seq: facts.seq)
        if first.map({ mark < $0 }) ?? true { first = mark }
        if last.map({ $0 < mark }) ?? true { last = mark }
        events += 1
        if facts.isActivity {
            let span = ActivitySpan(start: facts.time, end: facts.time)
            if let end = activity.last, end.start <= facts.time {
                if facts.time - end.end <= rules.dormantAfter {
                    activity[activity.count - 1].end = max(end.end, facts.time)
                } else {
                    activity.append(span)
                }
            } else {
                activity = ActivitySpan.merge(activity, [span], gap: rules.dormantAfter)
            }
        }
        if let channel = facts.channel {
            if let index = channels.firstIndex(where: { $0.channel == channel }) {
                channels[index].merge(ChannelTally(channel: channel, events: 1, first: facts.time, last: facts.time))
            } else {
                let index = channels.firstIndex { channel.utf8.lexicographicallyPrecedes($0.channel.utf8) } ?? channels.count
                channels.insert(ChannelTally(channel: channel, events: 1, first: facts.time, last: facts.time), at: index)
            }
            if Channel.isOnline(normalised: channel) { online += 1 } else { offline += 1 }
        }
        for (key, value) in facts.traits {
            let candidate = TraitCandidate(value: value, mark: mark, source: facts.source,
                                           rank: rules.rank(ofSource: facts.source, trait: key), count: 1)
            let single = TraitState(key: key, first: candidate)
            if let index = traits.firstIndex(where: { $0.key == key }) {
                traits[index].merge(single, policy: rules.policy(ofTrait: key))
            } else {
                let index = traits.firstIndex { key.utf8.lexicographicallyPrecedes($0.key.utf8) } ?? traits.count
                traits.insert(single, at: index)
            }
        }
        if let order = facts.order {
            orders.count += 1
            let amount = order.amount ?? .zero
            if let index = orders.amounts.firstIndex(where: { $0.currency == order.currency }) {
                orders.amounts[index].amount = orders.amounts[index].amount + amount
                orders.amounts[index].orders += 1
            } else {
                orders.amounts.append(CurrencyAmount(currency: order.currency, amount: amount, orders: 1))
                orders.amounts.sort { $0.currency.utf8.lexicographicallyPrecedes($1.currency.utf8) }
            }
            if orders.first.map({ facts.time < $0 }) ?? true { orders.first = facts.time }
            if orders.last.map({ $0 < facts.time }) ?? true { orders.last = facts.time }
        }
        if facts.stages != 0 {
            for (index, stage) in rules.policy.journey.stages.enumerated() where facts.stages & (1 << UInt64(index)) != 0 {
                stageMarks.insert(mark, stage: index, keep: max(1, stage.count))
            }
        }
        if facts.churns { ProfileState.insertSorted(mark, into: &churns) }
        if facts.returns { ProfileState.insertSorted(facts.time, into: &returns) }
        var seen: Set<String> = []
        for (channel, granted) in facts.consents.reversed() where seen.insert(channel).inserted {
            let consent = ConsentState(channel: channel, granted: granted, mark: mark, source: facts.source)
            if let index = consents.firstIndex(where: { $0.channel == channel }) {
                if consents[index].mark < mark { consents[index] = consent }
            } else {
                consents.append(consent)
                consents.sort { $0.channel.utf8.lexicographicallyPrecedes($1.channel.utf8) }
            }
        }
        if let score = facts.nps {
            nps = ScoreTally.merge(nps, ScoreTally(latest: score, mark: mark, count: 1, hundredths: ScoreTally.hundredths(score)))
        }
        if let score = facts.csat {
            csat = ScoreTally.merge(csat, ScoreTally(latest: score, mark: mark, count: 1, hundredths: ScoreTally.hundredths(score)))
        }
    }

    /// Inserts into an ascending list, at the end when it belongs there (most often).
    static func insertSorted<Element: Comparable>(_ element: Element, into list: inout [Element]) {
        if let last = list.last, element < last {
            list.insert(element, at: list.firstIndex { element < $0 } ?? list.count)
        } else {
            list.append(element)
        }
    }

    /// Takes in another summary: afterwards this summarises both sets of events.
    mutating func merge(_ other: ProfileState, rules: ProjectionRules) {
        if let theirs = other.first, first.map({ theirs < $0 }) ?? true { first = theirs }
        if let theirs = other.last, last.map({ $0 < theirs }) ?? true { last = theirs }
        events += other.events
        activity = ActivitySpan.merge(activity, other.activity, gap: rules.dormantAfter)
        channels = ProfileState.mergeSorted(channels, other.channels, key: \.channel) { $0.merge($1) }
        online += other.online
        offline += other.offline
        traits = ProfileState.mergeSorted(traits, other.traits, key: \.key) { mine, theirs in
            mine.merge(theirs, policy: rules.policy(ofTrait: mine.key))
        }
        orders.merge(other.orders)
        let stages = rules.policy.journey.stages
        stageMarks.merge(other.stageMarks) { stages.indices.contains($0) ? max(1, stages[$0].count) : 1 }
        churns = (churns + other.churns).sorted()
        returns = (returns + other.returns).sorted()
        consents = ProfileState.mergeSorted(consents, other.consents, key: \.channel) { mine, theirs in
            if mine.mark < theirs.mark { mine = theirs }
        }
        nps = ScoreTally.merge(nps, other.nps)
        csat = ScoreTally.merge(csat, other.csat)
    }

    /// Merges two lists sorted by `key` (UTF-8 order), combining entries with the same key.
    static func mergeSorted<Element>(
        _ left: [Element], _ right: [Element], key: KeyPath<Element, String>, combine: (inout Element, Element) -> Void
    ) -> [Element] {
        guard !right.isEmpty else { return left }
        guard !left.isEmpty else { return right }
        var result: [Element] = []
        result.reserveCapacity(left.count + right.count)
        var (i, j) = (0, 0)
        while i < left.count || j < right.count {
            if j == right.count {
                result.append(left[i]); i += 1
            } else if i == left.count {
                result.append(right[j]); j += 1
            } else if left[i][keyPath: key] == right[j][keyPath: key] {
                var merged = left[i]
                combine(&merged, right[j])
                result.append(merged)
                i += 1; j += 1
            } else if left[i][keyPath: key].utf8.lexicographicallyPrecedes(right[j][keyPath: key].utf8) {
                result.append(left[i]); i += 1
            } else {
                result.append(right[j]); j += 1
            }
        }
        return result
    }
}

/// A stretch of activity in which no two successive events are further apart than the
/// dormancy period; between spans, the customer was dormant.
struct ActivitySpan: Sendable, Hashable, Comparable {
    var start: Int64
    var end: Int64

    static func < (lhs: ActivitySpan, rhs: ActivitySpan) -> Bool { (lhs.start, lhs.end) < (rhs.start, rhs.end) }

    /// The spans of the union of two sets of activity.
    static func merge(_ left: [ActivitySpan], _ right: [ActivitySpan], gap: Int64) -> [ActivitySpan] {
        guard !right.isEmpty else { return left }
        guard !left.isEmpty else { return right }
        var result: [ActivitySpan] = []
        for span in (left + right).sorted() {
            if let last = result.last, span.start - last.end <= gap {
                result[result.count - 1].end = max(last.end, span.end)
            } else {
                result.append(span)
            }
        }
        return result
    }
}

/// Events of one channel.
struct ChannelTally: Sendable, Hashable {
    var channel: String
    var events: Int
    var first: Int64
    var last: Int64

    mutating func merge(_ other: ChannelTally) {
        events += other.events
        first = min(first, other.first)
        last = max(last, other.last)
    }
}

/// One trait's candidates: the winner so far, or every value with its count (most frequent).
///
/// The first candidate is held inline: most traits only ever have one, and an array for
/// each would double what a profile costs in memory.
struct TraitState: Sendable, Hashable {
    var key: String
    private(set) var first: TraitCandidate
    /// Further values, for most frequent only.
    private(set) var more: [TraitCandidate] = []

    init(key: String, candidates: [TraitCandidate]) {
        self.key = key
        first = candidates[0]
        more = Array(candidates.dropFirst())
    }

    /// One event's value.
    init(key: String, first: TraitCandidate) {
        self.key = key
        self.first = first
    }

    var candidates: [TraitCandidate] { more.isEmpty ? [first] : [first] + more }

    /// The value the profile shows, with the event it came from.
    func winner(policy: ProfilePolicy.TraitRule.Policy) -> TraitCandidate? {
        switch policy {
        case .mostFrequent: candidates.max { ($0.count, $0.mark) < ($1.count, $1.mark) }
        default: first
        }
    }

    mutating func merge(_ other: TraitState, policy: ProfilePolicy.TraitRule.Policy) {
        let theirs = other.first
        switch policy {
        case .latest:
            if first.mark < theirs.mark { first = theirs }
        case .first:
            if theirs.mark < first.mark { first = theirs }
        case .sourcePriority:
            // Lower rank wins; then the latest.
            if (theirs.rank, first.mark) < (first.rank, theirs.mark) { first = theirs }
        case .mostFrequent:
            var all = candidates
            for theirs in other.candidates {
                if let index = all.firstIndex(where: { $0.value == theirs.value }) {
                    all[index].count += theirs.count
                    if all[index].mark < theirs.mark {
                        all[index].mark = theirs.mark
                        all[index].source = theirs.source
                    }
                } else {
                    all.append(theirs)
                }
            }
            all.sort { $0.value.utf8.lexicographicallyPrecedes($1.value.utf8) }
            first = all[0]
            more = Array(all.dropFirst())
        }
    }
}

/// A trait value as an event reported it.
struct TraitCandidate: Sendable, Hashable {
    /// The value as JSON text.
    var value: String
    /// The event it came from (the latest one reporting it, for most frequent).
    var mark: ProfileState.Mark
    var source: String?
    /// The source's rank under source priority (0 is the most trusted).
    var rank: Int
    /// How many events reported this value (most frequent).
    var count: Int
}

/// Orders: how many, how much per currency, and when the first and the last were.
struct OrderTally: Sendable, Hashable {
    var count = 0
    var amounts: [CurrencyAmount] = []
    var first: Int64?
    var last: Int64?

    mutating func merge(_ other: OrderTally) {
        count += other.count
        amounts = ProfileState.mergeSorted(amounts, other.amounts, key: \.currency) {
            $0.amount = $0.amount + $1.amount
            $0.orders += $1.orders
        }
        if let theirs = other.first, first.map({ theirs < $0 }) ?? true { first = theirs }
        if let theirs = other.last, last.map({ $0 < theirs }) ?? true { last = theirs }
    }
}

/// The orders in one currency and their total.
struct CurrencyAmount: Sendable, Hashable {
    var currency: String
    var amount: Amount
    var orders: Int
}

/// A consent as the latest event about it left it.
struct ConsentState: Sendable, Hashable {
    var channel: String
    var granted: Bool
    var mark: ProfileState.Mark
    var source: String?
}

/// Survey answers: the latest, and how many with what total (in hundredths, exactly).
struct ScoreTally: Sendable, Hashable {
    var latest: Double
    var mark: ProfileState.Mark
    var count: Int
    var hundredths: Int64

    var average: Double { count > 0 ? Double(hundredths) / 100 / Double(count) : 0 }

    static func hundredths(_ score: Double) -> Int64 { Int64((score * 100).rounded()) }

    static func merge(_ left: ScoreTally?, _ right: ScoreTally?) -> ScoreTally? {
        guard let left else { return right }
        guard let right else { return left }
        var merged = left.mark < right.mark ? right : left
        merged.count = left.count + right.count
        merged.hundredths = left.hundredths + right.hundredths
        return merged
    }
}
