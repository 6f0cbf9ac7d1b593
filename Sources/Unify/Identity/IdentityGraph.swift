/// The identity graph while events are resolved: the part of the store's graph that this run
/// has touched, held in memory, loaded on demand and written back once per transaction.
///
/// Every event is placed on top of its customers' current state (``add(_:keys:seq:storage:)``).
/// When it comes after every event of the customers it touches, and carries no identifier
/// that a limit held apart from everyone, that is exactly what a from-scratch run in canonical
/// order would do (the fast path; docs/IDENTITY.md says why). When it lands in a customer's
/// past, or makes an identifier a hub, its component is marked, and ``finish(storage:)``
/// recomputes each marked component once, from all its events in canonical order, before the
/// transaction commits. ``ClusterBuilder`` does the placing in both cases, so they agree. A
/// probabilistic link that gives an earlier event a new identifier (``amend(event:adding:digest:storage:)``)
/// marks its component too, unless the identifier cannot change who anyone is: then it joins
/// the event's customer in place (docs/IDENTITY.md, "A link to a known customer").
///
/// The graph is the truth for everything it holds; the store catches up at ``finish(storage:)``.
/// A customer retired into another reaches the rows the graph has not loaded through
/// ``IdentityStorage``, and rows loaded before that are read through the same forwards.
struct IdentityGraph {
    let rules: IdentityRules
    let customerIDs: CustomerIDs
    /// Whether the store may hold identity rows this graph has not loaded. When the store
    /// held none as the run began, an identifier that is not in memory is new, and looking it
    /// up would be a wasted read.
    private(set) var storeMayHoldMore: Bool
    /// How many customers and identifiers the graph keeps loaded; past that, the least
    /// recently used are let go (the store has them).
    var customerLimit = 150_000
    var identifierLimit = 600_000

    /// Identifiers, densely: resolution reads a field or two of several per event, and an
    /// array lets it do so in place.
    private var nodes: [IdentifierNode] = []
    private var slotOfKey: [Int64: Int32] = [:]
    /// When each slot was last used (write-backs counted), and slots free for reuse.
    private var slotUsed: [UInt32] = []
    private var freeSlots: [Int32] = []
    private var customers: [CustomerID: CustomerNode] = [:]
    private var customerUsed: [CustomerID: UInt32] = [:]
    /// Ticks once per event: when each slot and customer was last used.
    private var clock: UInt32 = 0
    /// What was let go, to read back from the store when it is needed again.
    private var evictedKeys: Set<Int64> = []
    private var evictedCustomers: Set<CustomerID> = []
    /// Components as a union-find over labels: each label's parent, a root its own. An
    /// identifier keeps the label it joined with; joining two components links one root
    /// under the other, so no identifier is relabelled until its component is recomputed.
    private var componentParent: [Int64: Int64] = [:]
    /// Where retired customer ids went, for rows loaded afterwards.
    private var customerForward: [CustomerID: CustomerID] = [:]

    // What changed since the last write-back.
    private var dirtySlots: Set<Int32> = []
    /// Dirty slots whose identifier the store does not hold: made where the store was known
    /// not to hold their key. They are inserted, many rows to a statement, instead of upserted.
    private var unstoredSlots: Set<Int32> = []
    private var dirtyCustomers: Set<CustomerID> = []
    /// Dirty customers the store is believed not to hold (made new, not retired from a row
    /// still there): inserted many rows to a statement. The storage checks the belief.
    private var unstoredCustomers: Set<CustomerID> = []
    private var removedCustomers: Set<CustomerID> = []
    /// An event's working lists, kept between events for their capacity: placing an event
    /// would otherwise allocate and free each of them.
    private var scratch = PlacementScratch()
    /// Labels linked under another root since the last write-back, and labels gone.
    private var dirtyLinks: Set<Int64> = []
    private var removedLinks: Set<Int64> = []
    private var retirements: [Retirement] = []
    private var reinstated: Set<CustomerID> = []
    /// Customers made since the last write-back: no stored row names them yet.
    private var madeSinceWriteBack: Set<CustomerID> = []
    /// Components to recompute before the transaction ends, by any of their labels.
    private var marked: Set<Int64> = []
    /// Customers of their own whose event an amendment joined to a marked component.
    private var amendedOwnCustomers: Set<CustomerID> = []

