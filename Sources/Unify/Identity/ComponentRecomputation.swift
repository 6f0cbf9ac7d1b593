/// One or more components placed again from scratch: every event in canonical order through
/// ``ClusterBuilder``, as if the store held nothing else.
///
/// Pure: it reads the components' stored contents and says what they become (identifiers,
/// customers, components, principals, retired ids); ``IdentityGraph`` takes that in as
/// changes to write back. A component may come apart into several (an identifier became a
/// hub), and an event whose identifiers all stopped linking becomes a customer of its own.
struct ComponentRecomputation {
    /// Every identifier of the contents, with its component and customer now.
    private(set) var identifiers: [Int64: IdentifierNode] = [:]
    /// The components now, named by their smallest event sequence number.
    private(set) var components: Set<Int64> = []
    /// Events whose principal changed (`nil`: the event is a customer of its own now).
    private(set) var principalChanges: [(Int64, Int64?)] = []
    /// The customer ids of events that are customers of their own.
    private(set) var ownCustomerIDs: [Int64: CustomerID] = [:]
    /// Every customer now, with its summary, and its events in canonical order.
    private(set) var customers: [CustomerID: CustomerNode] = [:]
    private(set) var eventsOfCustomer: [CustomerID: [Int64]] = [:]
    /// The customers the components had before.
    private(set) var previousCustomers: Set<CustomerID> = []
    /// Previous customers that no longer exist, and where most of their events went.
    private(set) var retired: [(CustomerID, CustomerID)] = []
    /// What each previous customer's id was made from.
    private(set) var previousAnchors: [CustomerID: String] = [:]
    /// The latest event (by sequence number), recorded with the ids this retires.
    private(set) var lastSeq: Int64 = 0

    init(contents: ComponentContents, rules: IdentityRules, customerIDs: CustomerIDs) {
        let events = contents.events.sorted { $0.position < $1.position }
        lastSeq = events.map(\.seq).max() ?? 0
        var builder = ClusterBuilder(rules: rules)
        var clusterOfEvent: [Int] = []
        var linkingOfEvent: [[Int64]] = []
        var sets = DisjointSets(count: events.count)
        var identifierSet: [Int64: Int] = [:]
        for (index, event) in events.enumerated() {
            let linking = event.identifierKeys.filter { contents.identifiers[$0]?.status == .linking }
            linkingOfEvent.append(linking)
            clusterOfEvent.append(builder.process(
                eventID: event.position.eventID, linking: linking.map { contents.identifiers[$0]!.identifier },
                explicit: event.explicit
            ).cluster)
            for key in linking {
                if let set = identifierSet[key] {
                    sets.union(index, set)
                } else {
                    identifierSet[key] = index
                }
            }
        }

        // Customers: one per cluster, named after its anchor or its founding event.
        var customerOfCluster: [Int: CustomerID] = [:]
        for (index, cluster) in builder.clusters {
            customerOfCluster[index] = cluster.summary.anchor.map(customerIDs.id(anchor:))
                ?? customerIDs.id(eventID: cluster.firstEventID ?? "")
        }
        var componentOfSet: [Int: Int64] = [:]
        for (index, event) in events.enumerated() {
            let root = sets.find(index)
            componentOfSet[root] = min(componentOfSet[root] ?? event.seq, event.seq)
        }
        for (index, event) in events.enumerated() {
            let cluster = builder.current(clusterOfEvent[index])
            let customerID = customerOfCluster[cluster]!
            var node = customers[customerID] ?? CustomerNode(
                summary: builder.cluster(cluster).summary, last: event.position, eventList: EventList())
            node.last = event.position
            node.eventList.insert(time: event.position.time, seq: event.seq)
            customers[customerID] = node
            eventsOfCustomer[customerID, default: []].append(event.seq)
            let principal = linkingOfEvent[index].first
            if principal != contents.principal[event.seq] { principalChanges.append((event.seq, principal)) }
            if principal == nil { ownCustomerIDs[event.seq] = customerID }
        }

        // Identifiers: their component and customer now; junk and hubs belong to neither.
        for (key, stored) in contents.identifiers {
            var node = stored
            if node.status == .linking, let set = identifierSet[key] {
                let component = componentOfSet[sets.find(set)]!
                node.component = component
                node.customerID = builder.clusterOf[node.identifier].map { customerOfCluster[builder.current($0)]! }
                components.insert(component)
            } else {
                node.component = nil
                node.customerID = nil
            }
            identifiers[key] = node
        }

        // Customer ids that no longer name anyone redirect to where most of their events went.
        var bestAnchor: [CustomerID: Identifier] = [:]
        for stored in contents.identifiers.values {
            guard let owner = stored.customerID else { continue }
            previousCustomers.insert(owner)
            if bestAnchor[owner].map({ IdentityRules.precedes(stored.identifier, $0) }) ?? true {
                bestAnchor[owner] = stored.identifier
            }
        }
        for (owner, anchor) in bestAnchor { previousAnchors[owner] = anchor.description }
        for (seq, owner) in contents.ownCustomer {
            previousCustomers.insert(owner)
            if let event = events.first(where: { $0.seq == seq }) { previousAnchors[owner] = "event:\(event.position.eventID)" }
        }
        var destinations: [CustomerID: [CustomerID: Int]] = [:]
        for (index, event) in events.enumerated() {
            guard let before = contents.ownCustomer[event.seq]
                    ?? contents.principal[event.seq].flatMap({ contents.identifiers[$0]?.customerID }) else { continue }
            let now = customerOfCluster[builder.current(clusterOfEvent[index])]!
            destinations[before, default: [:]][now, default: 0] += 1
        }
        for (before, targets) in destinations.sorted(by: { $0.key < $1.key }) where customers[before] == nil {
            let survivor = targets.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key
            retired.append((before, survivor))
        }
    }
}

/// Union-find over dense indices, with path compression.
struct DisjointSets {
    private var parent: [Int]

    init(count: Int) {
        parent = Array(0..<count)
    }

    mutating func find(_ element: Int) -> Int {
        var root = element
        while parent[root] != root { root = parent[root] }
        var node = element
        while parent[node] != root {
            let next = parent[node]
            parent[node] = root
            node = next
        }
        return root
    }

    mutating func union(_ first: Int, _ second: Int) {
        let (left, right) = (find(first), find(second))
        if left != right { parent[max(left, right)] = min(left, right) }
    }
}
