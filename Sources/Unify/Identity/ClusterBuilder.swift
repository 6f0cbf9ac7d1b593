/// Groups events into customers, one event at a time, in canonical order.
///
/// This is the whole of deterministic resolution. Each event joins the customer of its
/// most authoritative identifier (a new one when that identifier is new); its other
/// identifiers attach to that customer, or bring their own customers into it, unless that
/// would give the customer more identifiers of a kind than the policy allows (two user
/// ids, say): then the link is not made, and the identifier stays where it was. An alias
/// call is explicit evidence that its `previousId` and `userId` are one person: that one
/// link is made past the limits, unless the `previousId` already belongs to someone with
/// another account (a cookie reused on a family tablet). Its other identifiers follow the
/// limits like any event's. A record identifier (a probabilistic link) never joins two
/// customers that each hold an account: it may bring offline records to a customer, never
/// glue two customers that deterministic data already tell apart (namesakes at one
/// postcode, a mother and her daughter).
///
/// Fed the events of a connected set in canonical order (``EventPosition``), the result
/// depends only on that set, never on the order events arrived in. The identity graph feeds
/// it in two ways that give the same result: a whole component from scratch, when an event
/// lands in its past; or the current customers of an event that comes after everything in
/// them, seeded from their summaries (``seed(customerID:summary:members:)``), which is
/// exactly the state a from-scratch run would have reached before that event.
struct ClusterBuilder {
    /// What the builder knows of a customer: enough to apply the limits and name it.
    struct Summary: Hashable, Sendable {
        /// Attached identifiers per kind.
        var counts = KindCounts()
        /// The most authoritative attached identifier, which the customer id derives from.
        var anchor: Identifier?
        /// Every attached user id, for the alias rule.
        var accounts: [Identifier] = []

        mutating func attach(_ identifier: Identifier) {
            counts[identifier.kind] += 1
            if anchor.map({ IdentityRules.precedes(identifier, $0) }) ?? true { anchor = identifier }
            if identifier.kind == .userID { accounts.append(identifier) }
        }

        mutating func absorb(_ other: Summary) {
            for (kind, count) in other.counts { counts[kind] += count }
            if let theirs = other.anchor, anchor.map({ IdentityRules.precedes(theirs, $0) }) ?? true { anchor = theirs }
            accounts += other.accounts
        }
    }

    struct Cluster {
        var summary = Summary()
        /// The identifiers this builder maps to the cluster (all of them from scratch; the
        /// event's own when seeded).
        var members: [Identifier] = []
        /// The event that founded an identifier-less cluster names it.
        var firstEventID: String?
        /// The customer ids the cluster had in the store before this run, when seeded.
        var storedCustomerIDs: [CustomerID] = []
    }

    /// What processing one event did, for the graph to write.
    struct Outcome {
        var cluster: Int
        var attached: [Identifier] = []
        /// Clusters that were merged into ``cluster``.
        var absorbed: [Int] = []
    }

    let rules: IdentityRules
    /// Clusters by index, in the order they were made; `nil` once absorbed into another. An
    /// array, so that attaching and merging change a cluster in place.
    private var slots: [Cluster?] = []
    private(set) var clusterOf: [Identifier: Int] = [:]
    /// Where each absorbed cluster went, to find an earlier event's cluster after merges.
    private var absorbedInto: [Int: Int] = [:]

    init(rules: IdentityRules) {
        self.rules = rules
    }

    /// Adds a customer as the store holds it, before processing a later event: its
    /// `summary`, and those of its identifiers the event carries (`members`).
    mutating func seed(customerID: CustomerID, summary: Summary, members: [Identifier]) {
        let index = slots.count
        slots.append(Cluster(summary: summary, members: members, storedCustomerIDs: [customerID]))
        for identifier in members { clusterOf[identifier] = index }
    }