    init(rules: IdentityRules, customerIDs: CustomerIDs, storeMayHoldMore: Bool) {
        self.rules = rules
        self.customerIDs = customerIDs
        self.storeMayHoldMore = storeMayHoldMore
    }

    /// Forgets everything loaded: another connection changed the store.
    mutating func forgetLoadedState() {
        precondition(dirtySlots.isEmpty, "forgetting unsaved identity changes")
        let limits = (customerLimit, identifierLimit)
        self = IdentityGraph(rules: rules, customerIDs: customerIDs, storeMayHoldMore: true)
        (customerLimit, identifierLimit) = limits
    }

    // MARK: Placing events

    /// Resolves a newly logged event, given its identity keys, and says which customer it
    /// joined and which customers that one absorbed.
    mutating func add(_ position: EventPosition, keys: IdentityKeys, seq: Int64, storage: some IdentityStorage) throws
        -> Placement
    {
        clock &+= 1
        let identifiers = keys.identifiers
        // Taken out of the graph while the event is placed, so that using them does not
        // overlap with the graph's own changes; put back, emptied, however this returns.
        var work = scratch
        scratch = PlacementScratch()
        defer {
            work.clear()
            scratch = work
        }
        for index in identifiers.indices {
            let (slot, isNew) = try slot(of: identifiers[index], digest: keys.digests[index], isJunk: keys.junk[index],
                                         storage: storage)
            work.slots.append(slot)
            if isNew { work.created.append(slot) }
        }
        let madeHubs = recordWitnesses(work.slots)
        for slot in work.slots where nodes[Int(slot)].status == .linking { work.linking.append(slot) }
        let entry = ResolvedEvent(seq: seq, time: position.time, identifierKeys: work.slots.map { nodes[Int($0)].key },
                                  explicit: keys.explicit)
        guard let principal = work.linking.first else {
            let customerID = customerIDs.id(eventID: position.eventID)
            // An event's row is appended now, not at write-back: its principal never changes
            // until its component is recomputed, which reads the rows back.
            try storage.append(event: entry.owning(customerID))
            var events = EventList()
            events.insert(time: position.time, seq: seq)
            install(customerID, CustomerNode(summary: .init(), last: position, eventList: events), isNew: true)
            return Placement(customerID: customerID, absorbed: [])
        }
        try storage.append(event: entry.placed(by: nodes[Int(principal)].key))

        // The fast path's condition: after every event of the customers touched, and no
        // identifier that a limit holds apart (who gets it depends on order).
        var isFinal = !madeHubs
        var allAttached = true
        for slot in work.linking {
            if let customer = currentCustomer(of: slot) {
                if !work.touched.contains(customer) { work.touched.append(customer) }
            } else {
                allAttached = false
                if !work.created.contains(slot) { isFinal = false }
            }
        }
        for customerID in work.touched where !(try lastPosition(of: customerID, storage: storage) < position) {
            isFinal = false
        }
        // Most events carry identifiers one customer already holds: nothing changes but its end.
        if work.touched.count == 1 && allAttached {
            let customerID = work.touched[0]
            customers[customerID]!.eventList.insert(time: position.time, seq: seq)
            if customers[customerID]!.last < position { customers[customerID]!.last = position }
            dirtyCustomers.insert(customerID)
            if !isFinal { marked.insert(try joinComponents(of: work.linking, founding: seq, storage: storage)) }
            return Placement(customerID: customerID, absorbed: [])
        }

        // The customer the event makes or joins, the stored ones it brings together, and the
        // identifiers that attach to it. A new customer is what the builder would make,
        // without making one.
        let linkingIdentifiers = work.linking.map { nodes[Int($0)].identifier }
        let summary: ClusterBuilder.Summary
        let storedCustomerIDs: [CustomerID]
        let attached: [Int32]
        if work.touched.isEmpty && !keys.explicit {
            let founded = ClusterBuilder.founding(linkingIdentifiers, rules: rules)
            (summary, storedCustomerIDs, attached) = (founded.summary, [], founded.attached.map { work.linking[$0] })
        } else {
            var builder = ClusterBuilder(rules: rules)
            for customerID in work.touched {
                let members = work.linking.filter { currentCustomer(of: $0) == customerID }.map { nodes[Int($0)].identifier }
                builder.seed(customerID: customerID, summary: customers[customerID]!.summary, members: members)
            }
            let outcome = builder.process(eventID: position.eventID, linking: linkingIdentifiers, explicit: keys.explicit)
            let cluster = builder.cluster(outcome.cluster)
            (summary, storedCustomerIDs) = (cluster.summary, cluster.storedCustomerIDs)
            attached = outcome.attached.map { work.linking[linkingIdentifiers.firstIndex(of: $0)!] }
        }
        let customerID = customerIDs.id(anchor: summary.anchor!)

        var node = CustomerNode(summary: summary, last: position, eventList: EventList())
        var absorbed: [CustomerID] = []
        for stored in storedCustomerIDs {
            let previous = customers[stored]!
            if node.last < previous.last { node.last = previous.last }
            node.eventList.formUnion(previous.eventList)
            if stored != customerID {
                retire(stored, into: customerID, at: seq, anchor: previous.anchor)
                absorbed.append(stored)
            }
        }
        node.eventList.insert(time: position.time, seq: seq)
        install(customerID, node, isNew: !storedCustomerIDs.contains(customerID))
        for slot in attached {
            nodes[Int(slot)].customerID = customerID
            dirtySlots.insert(slot)
        }

        let component = try joinComponents(of: work.linking, founding: seq, storage: storage)
        if !isFinal { marked.insert(component) }
        return Placement(customerID: customerID, absorbed: absorbed)
    }

