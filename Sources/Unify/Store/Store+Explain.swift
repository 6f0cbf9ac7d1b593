internal import GRDB

/// Why two things (customer ids, identifiers, event ids) are one customer, or why not.
public struct Explanation: Sendable, CustomStringConvertible {
    /// An event as the chain of evidence shows it.
    public struct EventSummary: Sendable, Hashable {
        public var id: String
        public var time: Timestamp
        public var kind: String
        public var name: String?
        public var channel: String?
        /// Where it was read: `input:line`.
        public var origin: String
    }

    /// One link of the chain: an identifier, or an event that carries the identifiers on
    /// either side of it.
    public enum Link: Sendable, Hashable {
        case identifier(Identifier)
        case event(EventSummary)
    }

    public var first: String
    public var second: String
    /// The customers each resolves to (`nil` when it matches nothing).
    public var firstCustomer: String?
    public var secondCustomer: String?
    /// From the first to the second, when they are one customer: identifiers and the events
    /// that carry them, alternating.
    public var chain: [Link]
    /// When they are apart: what keeps them apart, in words; when one matches no customer,
    /// why (a placeholder or a hub it is, or nothing known).
    public var reasons: [String]
    /// The probabilistic links in the chain: for a record identifier (`record:<event id>`),
    /// the links of the record it names with the events beside it in the chain (two when
    /// neither is that record: the chain passes through a record it does not show), each with
    /// the fields compared, their levels and weights, and the match weight.
    public var matches: [Identifier: [MatchEvidence]] = [:]
    /// When they are apart and probabilistic matching is on: their closest pair of records,
    /// scored with the store's parameters, whose comparison ``reasons`` puts in words.
    public var closestRecords: MatchEvidence?

    /// How two records compare: why they were linked, in a chain, or how close they came, in
    /// ``closestRecords``.
    public struct MatchEvidence: Sendable, Hashable {
        /// The records' event ids, the earlier in canonical order first (when linked, the
        /// record identifier is the offline record's, or the earlier one's when both are).
        public var earlier: String
        public var later: String
        /// log2 of the posterior odds that the two records are one person.
        public var weight: Double
        /// `first name exact +6.7, last name similar +5.2, …; prior −13.3; weight +12.1, probability 1.0`.
        public var evidence: String
    }

    public var sameCustomer: Bool { firstCustomer != nil && firstCustomer == secondCustomer }

    public var description: String {
        var lines: [String] = []
        // ``Store/explain(_:_:)`` says in `reasons` why a side matches no customer.
        guard let firstCustomer, let secondCustomer else { return Explanation.text(reasons) }
        if sameCustomer {
            lines.append("\(first) and \(second) are one customer, \(firstCustomer):")
            for (position, link) in chain.enumerated() {
                switch link {
                case .identifier(let identifier):
                    if let links = matches[identifier], let first = links.first {
                        lines.append("  \(identifier), a probabilistic link: records \(first.earlier) and \(first.later) matched on")
                        lines.append("      \(first.evidence)")
                        for link in links.dropFirst() {
                            lines.append("    and records \(link.earlier) and \(link.later) matched on")
                            lines.append("      \(link.evidence)")
                        }
                    } else {
                        lines.append("  \(identifier)")
                    }
                case .event(let event):
                    let carries = position == chain.count - 1 ? "" : " which also carries"
                    lines.append("    in event \(Explanation.describe(event))\(carries)")
                }
            }
            if chain.count <= 1 { lines.append("  they are the same") }
        } else {
            lines.append("\(first) is \(firstCustomer); \(second) is \(secondCustomer): two customers, because")
            lines.append(contentsOf: reasons.map { "  - \($0)" })
        }
        return Explanation.text(lines)
    }

