/// What projections need from the store: a customer's stored profile, and the facts of
/// logged events (to fold a recomputed customer again).
protocol ProfileStorage {
    func profile(_ customer: CustomerID) throws -> ProfileState?
    /// The facts of logged events, in the order of `seqs`; `nil` for a number the log does
    /// not hold.
    func facts(ofEvents seqs: [Int64]) throws -> [ProfileFacts?]
}

/// The profiles a run has touched, held in memory and written back with the identity graph
/// once per transaction: each event's facts are added to its customer's profile, the
/// profiles of customers identity merged are merged, and a recomputed component's customers
/// are folded again from their events. The identity graph decides what is let go (its least
/// recently used customers), and the profiles of those go with them.
struct ProfileSet {
    let rules: ProjectionRules
    private var storeMayHoldMore: Bool
    /// Profiles in boxes: a profile is large, and updated in place for most events.
    private var states: [CustomerID: ProfileBox] = [:]
    private var evicted: Set<CustomerID> = []
    /// Changed since the last write-back.
    private(set) var dirty: Set<CustomerID> = []

    init(rules: ProjectionRules, storeMayHoldMore: Bool) {
        self.rules = rules
        self.storeMayHoldMore = storeMayHoldMore
    }

    var count: Int { states.count }

    /// The profile of a customer, as it stands.
    func state(of customer: CustomerID) -> ProfileState? { states[customer]?.state }

    /// Adds a placed event to its customer, after merging the customers it absorbed.
    mutating func apply(_ placement: Placement, _ facts: ProfileFacts, storage: some ProfileStorage) throws {
        let customer = placement.customerID
        // The common case, in place: an event for a customer already in memory.
        if placement.absorbed.isEmpty, let box = states[customer] {
            box.state.add(facts, rules: rules)
            dirty.insert(customer)
            return
        }
        var state = try take(customer, storage: storage) ?? ProfileState()
        for absorbed in placement.absorbed {
            if let other = try take(absorbed, storage: storage) { state.merge(other, rules: rules) }
        }
        state.add(facts, rules: rules)
        put(customer, state)
    }

    /// Folds the customers of a recomputed component again from their events.
    mutating func apply(_ recomputation: Recomputation, storage: some ProfileStorage) throws {
        for customer in recomputation.removed {
            states[customer] = nil
            dirty.remove(customer)
        }
        // Events are read a few thousand at a time, whatever the customers' sizes, and each
        // is added to its customer's profile: adding is independent of order and grouping.
        let customers = recomputation.customers.sorted(by: { $0.key < $1.key })
        var folded = [ProfileState](repeating: ProfileState(), count: customers.count)
        var pending: (owners: [Int], seqs: [Int64]) = ([], [])
        func fold() throws {
            let facts = try storage.facts(ofEvents: pending.seqs)
            precondition(facts.count == pending.seqs.count, "a profile storage returned facts out of step with the events")
            for (owner, eventFacts) in zip(pending.owners, facts) {
                if let eventFacts { folded[owner].add(eventFacts, rules: rules) }
            }
            pending.owners.removeAll(keepingCapacity: true)
            pending.seqs.removeAll(keepingCapacity: true)
        }
        for (index, customer) in customers.enumerated() {
            for seq in customer.value {
                pending.owners.append(index)
                pending.seqs.append(seq)
                if pending.seqs.count == Self.eventsReadAtOnce { try fold() }
            }
        }
        if !pending.seqs.isEmpty { try fold() }
        for (index, customer) in customers.enumerated() { put(customer.key, folded[index]) }
    }

    /// Enough events read back at once for decoding them to use every core, few enough
    /// that their lines and facts cost little memory.
    static let eventsReadAtOnce = 4096

    /// Keeps a customer's profile in memory (reading it when needed) because identity changed
    /// the customer's row, which is written with its profile.
    mutating func hold(_ customer: CustomerID, storage: some ProfileStorage) throws {
        guard states[customer] == nil, let state = try take(customer, storage: storage) else { return }
        put(customer, state)
    }

    /// Says the profiles were written.
    mutating func wroteBack() {
        dirty.removeAll()
    }

    /// Lets go of customers' profiles (their rows are written).
    mutating func letGo(_ customers: [CustomerID]) {
        for customer in customers {
            guard states.removeValue(forKey: customer) != nil else { continue }
            dirty.remove(customer)
            if !storeMayHoldMore { evicted.insert(customer) }
        }
    }

    /// Forgets everything loaded: another connection changed the store.
    mutating func forgetLoadedState() {
        self = ProfileSet(rules: rules, storeMayHoldMore: true)
    }

    /// A customer's profile, removed from the set (the caller puts it back or merges it).
    private mutating func take(_ customer: CustomerID, storage: some ProfileStorage) throws -> ProfileState? {
        if let box = states.removeValue(forKey: customer) {
            dirty.remove(customer)
            return box.state
        }
        guard storeMayHoldMore || evicted.remove(customer) != nil else { return nil }
        return try storage.profile(customer)
    }

    private mutating func put(_ customer: CustomerID, _ state: ProfileState) {
        states[customer] = ProfileBox(state)
        dirty.insert(customer)
    }
}

/// A profile held by reference in the set.
final class ProfileBox {
    var state: ProfileState

    init(_ state: ProfileState) {
        self.state = state
    }
}