    /// Gives an event placed earlier one more identifier, as if it had carried it all along:
    /// what a probabilistic link to an event placed before does (both events carry the link's
    /// record identifier, see `EventResolver.link`). The event's component
    /// and the identifier's become one, recomputed before the transaction ends, so the
    /// result is what placing the event with the identifier would have given; or, when the
    /// identifier is new and cannot change who anyone is, it joins the event's customer at
    /// once (``attachInPlace(_:principal:storage:)``): then it returns that customer, whose
    /// row is written again with its profile.
    mutating func amend(event seq: Int64, adding identifier: Identifier, digest: Int64, storage: some IdentityStorage)
        throws -> CustomerID?
    {
        clock &+= 1
        guard let placed = try storage.placement(ofEvent: seq) else { return nil }
        var keys = placed.keys
        let (added, isNew) = try slot(of: identifier, digest: digest, isJunk: false, storage: storage)
        guard !keys.contains(nodes[Int(added)].key) else { return nil }
        var slots: [Int32] = [added]
        for key in keys {
            guard let slot = try slot(ofKey: key, storage: storage) else { continue }
            slots.append(slot)
        }
        // The stored list stays in resolution order, as placing the event would have left it.
        slots.sort { IdentityRules.precedes(nodes[Int($0)].identifier, nodes[Int($1)].identifier) }
        keys = slots.map { nodes[Int($0)].key }
        try storage.setIdentifierKeys(keys, ofEvent: seq)
        let madeHubs = recordWitnesses(slots)
        let linking = slots.filter { nodes[Int($0)].status == .linking }
        let component = try joinComponents(of: linking, founding: seq, storage: storage)
        if isNew && !madeHubs && placed.ownCustomer == nil,
           let principal = linking.first, let customerID = try attachInPlace(added, principal: principal, storage: storage)
        {
            return customerID
        }
        // A customer of its own is reached by no identifier: the recomputation is told of it.
        if let own = placed.ownCustomer { amendedOwnCustomers.insert(currentCustomer(own)) }
        marked.insert(component)
        return nil
    }