    /// The lines as one text, each kept on one line: a value from the data (an event name, an
    /// input's file name, a query) holding a line break would otherwise start a line of its
    /// own, which would read as a step of the chain.
    private static func text(_ lines: [String]) -> String {
        lines.map { line in
            guard line.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return line }
            var escaped = String.UnicodeScalarView()
            for scalar in line.unicodeScalars {
                switch scalar {
                case "\n": escaped.append(contentsOf: #"\n"#.unicodeScalars)
                case "\r": escaped.append(contentsOf: #"\r"#.unicodeScalars)
                default: escaped.append(scalar)
                }
            }
            return String(escaped)
        }.joined(separator: "\n")
    }

    static func describe(_ event: EventSummary) -> String {
        let what = [event.kind, event.name].compactMap { $0 }.joined(separator: " ")
        return "\(event.id) (\(event.time.iso8601), \(event.channel ?? "no channel"), \(what), \(event.origin))"
    }
}

extension Store {
    /// The chain of evidence that makes `first` and `second` one customer, or what keeps
    /// them apart. Each may be a customer id, an identifier or an event id, as
    /// ``customerID(for:)`` reads them.
    public func explain(_ first: String, _ second: String) throws(UnifyError) -> Explanation {
        let firstCustomer = try customerID(for: first)
        let secondCustomer = try customerID(for: second)
        var explanation = Explanation(first: first, second: second, firstCustomer: firstCustomer,
                                      secondCustomer: secondCustomer, chain: [], reasons: [])
        guard let firstCustomer, let secondCustomer else {
            // A value that is known but links nobody (a placeholder, a hub) says why.
            for (query, customer) in [(first, firstCustomer), (second, secondCustomer)] where customer == nil {
                if let (identifier, reason) = try unlinkedIdentifier(for: query) {
                    explanation.reasons.append("\(query) is \(identifier), which belongs to no customer: it is \(reason)")
                } else {
                    explanation.reasons.append("\(query) matches no customer")
                }
            }
            return explanation
        }
        try read { db in
            let graph = try CustomerGraph(db: db, customers: [firstCustomer, secondCustomer], rules: identityRules)
            if firstCustomer == secondCustomer {
                let start = graph.node(for: first, customer: firstCustomer, store: self)
                let end = graph.node(for: second, customer: secondCustomer, store: self)
                let path = graph.path(from: start, to: end)
                explanation.chain = try path.map { node in
                    switch node {
                    case .identifier(let identifier): .identifier(identifier)
                    case .event(let seq): .event(try graph.summary(seq, db))
                    }
                }
                for (index, node) in path.enumerated() {
                    guard case .identifier(let identifier) = node, identifier.kind == .matchRecord,
                          let named = try Store.seq(ofEventID: identifier.value, db)
                    else { continue }
                    // The identifier names one record of each link it stands for; the events
                    // beside it in the chain that are not that record are the others. When
                    // the named record is one of them, the other one's link is the hop.
                    let neighbours = [index - 1, index + 1].filter(path.indices.contains).compactMap { position -> Int64? in
                        if case .event(let seq) = path[position] { return seq }
                        return nil
                    }
                    let others = neighbours.contains(named) ? neighbours.filter { $0 != named } : neighbours
                    // A link is stored as (later, earlier); the named record may be either.
                    let link = try db.cachedStatement(sql: """
                        SELECT seq, partner, weight, evidence FROM match_links
                        WHERE (partner = ?1 AND (?2 IS NULL OR seq = ?2)) OR (seq = ?1 AND (?2 IS NULL OR partner = ?2))
                        ORDER BY weight DESC, seq, partner LIMIT 1
                        """)
                    var evidence: [Explanation.MatchEvidence] = []
                    for other in others.isEmpty ? [nil] : others.map(Optional.some) {
                        guard let row = try Row.fetchOne(link, arguments: [named, other]) else { continue }
                        evidence.append(Explanation.MatchEvidence(
                            earlier: try graph.summary(row[1], db).id, later: try graph.summary(row[0], db).id,
                            weight: row[2], evidence: row[3]))
                    }
                    if !evidence.isEmpty { explanation.matches[identifier] = evidence }
                }
            } else {
                explanation.reasons = try graph.reasonsApart(firstCustomer, secondCustomer, db)
                if matchingPolicy.enabled,
                   let (reason, closest) = try matchingApart(graph.eventsOf[firstCustomer] ?? [],
                                                             graph.eventsOf[secondCustomer] ?? [], db)
                {
                    explanation.reasons.append(reason)
                    explanation.closestRecords = closest
                }
            }
        }
        return explanation
    }
}

/// The events and identifiers of a few customers, read once, to search and compare.
private struct CustomerGraph {
    enum Node: Hashable {
        case event(Int64)
        case identifier(Identifier)
    }