    /// Places one event. `linking` are its identifiers that may link (not junk, not hubs),
    /// in ``IdentityRules/precedes(_:_:)`` order.
    @discardableResult
    mutating func process(eventID: String, linking: [Identifier], explicit: Bool) -> Outcome {
        guard let first = linking.first else {
            let index = newCluster()
            slots[index]!.firstEventID = eventID
            return Outcome(cluster: index)
        }
        if !explicit && linking.allSatisfy({ clusterOf[$0] == nil }) {
            let index = newCluster()
            let (summary, attached) = ClusterBuilder.founding(linking, rules: rules)
            slots[index]!.summary = summary
            slots[index]!.members = attached.map { linking[$0] }
            for identifier in slots[index]!.members { clusterOf[identifier] = index }
            return Outcome(cluster: index, attached: slots[index]!.members)
        }
        var outcome: Outcome
        if let existing = clusterOf[first] {
            outcome = Outcome(cluster: existing)
        } else {
            outcome = Outcome(cluster: newCluster())
            attach(first, to: outcome.cluster)
            outcome.attached.append(first)
        }
        let target = outcome.cluster
        // The alias's own link: its previousId (both forms) and its userId.
        var linked: Set<Identifier> = []
        if explicit {
            let previous = IdentityRules.previousIDForms(in: linking)
            if !previous.isEmpty { linked = previous.union(linking.filter { $0.kind == .userID }) }
        }
        for identifier in linking.dropFirst() {
            let aliased = linked.contains(identifier)
            if let other = clusterOf[identifier] {
                if other != target, canMerge(target, other, through: identifier)
                    || aliased && isOnly(linked, accountsOf: other)
                {
                    merge(other, into: target)
                    outcome.absorbed.append(other)
                }
            } else if aliased || slots[target]!.summary.counts[identifier.kind] < rules.limit(identifier.kind) {
                attach(identifier, to: target)
                outcome.attached.append(identifier)
            }
        }
        return outcome
    }

    /// The cluster an event founds when none of its identifiers belongs to one and it is not
    /// an alias: its first identifier, then each of the others within the limits. Returns
    /// the cluster's summary and the positions in `linking` of the identifiers it holds.
    /// The identity graph places most new customers with this alone. `linking` lists each
    /// identifier once, as an event's identity keys do.
    static func founding(_ linking: [Identifier], rules: IdentityRules) -> (summary: Summary, attached: [Int]) {
        var summary = Summary()
        var attached: [Int] = []
        for (position, identifier) in linking.enumerated() {
            guard attached.isEmpty || summary.counts[identifier.kind] < rules.limit(identifier.kind) else { continue }
            summary.attach(identifier)
            attached.append(position)
        }
        return (summary, attached)
    }

    /// Whether every user id of `cluster` is one the alias names.
    private func isOnly(_ linked: Set<Identifier>, accountsOf cluster: Int) -> Bool {
        slots[cluster]!.summary.accounts.allSatisfy { linked.contains($0) }
    }

    /// Whether `identifier` may make two clusters one: within the per-kind limits
    /// (``canMerge(_:_:)``), and, for a record identifier, not when both hold an account (an
    /// identifier of a kind other than the contact ones and record identifiers, which offline
    /// records carry too).
    func canMerge(_ first: Int, _ second: Int, through identifier: Identifier) -> Bool {
        if identifier.kind == .matchRecord, holdsAccount(first), holdsAccount(second) { return false }
        return canMerge(first, second)
    }

    private func holdsAccount(_ cluster: Int) -> Bool {
        slots[cluster]!.summary.counts.contains { $0.count > 0 && !Self.isContactOrRecord($0.kind) }
    }

    /// Kinds that offline records carry: contact identifiers and record identifiers.
    static func isContactOrRecord(_ kind: Identifier.Kind) -> Bool {
        kind == .email || kind == .phone || kind == .matchRecord
    }

    /// Whether two clusters may become one: for every kind, one side has none, or together
    /// they stay within the limit.
    func canMerge(_ first: Int, _ second: Int) -> Bool {
        let left = slots[first]!.summary.counts
        let right = slots[second]!.summary.counts
        for (kind, count) in right where count > 0 {
            let existing = left[kind]
            if existing > 0 && existing + count > rules.limit(kind) { return false }
        }
        return true
    }

    /// The cluster that `cluster` is now part of, after any merges.
    func current(_ cluster: Int) -> Int {
        var index = cluster
        while let next = absorbedInto[index] { index = next }
        return index
    }

    /// A cluster that has not been absorbed.
    func cluster(_ index: Int) -> Cluster { slots[index]! }

    /// Every cluster that has not been absorbed, with its index.
    var clusters: [(index: Int, cluster: Cluster)] {
        slots.indices.compactMap { index in slots[index].map { (index, $0) } }
    }

    /// The most authoritative identifier of a cluster, which its customer id derives from.
    func anchor(of cluster: Int) -> Identifier? {
        slots[cluster]!.summary.anchor
    }

    private mutating func newCluster() -> Int {
        slots.append(Cluster())
        return slots.count - 1
    }

    private mutating func attach(_ identifier: Identifier, to cluster: Int) {
        slots[cluster]!.summary.attach(identifier)
        slots[cluster]!.members.append(identifier)
        clusterOf[identifier] = cluster
    }

    private mutating func merge(_ source: Int, into target: Int) {
        let absorbed = slots[source]!
        slots[source] = nil
        absorbedInto[source] = target
        for identifier in absorbed.members { clusterOf[identifier] = target }
        slots[target]!.members += absorbed.members
        slots[target]!.summary.absorb(absorbed.summary)
        slots[target]!.storedCustomerIDs += absorbed.storedCustomerIDs
    }
}