    /// Attaches a new identifier, just given to an event placed by `principal`, to that
    /// event's customer, and returns that customer, or `nil` when it cannot. A from-scratch run over the component
    /// would attach it there when it reaches the event, and nothing after it would differ:
    /// so when the identifier is not the event's principal, its kind has no limit, and it
    /// does not become the customer's anchor (its id), no recomputation is needed. This is
    /// what makes a probabilistic link to a known customer cheap.
    private mutating func attachInPlace(_ slot: Int32, principal: Int32, storage: some IdentityStorage) throws
        -> CustomerID?
    {
        let identifier = nodes[Int(slot)].identifier
        guard principal != slot, nodes[Int(slot)].status == .linking, rules.limit(identifier.kind) == .max,
              let customerID = currentCustomer(of: principal)
        else { return nil }
        guard let anchor = try customer(customerID, storage: storage).summary.anchor,
              IdentityRules.precedes(anchor, identifier)
        else { return nil }
        customers[customerID]!.summary.attach(identifier)
        dirtyCustomers.insert(customerID)
        nodes[Int(slot)].customerID = customerID
        dirtySlots.insert(slot)
        return customerID
    }

    /// The slot of the identifier stored under `key`, loading it when needed.
    private mutating func slot(ofKey key: Int64, storage: some IdentityStorage) throws -> Int32? {
        if let slot = slotOfKey[key] {
            slotUsed[Int(slot)] = clock
            return slot
        }
        guard storeMayHoldMore || evictedKeys.contains(key), let stored = try storage.identifier(atKey: key) else {
            return nil
        }
        return load(stored)
    }

    /// Writes back what changed and recomputes the marked components; call it before the
    /// transaction commits. Returns the recomputations, for the projections to follow.
    mutating func finish(storage: some IdentityStorage) throws -> [Recomputation] {
        try writeBack(storage)
        let recomputations = try recomputeMarked(storage: storage)
        if !recomputations.isEmpty { try writeBack(storage) }
        try letGo(storage: storage)
        return recomputations
    }

    /// Recomputes the components marked since the last call, from what the store holds:
    /// call it after ``writeBack(_:)``, and write back again after it.
    mutating func recomputeMarked(storage: some IdentityStorage) throws -> [Recomputation] {
        guard !marked.isEmpty else { return [] }
        var components: Set<Int64> = []
        for label in marked { components.insert(try root(of: label, storage: storage)) }
        marked.removeAll()
        defer { amendedOwnCustomers.removeAll() }
        return try recompute(components, storage: storage).map { [$0] } ?? []
    }

    /// The customers the next write-back writes, and those it removes.
    var customersToWrite: (written: Set<CustomerID>, removed: Set<CustomerID>) { (dirtyCustomers, removedCustomers) }

    // MARK: Identifiers

    /// The slot of an identifier, loading it or creating it (then `isNew`) as needed.
    private mutating func slot(of identifier: Identifier, digest: Int64, isJunk: Bool, storage: some IdentityStorage)
        throws -> (slot: Int32, isNew: Bool)
    {
        var key = digest
        while true {
            if let slot = slotOfKey[key] {
                if nodes[Int(slot)].identifier == identifier {
                    slotUsed[Int(slot)] = clock
                    return (slot, false)
                }
            } else if storeMayHoldMore || evictedKeys.contains(key), let stored = try storage.identifier(atKey: key) {
                let slot = load(stored)
                if nodes[Int(slot)].identifier == identifier { return (slot, false) }
            } else {
                break
            }
            key &+= 1  // a digest clash: the next key, as the event log does
        }
        let status: IdentifierNode.Status = isJunk ? .junk : .linking
        let slot = place(IdentifierNode(key: key, identifier: identifier, status: status, witnesses: WitnessSet()))
        dirtySlots.insert(slot)
        unstoredSlots.insert(slot)
        return (slot, true)
    }