    struct StoredIdentifier {
        var identifier: Identifier
        var status: String
        var customerID: String?
        var witnesses: WitnessSet
    }

    let rules: IdentityRules
    var eventsOf: [String: [Int64]] = [:]
    var identifiersOfEvent: [Int64: [StoredIdentifier]] = [:]
    var customerOfEvent: [Int64: String] = [:]
    var componentOf: [String: Int64] = [:]
    var eventIDs: [Int64: String] = [:]

    init(db: Database, customers: [String], rules: IdentityRules) throws {
        self.rules = rules
        var loaded: [Int64: (StoredIdentifier, Int64?)] = [:]
        for customer in Set(customers) {
            for event in try Store.events(ofCustomer: customer, db) {
                eventsOf[customer, default: []].append(event.seq)
                customerOfEvent[event.seq] = customer
                eventIDs[event.seq] = event.position.eventID
                identifiersOfEvent[event.seq] = try event.identifierKeys.compactMap { key in
                    if let known = loaded[key] { return known.0 }
                    guard let row = try Row.fetchOne(db, sql: """
                        SELECT kind, value, status, customer, component, witnesses FROM identifiers WHERE key = ?
                        """, arguments: [key]) else { return nil }
                    let customer = (row[3] as Int64?).map { CustomerID(storageValue: $0).description }
                    let stored = StoredIdentifier(identifier: Identifier(normalised: row[1], kind: .init(stored: row[0])),
                                                  status: row[2], customerID: customer,
                                                  witnesses: WitnessSet(encoded: (row[5] as String?) ?? ""))
                    loaded[key] = (stored, row[4])
                    return stored
                }
            }
        }
        for (stored, component) in loaded.values {
            if let owner = stored.customerID, let component { componentOf[owner] = component }
        }
    }

    /// Where the search starts or ends for what a person typed, which resolved to `customer`.
    func node(for text: String, customer: String, store: Store) -> Node {
        if let seq = eventIDs.first(where: { $0.value == text })?.key { return .event(seq) }
        if CustomerID(text) == nil {
            let kinds = Set(identifiersOfEvent.values.flatMap { $0.map(\.identifier.kind) })
            for candidate in store.candidateIdentifiers(for: text, kinds: Array(kinds))
            where identifiersOfEvent.values.contains(where: { $0.contains { $0.identifier == candidate } }) {
                return .identifier(candidate)
            }
        }
        // A customer id stands for its most authoritative identifier, or its only event.
        let attached = (eventsOf[customer] ?? []).flatMap { identifiersOfEvent[$0] ?? [] }
            .filter { $0.customerID == customer && $0.status == "linking" }.map(\.identifier)
        if let anchor = attached.min(by: IdentityRules.precedes) { return .identifier(anchor) }
        return .event(eventsOf[customer]?.first ?? -1)
    }

    /// The shortest path between two nodes through events and the identifiers that link them.
    func path(from start: Node, to end: Node) -> [Node] {
        guard start != end else { return [start] }
        var previous: [Node: Node] = [start: start]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for next in neighbours(of: node) where previous[next] == nil {
                previous[next] = node
                if next == end {
                    var path = [end]
                    var current = node
                    while current != start {
                        path.append(current)
                        current = previous[current]!
                    }
                    path.append(start)
                    return path.reversed()
                }
                queue.append(next)
            }
        }
        return [start, end]
    }

    private func neighbours(of node: Node) -> [Node] {
        switch node {
        case .event(let seq):
            let customer = customerOfEvent[seq]
            return (identifiersOfEvent[seq] ?? []).filter { $0.status == "linking" && $0.customerID == customer }
                .map { .identifier($0.identifier) }
        case .identifier(let identifier):
            return identifiersOfEvent.filter { _, identifiers in identifiers.contains { $0.identifier == identifier } }
                .keys.sorted().map { .event($0) }
        }
    }

    func summary(_ seq: Int64, _ db: Database) throws -> Explanation.EventSummary {
        let row = try Row.fetchOne(db, sql: """
            SELECT events.event_id, events.time, events.kind, events.name, events.channel, inputs.name, events.line
            FROM events JOIN inputs ON inputs.id = events.input_id WHERE seq = ?
            """, arguments: [seq])!
        let input: String = row[5]
        let line: Int = row[6]
        return .init(id: row[0], time: Timestamp(millisecondsSince1970: row[1]), kind: row[2], name: row[3],
                     channel: row[4], origin: "\(input):\(line)")
    }