    /// Puts a node in its slot, or a free one.
    private mutating func place(_ node: IdentifierNode) -> Int32 {
        if let slot = slotOfKey[node.key] {
            nodes[Int(slot)] = node
            slotUsed[Int(slot)] = clock
            return slot
        }
        evictedKeys.remove(node.key)
        let slot: Int32
        if let free = freeSlots.popLast() {
            slot = free
            nodes[Int(slot)] = node
            slotUsed[Int(slot)] = clock
        } else {
            slot = Int32(nodes.count)
            nodes.append(node)
            slotUsed.append(clock)
        }
        slotOfKey[node.key] = slot
        return slot
    }

    /// Takes a row from the store, reading it through the forwards not yet written.
    @discardableResult
    private mutating func load(_ stored: IdentifierNode) -> Int32 {
        var node = stored
        node.customerID = node.customerID.map(currentCustomer)
        return place(node)
    }

    private func currentCustomer(of slot: Int32) -> CustomerID? {
        guard let id = nodes[Int(slot)].customerID else { return nil }
        return customerForward.isEmpty ? id : currentCustomer(id)
    }

    private func currentCustomer(_ id: CustomerID) -> CustomerID {
        var id = id
        while let next = customerForward[id] { id = next }
        return id
    }

    /// The root label of a component label, following links (loaded as needed).
    private mutating func root(of label: Int64, storage: some IdentityStorage) throws -> Int64 {
        var current = label
        var path: [Int64] = []
        while true {
            if let parent = componentParent[current] {
                if parent == current { break }
                path.append(current)
                current = parent
            } else if storeMayHoldMore, let parent = try storage.componentParent(of: current) {
                componentParent[current] = parent
                path.append(current)
                current = parent
            } else {
                componentParent[current] = current
                break
            }
        }
        // Shorter paths next time; the store keeps its own links, which stay right.
        for label in path.dropLast() where !dirtyLinks.contains(label) { componentParent[label] = current }
        return current
    }

    /// Records which witnesses each identifier of an event was seen with, leaving out an
    /// alias's own forms (a person's alias call says two ids are one account, not two), and
    /// turns identifiers seen with too many into hubs, marking their components. Returns
    /// whether any became one.
    private mutating func recordWitnesses(_ slots: [Int32]) -> Bool {
        guard slots.count > 1 else { return false }
        var witnesses: [Int32] = []
        for slot in slots where nodes[Int(slot)].status != .junk && rules.isWitness(nodes[Int(slot)].identifier.kind) {
            if !isPreviousIDForm(slot, among: slots) { witnesses.append(slot) }
        }
        guard !witnesses.isEmpty else { return false }
        var madeHubs = false
        for slot in slots where nodes[Int(slot)].status == .linking {
            let kind = nodes[Int(slot)].identifier.kind
            for witness in witnesses where witness != slot {
                let witnessKind = nodes[Int(witness)].identifier.kind
                guard witnessKind != kind,
                      let seen = nodes[Int(slot)].witnesses.insert(nodes[Int(witness)].key, kind: witnessKind)
                else { continue }
                dirtySlots.insert(slot)
                if seen > rules.hubThreshold(kind, witness: witnessKind) {
                    nodes[Int(slot)].status = .hub
                    if let component = nodes[Int(slot)].component { marked.insert(component) }
                    madeHubs = true
                    break
                }
            }
        }
        return madeHubs
    }