    func reasonsApart(_ first: String, _ second: String, _ db: Database) throws -> [String] {
        var reasons: [String] = []
        let firstIdentifiers = (eventsOf[first] ?? []).flatMap { identifiersOfEvent[$0] ?? [] }
        let secondIdentifiers = (eventsOf[second] ?? []).flatMap { identifiersOfEvent[$0] ?? [] }
        let shared = Set(firstIdentifiers.map(\.identifier)).intersection(secondIdentifiers.map(\.identifier))
            .sorted(by: IdentityRules.precedes)
        for identifier in shared {
            let stored = (firstIdentifiers + secondIdentifiers).first { $0.identifier == identifier }!
            switch stored.status {
            case "junk": reasons.append("they share \(identifier), a placeholder value that never links")
            case "hub" where identifier.kind == .matchRecord && isHubOfAccounts(identifier, stored.witnesses):
                reasons.append("they share \(identifier), a probabilistic link to customers with different accounts of one kind: the record fits each as well, so it joins none of them through it")
            case "hub" where identifier.kind == .matchRecord:
                reasons.append("they share \(identifier), a probabilistic link seen with more emails or phones than one customer may have, so it links none of them")
            case "hub": reasons.append("they share \(identifier), a hub seen with too many different accounts to link")
            default:
                let owner = stored.customerID.map { "it belongs to \($0)" } ?? "it belongs to neither"
                reasons.append("they share \(identifier), but \(owner): \(limitConflict(identifier, first, second, firstIdentifiers, secondIdentifiers))")
            }
        }
        if shared.isEmpty {
            reasons.append(componentOf[first] != nil && componentOf[first] == componentOf[second]
                ? "they are linked only through other customers, each kept apart by a limit"
                : "no identifier links them: they share none, directly or through other events")
        }
        return reasons
    }

    /// Whether a hub became one for the accounts it was seen with (more of a kind limited to
    /// one per customer than the rules allow it), rather than for emails or phones.
    private func isHubOfAccounts(_ identifier: Identifier, _ witnesses: WitnessSet) -> Bool {
        var seen: [Identifier.Kind: Int] = [:]
        for entry in witnesses.entries where rules.isAnchor(entry.kind) { seen[entry.kind, default: 0] += 1 }
        return seen.contains { kind, count in count > rules.hubThreshold(identifier.kind, witness: kind) }
    }

    private func limitConflict(_ identifier: Identifier, _ first: String, _ second: String, _ firstIdentifiers: [StoredIdentifier],
                               _ secondIdentifiers: [StoredIdentifier]) -> String {
        func attached(_ identifiers: [StoredIdentifier], _ customer: String) -> [Identifier.Kind: Set<String>] {
            var byKind: [Identifier.Kind: Set<String>] = [:]
            for stored in identifiers where stored.customerID == customer {
                byKind[stored.identifier.kind, default: []].insert(stored.identifier.value)
            }
            return byKind
        }
        let left = attached(firstIdentifiers, first)
        let right = attached(secondIdentifiers, second)
        func accounts(_ byKind: [Identifier.Kind: Set<String>]) -> [String] {
            byKind.filter { !ClusterBuilder.isContactOrRecord($0.key) }
                .flatMap { kind, values in values.sorted().map { "\(kind):\($0)" } }.sorted()
        }
        let (leftAccounts, rightAccounts) = (accounts(left), accounts(right))
        if identifier.kind == .matchRecord, !leftAccounts.isEmpty, !rightAccounts.isEmpty {
            return "a probabilistic link never joins two customers that each hold an account (\(leftAccounts[0]) and \(rightAccounts[0]))"
        }
        for kind in Set(left.keys).intersection(right.keys).sorted() {
            let count = left[kind]!.count + right[kind]!.count
            if count > rules.limit(kind) {
                let values = (left[kind]!.sorted() + right[kind]!.sorted()).joined(separator: ", ")
                return "joining them would give one customer \(count) \(kind) (\(values)), over the limit of \(rules.limit(kind))"
            }
        }
        return "joining them would break a per-kind limit"
    }
}