    /// Whether the identifier at `slot` is one of an alias's own forms among an event's
    /// identifiers (``IdentityRules/previousIDForms(in:)``): a user id with an anonymous id
    /// of the same value, or that anonymous id. Asked of the event's few identifiers in
    /// place, since most events have no such pair and building sets for each costs more.
    private func isPreviousIDForm(_ slot: Int32, among slots: [Int32]) -> Bool {
        let identifier = nodes[Int(slot)].identifier
        let counterpart: Identifier.Kind
        switch identifier.kind {
        case .userID: counterpart = .anonymousID
        case .anonymousID: counterpart = .userID
        default: return false
        }
        return slots.contains {
            nodes[Int($0)].identifier.kind == counterpart && nodes[Int($0)].identifier.value == identifier.value
        }
    }

    // MARK: Customers and components

    private mutating func customer(_ id: CustomerID, storage: some IdentityStorage) throws -> CustomerNode {
        customerUsed[id] = clock
        if let known = customers[id] { return known }
        return try load(id, storage: storage)
    }

    /// Where a customer's last event is, read in place: copying the node out would retain
    /// each of its fields, for every event of a customer already known.
    private mutating func lastPosition(of id: CustomerID, storage: some IdentityStorage) throws -> EventPosition {
        customerUsed[id] = clock
        if let last = customers[id]?.last { return last }
        return try load(id, storage: storage).last
    }

    /// Reads a customer that is not in the working set into it.
    private mutating func load(_ id: CustomerID, storage: some IdentityStorage) throws -> CustomerNode {
        guard storeMayHoldMore || evictedCustomers.remove(id) != nil, let stored = try storage.customer(id) else {
            throw UnifyError(code: .storageFailure,
                             message: "customer \(id) is named by an identifier but has no row; run `unify rebuild`")
        }
        customers[id] = stored
        return stored
    }

    /// Makes `id` a current customer with `node`. A new id may have been retired before (a
    /// customer split again): it stops redirecting.
    private mutating func install(_ id: CustomerID, _ node: CustomerNode, isNew: Bool) {
        customers[id] = node
        customerUsed[id] = clock
        evictedCustomers.remove(id)
        dirtyCustomers.insert(id)
        // Retired since the last write-back, its row stays until the write-back removes it.
        let wasRemoved = removedCustomers.remove(id) != nil
        if isNew && !wasRemoved { unstoredCustomers.insert(id) }
        if isNew {
            if customerForward.removeValue(forKey: id) != nil || storeMayHoldMore { reinstated.insert(id) }
            madeSinceWriteBack.insert(id)
        }
    }

    private mutating func retire(_ retired: CustomerID, into survivor: CustomerID, at seq: Int64, anchor: String) {
        customers[retired] = nil
        customerUsed[retired] = nil
        evictedCustomers.remove(retired)
        dirtyCustomers.remove(retired)
        unstoredCustomers.remove(retired)
        removedCustomers.insert(retired)
        // A retired id that comes back and goes again is still one users may hold.
        let wasReinstated = reinstated.remove(retired) != nil
        customerForward[retired] = survivor
        retirements.append(Retirement(retired: retired, survivor: survivor, seq: seq, anchor: anchor,
                                      identifiersMayBeStored: !madeSinceWriteBack.contains(retired),
                                      wasSeen: wasReinstated))
    }

    /// Puts an event's linking identifiers in one component: the oldest of theirs (by its
    /// founding event) takes the others under it, or the event founds a new one. Returns
    /// its root label.
    private mutating func joinComponents(of linking: [Int32], founding seq: Int64, storage: some IdentityStorage) throws
        -> Int64
    {
        var roots: [Int64] = []
        for slot in linking {
            if let label = nodes[Int(slot)].component {
                let root = try root(of: label, storage: storage)
                if !roots.contains(root) { roots.append(root) }
            }
        }
        let name = roots.min() ?? seq
        if roots.isEmpty { componentParent[seq] = seq }
        for root in roots where root != name {
            componentParent[root] = name
            dirtyLinks.insert(root)
            removedLinks.remove(root)
        }
        for slot in linking where nodes[Int(slot)].component == nil {
            nodes[Int(slot)].component = name
            dirtySlots.insert(slot)
        }
        return name
    }

    // MARK: Writing back

    /// Whether the graph holds more than its limit allows: then the caller calls
    /// ``letGo(storage:)``, even mid-transaction.
    var isOverLimit: Bool {
        slotOfKey.count > identifierLimit || customers.count > customerLimit
    }

    /// Lets go of the least recently used identifiers and customers, down to three quarters
    /// of the limit, writing those that changed first (within the transaction: a row is read
    /// back on this connection if it is needed again). Returns the customers let go, whose
    /// profiles the caller lets go too.
    ///
    /// Only what is let go is written: what stays in memory is written with everything else
    /// at the end of the transaction, once however often it changes.
    @discardableResult
    mutating func letGo(storage: some IdentityStorage) throws -> [CustomerID] {
        var releasedCustomers: [CustomerID] = []
        if customers.count > customerLimit {
            let stamps = customerUsed.lazy.map { (key: $0.key, stamp: $0.value) }
            releasedCustomers = RecentUse.leastRecentlyUsed(stamps, keeping: customerLimit * 3 / 4)
            let changed = releasedCustomers.filter { dirtyCustomers.contains($0) }.sorted()
            try storage.save(customers: changed.map { ($0, customers[$0]!) }, removing: [], unstored: unstoredCustomers)
            for id in releasedCustomers {
                customers[id] = nil
                customerUsed[id] = nil
                dirtyCustomers.remove(id)
                unstoredCustomers.remove(id)
                // Its row is stored now: a later retirement must move what names it.
                madeSinceWriteBack.remove(id)
                if !storeMayHoldMore { evictedCustomers.insert(id) }
            }
        }
        if slotOfKey.count > identifierLimit {
            let used = slotUsed
            let stamps = slotOfKey.map { (key: $0.key, stamp: used[Int($0.value)]) }
            var changed: [IdentifierNode] = []
            var made: [IdentifierNode] = []
            for key in RecentUse.leastRecentlyUsed(stamps, keeping: identifierLimit * 3 / 4) {
                let slot = slotOfKey.removeValue(forKey: key)!
                if dirtySlots.remove(slot) != nil {
                    var node = nodes[Int(slot)]
                    node.customerID = node.customerID.map(currentCustomer)
                    if let owner = node.customerID { madeSinceWriteBack.remove(owner) }
                    if unstoredSlots.remove(slot) != nil { made.append(node) } else { changed.append(node) }
                }
                nodes[Int(slot)] = IdentifierNode(key: 0, identifier: Identifier(normalised: "", kind: .userID),
                                                  status: .junk, witnesses: WitnessSet())
                freeSlots.append(slot)
                if !storeMayHoldMore { evictedKeys.insert(key) }
            }
            try storage.insert(identifiers: made.sorted { $0.key < $1.key })
            try storage.save(identifiers: changed.sorted { $0.key < $1.key })
        }
        return releasedCustomers
    }

    /// Writes every change since the last write-back.
    mutating func writeBack(_ storage: some IdentityStorage) throws {
        // An id made and retired since the last write-back was never seen outside this
        // transaction: nothing names it, no one holds it.
        for var retirement in retirements where retirement.identifiersMayBeStored || retirement.wasSeen {
            // Straight to the customer that holds its events now: a survivor made since the
            // last write-back may itself have been retired, and no stored row names it.
            retirement.survivor = currentCustomer(retirement.survivor)
            try storage.retire(retirement)
        }
        for id in reinstated { try storage.reinstate(id) }
        // In key order: SQLite writes a B-tree fastest front to back.
        func written(_ slots: some Sequence<Int32>) -> [IdentifierNode] {
            slots.map { slot in
                var node = nodes[Int(slot)]
                node.customerID = node.customerID.map(currentCustomer)
                return node
            }.sorted { $0.key < $1.key }
        }
        try storage.insert(identifiers: written(unstoredSlots))
        try storage.save(identifiers: written(dirtySlots.subtracting(unstoredSlots)))
        try storage.save(customers: dirtyCustomers.sorted().map { ($0, customers[$0]!) },
                         removing: removedCustomers.sorted(), unstored: unstoredCustomers)
        try storage.save(componentLinks: dirtyLinks.sorted().map { ($0, componentParent[$0]!) },
                         removing: removedLinks.sorted())
        retirements.removeAll()
        reinstated.removeAll()
        dirtySlots.removeAll()
        unstoredSlots.removeAll()
        dirtyCustomers.removeAll()
        unstoredCustomers.removeAll()
        removedCustomers.removeAll()
        dirtyLinks.removeAll()
        removedLinks.removeAll()
        madeSinceWriteBack.removeAll()
    }

    // MARK: Recomputing

    /// Places every event of `components` again, in canonical order, and takes the result
    /// in as changes to write back.
    private mutating func recompute(_ components: Set<Int64>, storage: some IdentityStorage) throws -> Recomputation? {
        let contents = try storage.contents(ofComponents: components, ownCustomers: amendedOwnCustomers)
        guard !contents.events.isEmpty else { return nil }
        let result = ComponentRecomputation(contents: contents, rules: rules, customerIDs: customerIDs)

        // The recomputed rows name current customers and components: no forwards apply.
        for (id, node) in result.customers { install(id, node, isNew: !result.previousCustomers.contains(id)) }
        for (_, node) in result.identifiers { dirtySlots.insert(place(node)) }
        // Every label of the old trees goes; the new components are roots of their own.
        for label in contents.labels {
            componentParent[label] = nil
            dirtyLinks.remove(label)
            removedLinks.insert(label)
        }
        for label in result.components { componentParent[label] = label }
        for (seq, principal) in result.principalChanges {
            try storage.setPrincipal(principal, ownCustomerID: principal == nil ? result.ownCustomerIDs[seq] : nil,
                                     ofEvent: seq)
        }
        for (retired, survivor) in result.retired {
            retire(retired, into: survivor, at: result.lastSeq, anchor: result.previousAnchors[retired] ?? "")
        }
        return Recomputation(removed: result.previousCustomers.subtracting(result.customers.keys).sorted(),
                             customers: result.eventsOfCustomer)
    }
}

/// What placing an event did: the customer it joined, and the customers that one absorbed
/// (their ids now redirect to it).
struct Placement: Sendable, Equatable {
    var customerID: CustomerID
    var absorbed: [CustomerID]
}

/// A recomputed component: the customers it had that no longer exist, and every customer it
/// has now with its events (by sequence number), for projections to derive again.
struct Recomputation: Sendable {
    var removed: [CustomerID]
    var customers: [CustomerID: [Int64]]
}

/// An event as resolution writes it: its identifiers, and the principal that placed it (the
/// identifier whose customer it belongs to) or, when it has none, the customer of its own.
struct ResolvedEvent: Sendable {
    var seq: Int64
    var time: Int64
    var identifierKeys: [Int64]
    var explicit: Bool
    var principal: Int64?
    var ownCustomerID: CustomerID?

    func placed(by principal: Int64) -> ResolvedEvent {
        var event = self
        event.principal = principal
        return event
    }

    func owning(_ customerID: CustomerID) -> ResolvedEvent {
        var event = self
        event.ownCustomerID = customerID
        return event
    }
}

/// A customer id retired into another by an event, with what it was made from.
struct Retirement: Sendable {
    var retired: CustomerID
    var survivor: CustomerID
    var seq: Int64
    var anchor: String
    /// Whether stored identifiers may name the retired id; not when it was made since the last
    /// write-back, so no identifier written names it.
    var identifiersMayBeStored = true
    /// Whether the id was retired once before, and users may hold it.
    var wasSeen = false
}
