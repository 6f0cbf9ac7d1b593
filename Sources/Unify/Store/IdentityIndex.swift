internal import GRDB

/// Keeps the identity graph current as events are appended, inside the append's transaction.
///
/// Tables: `identifiers` (every identifier, its status, its raw component and its customer),
/// `identifier_anchors` (which one-per-customer identifiers each identifier was seen with,
/// for hub detection), `event_identity` (each event's identifiers, component and customer),
/// `components` (connected sets of events and identifiers, named after one of their events,
/// with their latest event and size), `customer_redirects` (retired customer ids).
///
/// Every event is first placed on top of its customers' current state. When it comes after
/// everything in the components it touches, that is exactly what a from-scratch run in
/// canonical order would do (the fast path). When it lands in a component's past, or makes an
/// identifier a hub, its component is marked, and ``finish()`` recomputes each marked
/// component once, from all its events in canonical order, before the transaction commits.
/// ``ClusterBuilder`` does the placing in both cases, so they agree.
struct IdentityIndex {
    let rules: IdentityRules
    let customerIDs: CustomerIDs
    let db: Database
    /// Events whose components must be recomputed before the transaction ends.
    private var marked: Set<Int64> = []
    /// What this transaction has read or written of the graph. Every write to the graph goes
    /// through this type, which keeps these current; they are dropped when the transaction
    /// ends, since another process may write between transactions.
    private var endOfComponent: [Int64: ComponentEnd] = [:]
    /// Components whose latest event changed, written out at ``finish()``.
    private var movedComponents: Set<Int64> = []
    private var identifiersOfCustomer: [String: [Identifier]] = [:]
    private var knownIdentifiers: [Identifier: StoredIdentifier] = [:]
    /// Customer ids and components retired in this transaction, and what replaced them.
    private var customerForward: [String: String] = [:]
    private var componentForward: [Int64: Int64] = [:]
    private var seenAnchorPairs: Set<AnchorPair> = []

    private struct AnchorPair: Hashable {
        var identifier: Int64
        var anchor: Int64
    }
    private let statements: Statements

    /// The statements run for every event, prepared once per transaction.
    private struct Statements {
        let findIdentifier: SQLiteStatement
        let insertIdentifier: SQLiteStatement
        let insertAnchor: SQLiteStatement
        let countAnchors: SQLiteStatement
        let lastOfComponent: SQLiteStatement
        let identifiersOfCustomer: SQLiteStatement
        let attach: SQLiteStatement
        let setComponent: SQLiteStatement
        let upsertComponent: SQLiteStatement
        let insertEvent: SQLiteStatement

        init(_ db: Database) throws(UnifyError) {
            findIdentifier = try SQLiteStatement(db, sql: """
                SELECT id, kind, value, status, component, customer_id FROM identifiers WHERE identifier_key = ?1
                """)
            insertIdentifier = try SQLiteStatement(db, sql: """
                INSERT INTO identifiers (identifier_key, kind, value, status) VALUES (?1, ?2, ?3, ?4)
                """)
            insertAnchor = try SQLiteStatement(db, sql: """
                INSERT OR IGNORE INTO identifier_anchors (identifier_id, anchor_id, anchor_kind) VALUES (?1, ?2, ?3)
                """)
            countAnchors = try SQLiteStatement(db, sql: """
                SELECT count(*) FROM identifier_anchors WHERE identifier_id = ?1 AND anchor_kind = ?2
                """)
            lastOfComponent = try SQLiteStatement(db, sql: """
                SELECT last_time, last_event_id, size FROM components WHERE id = ?1
                """)
            identifiersOfCustomer = try SQLiteStatement(db, sql: """
                SELECT kind, value FROM identifiers WHERE customer_id = ?1 ORDER BY id
                """)
            attach = try SQLiteStatement(db, sql: "UPDATE identifiers SET customer_id = ?1 WHERE id = ?2")
            setComponent = try SQLiteStatement(db, sql: "UPDATE identifiers SET component = ?1 WHERE id = ?2")
            upsertComponent = try SQLiteStatement(db, sql: """
                INSERT INTO components (id, last_time, last_event_id, size) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (id) DO UPDATE SET last_time = excluded.last_time, last_event_id = excluded.last_event_id,
                    size = excluded.size
                """)
            insertEvent = try SQLiteStatement(db, sql: """
                INSERT INTO event_identity (seq, time, event_id, identifier_ids, explicit, component, customer_id)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                """)
        }
    }

    /// An identifier as the store holds it.
    struct StoredIdentifier {
        var rowID: Int64
        var identifier: Identifier
        var status: Status
        var component: Int64?
        var customerID: String?
    }

    enum Status: String {
        case linking, junk, hub
    }

    init(db: Database, rules: IdentityRules, customerIDs: CustomerIDs) throws(UnifyError) {
        self.db = db
        self.rules = rules
        self.customerIDs = customerIDs
        statements = try Statements(db)
    }

    /// Resolves a newly logged event.
    mutating func add(_ event: Event, seq: Int64) throws {
        let (identifiers, explicit) = rules.identityIdentifiers(of: event)
        var stored: [StoredIdentifier] = []
        for identifier in identifiers { stored.append(try storedIdentifier(identifier)) }
        let newHubs = try recordAnchors(stored)
        for hub in newHubs {
            stored[stored.firstIndex { $0.rowID == hub.rowID }!].status = .hub
            knownIdentifiers[hub.identifier]?.status = .hub
        }

        let linking = stored.filter { $0.status == .linking }
        var components = Set(linking.compactMap(\.component))
        components.formUnion(newHubs.compactMap(\.component))
        let position = (event.time.millisecondsSince1970, event.id)
        var isLatest = newHubs.isEmpty
        if isLatest {
            for component in components where !canonicallyPrecedes(try end(of: component).last, position) {
                isLatest = false
                break
            }
        }
        let entry = EventIdentity(seq: seq, time: event.time.millisecondsSince1970, eventID: event.id,
                                  identifierIDs: stored.map(\.rowID), explicit: explicit)
        for hub in newHubs {
            if let component = hub.component,
               let member = try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM event_identity WHERE component = ? LIMIT 1"),
                                               arguments: [component])
            {
                marked.insert(member)
            }
        }
        try place(entry, linking: linking, components: components)
        if !isLatest { marked.insert(seq) }
    }

    /// Recomputes the components marked since the last call; call it before committing.
    mutating func finish() throws {
        let upsert = statements.upsertComponent
        for component in movedComponents {
            guard let end = endOfComponent[component] else { continue }
            upsert.bind(1, component)
            upsert.bind(2, end.last.0)
            upsert.bind(3, end.last.1)
            upsert.bind(4, end.size)
            try upsert.run()
        }
        movedComponents.removeAll()
        endOfComponent.removeAll()
        identifiersOfCustomer.removeAll()
        knownIdentifiers.removeAll()
        customerForward.removeAll()
        componentForward.removeAll()
        seenAnchorPairs.removeAll()
        guard !marked.isEmpty else { return }
        var components: Set<Int64> = []
        let componentOf = try db.cachedStatement(sql: "SELECT component FROM event_identity WHERE seq = ?")
        for seq in marked {
            if let component = try Int64.fetchOne(componentOf, arguments: [seq]) { components.insert(component) }
        }
        let latest = marked.max()!
        marked.removeAll()
        try recompute(components: components, at: latest)
    }

    // MARK: Identifiers

    private mutating func storedIdentifier(_ identifier: Identifier) throws -> StoredIdentifier {
        if var known = knownIdentifiers[identifier] {
            known.customerID = known.customerID.map(current(customer:))
            known.component = known.component.map(current(component:))
            return known
        }
        let stored = try readIdentifier(identifier)
        knownIdentifiers[identifier] = stored
        return stored
    }

    private func current(customer: String) -> String {
        var id = customer
        while let next = customerForward[id] { id = next }
        return id
    }

    private func current(component: Int64) -> Int64 {
        var id = component
        while let next = componentForward[id] { id = next }
        return id
    }

    private func readIdentifier(_ identifier: Identifier) throws -> StoredIdentifier {
        var key = ContentDigest(identifier.description).integerKey
        let find = statements.findIdentifier
        while true {
            find.bind(1, key)
            defer { find.reset() }
            guard try find.step() else { break }
            if find.column(1, equals: identifier.kind.rawValue) && find.column(2, equals: identifier.value) {
                return StoredIdentifier(rowID: find.int64(0)!, identifier: identifier,
                                        status: Status(rawValue: find.text(3)!)!, component: find.int64(4),
                                        customerID: find.text(5))
            }
            key &+= 1  // a digest clash: the next key, as the event log does
        }
        let status: Status = rules.isJunk(identifier) ? .junk : .linking
        let insert = statements.insertIdentifier
        insert.bind(1, key)
        insert.bind(2, identifier.kind.rawValue)
        insert.bind(3, identifier.value)
        insert.bind(4, status.rawValue)
        try insert.run()
        return StoredIdentifier(rowID: insert.lastInsertedRowID, identifier: identifier, status: status)
    }

    /// A component's latest event (time, event id) and how many events it has.
    private struct ComponentEnd {
        var last: (Int64, String)
        var size: Int64
    }

    private mutating func end(of component: Int64) throws -> ComponentEnd {
        if let known = endOfComponent[component] { return known }
        let query = statements.lastOfComponent
        query.bind(1, component)
        defer { query.reset() }
        guard try query.step() else {
            throw UnifyError(code: .storageFailure, message: "component \(component) has no row in components")
        }
        let end = ComponentEnd(last: (query.int64(0)!, query.text(1)!), size: query.int64(2)!)
        endOfComponent[component] = end
        return end
    }

    /// Records which one-per-customer identifiers each identifier was seen with; returns the
    /// identifiers this event made hubs.
    /// Records which witnesses (identifiers of one-per-customer kinds, emails, phones) each
    /// identifier was seen with, leaving out an alias's own forms: a person's alias call says
    /// two ids are one account, not two. Returns the identifiers this event made hubs.
    private mutating func recordAnchors(_ stored: [StoredIdentifier]) throws -> [StoredIdentifier] {
        let previous = IdentityRules.previousIDForms(in: stored.map(\.identifier))
        let anchors = stored.filter {
            $0.status != .junk && rules.isWitness($0.identifier.kind) && !previous.contains($0.identifier)
        }
        guard !anchors.isEmpty else { return [] }
        var hubs: [StoredIdentifier] = []
        let insert = statements.insertAnchor
        let count = statements.countAnchors
        for identifier in stored where identifier.status != .junk {
            for anchor in anchors where anchor.identifier.kind != identifier.identifier.kind {
                guard seenAnchorPairs.insert(AnchorPair(identifier: identifier.rowID, anchor: anchor.rowID)).inserted
                else { continue }
                insert.bind(1, identifier.rowID)
                insert.bind(2, anchor.rowID)
                insert.bind(3, anchor.identifier.kind.rawValue)
                try insert.run()
                guard insert.changes > 0, identifier.status == .linking else { continue }
                count.bind(1, identifier.rowID)
                count.bind(2, anchor.identifier.kind.rawValue)
                _ = try count.step()
                let seen = count.int64(0) ?? 0
                count.reset()
                let threshold = rules.hubThreshold(identifier.identifier.kind, witness: anchor.identifier.kind)
                if seen > Int64(threshold) && !hubs.contains(where: { $0.rowID == identifier.rowID }) {
                    try db.cachedStatement(sql: "UPDATE identifiers SET status = 'hub' WHERE id = ?").execute(arguments: [identifier.rowID])
                    hubs.append(identifier)
                }
            }
        }
        return hubs
    }

    // MARK: Fast path

    /// Places an event on its customers' current state: final when the event comes after
    /// everything in its components, provisional otherwise.
    private mutating func place(_ entry: EventIdentity, linking: [StoredIdentifier], components: Set<Int64>) throws {
        var builder = ClusterBuilder(rules: rules)
        var anchorOfSeeded: [String: String] = [:]
        for customerID in linking.compactMap(\.customerID) where anchorOfSeeded[customerID] == nil {
            let identifiers = try identifiers(ofCustomer: customerID)
            anchorOfSeeded[customerID] = identifiers.min(by: IdentityRules.precedes)?.description ?? ""
            builder.seed(customerID: customerID, identifiers: identifiers)
        }
        let outcome = builder.process(eventID: entry.eventID, linking: linking.map(\.identifier), explicit: entry.explicit)
        let customerID = builder.anchor(of: outcome.cluster).map(customerIDs.id(anchor:))
            ?? customerIDs.id(eventID: entry.eventID)

        for retired in builder.clusters[outcome.cluster]!.storedCustomerIDs where retired != customerID {
            try retire(retired, into: customerID, at: entry.seq, anchor: anchorOfSeeded[retired])
        }
        if !outcome.attached.isEmpty {
            let byIdentifier = Dictionary(linking.map { ($0.identifier, $0.rowID) }) { first, _ in first }
            for identifier in outcome.attached {
                statements.attach.bind(1, customerID)
                statements.attach.bind(2, byIdentifier[identifier]!)
                try statements.attach.run()
                knownIdentifiers[identifier]?.customerID = customerID
            }
            identifiersOfCustomer[customerID] = builder.clusters[outcome.cluster]!.identifiers
        }

        // Components: the event joins every component its linking identifiers are in. The
        // largest keeps its name, so only the smaller ones are relabelled.
        var merged = ComponentEnd(last: (entry.time, entry.eventID), size: 1)
        var component = entry.seq
        var largest: Int64 = 0
        for other in components.sorted() {
            let end = try self.end(of: other)
            if canonicallyPrecedes(merged.last, end.last) { merged.last = end.last }
            merged.size += end.size
            if end.size > largest {
                largest = end.size
                component = other
            }
        }
        for other in components where other != component {
            try db.cachedStatement(sql: "UPDATE identifiers SET component = ? WHERE component = ?").execute(arguments: [component, other])
            try db.cachedStatement(sql: "UPDATE event_identity SET component = ? WHERE component = ?").execute(arguments: [component, other])
            try db.cachedStatement(sql: "DELETE FROM components WHERE id = ?").execute(arguments: [other])
            endOfComponent[other] = nil
            movedComponents.remove(other)
            componentForward[other] = component
        }
        for identifier in linking where identifier.component != component {
            statements.setComponent.bind(1, component)
            statements.setComponent.bind(2, identifier.rowID)
            try statements.setComponent.run()
            knownIdentifiers[identifier.identifier]?.component = component
        }
        endOfComponent[component] = merged
        movedComponents.insert(component)
        try insert(entry, component: component, customerID: customerID)
    }

    // MARK: Slow path

    /// Recomputes `components` from all their events; `seq` is the event that caused it,
    /// recorded with any customer id this retires.
    private mutating func recompute(components: Set<Int64>, at seq: Int64) throws {
        var entries: [EventIdentity] = []
        var previousCustomer: [Int64: String] = [:]
        for component in components {
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT seq, time, event_id, identifier_ids, explicit, customer_id FROM event_identity WHERE component = ?
                """), arguments: [component])
            for row in rows {
                let seq: Int64 = row[0]
                entries.append(EventIdentity(seq: seq, time: row[1], eventID: row[2],
                                             identifierIDs: EventIdentity.parse(row[3]), explicit: row[4]))
                previousCustomer[seq] = row[5]
            }
        }
        entries.sort { canonicallyPrecedes(($0.time, $0.eventID), ($1.time, $1.eventID)) }

        var identifiersByRow: [Int64: StoredIdentifier] = [:]
        let byRow = try db.cachedStatement(sql: """
            SELECT id, kind, value, status, component, customer_id FROM identifiers WHERE id = ?
            """)
        for rowID in Set(entries.flatMap(\.identifierIDs)) {
            let row = try Row.fetchOne(byRow, arguments: [rowID])!
            identifiersByRow[rowID] = StoredIdentifier(
                rowID: rowID, identifier: Identifier(normalised: row[2], kind: Identifier.Kind(rawValue: row[1])),
                status: Status(rawValue: row[3])!, component: row[4], customerID: row[5])
        }

        // Place every event, and find the connected sets (components) through linking identifiers.
        var builder = ClusterBuilder(rules: rules)
        var clusterOfEvent: [Int64: Int] = [:]
        var sets = DisjointSets()
        for entry in entries {
            let linking = entry.identifierIDs.compactMap { identifiersByRow[$0] }.filter { $0.status == .linking }
                .sorted { IdentityRules.precedes($0.identifier, $1.identifier) }
            clusterOfEvent[entry.seq] = builder.process(
                eventID: entry.eventID, linking: linking.map(\.identifier), explicit: entry.explicit
            ).cluster
            sets.add(entry.seq)
            for identifier in linking { sets.union(entry.seq, -identifier.rowID) }
        }
        var customerOfCluster: [Int: String] = [:]
        for (index, cluster) in builder.clusters {
            customerOfCluster[index] = builder.anchor(of: index).map(customerIDs.id(anchor:))
                ?? customerIDs.id(eventID: cluster.firstEventID ?? "")
        }
        func customer(of entry: EventIdentity) -> String {
            customerOfCluster[builder.current(clusterOfEvent[entry.seq]!)]!
        }
        // A recomputed component is named by its smallest event sequence number. Component
        // names are the only part of the graph that depends on arrival; only the store uses them.
        var componentName: [Int64: Int64] = [:]
        var latestOfComponent: [Int64: EventIdentity] = [:]
        var sizeOfComponent: [Int64: Int64] = [:]
        for entry in entries {
            let root = sets.find(entry.seq)
            componentName[root] = min(componentName[root] ?? entry.seq, entry.seq)
            latestOfComponent[root] = entry
            sizeOfComponent[root, default: 0] += 1
        }

        for component in components {
            try db.cachedStatement(sql: "DELETE FROM components WHERE id = ?").execute(arguments: [component])
        }
        for (root, last) in latestOfComponent {
            try db.cachedStatement(sql: "INSERT INTO components (id, last_time, last_event_id, size) VALUES (?, ?, ?, ?)")
                .execute(arguments: [componentName[root]!, last.time, last.eventID, sizeOfComponent[root]!])
        }
        for entry in entries {
            let component = componentName[sets.find(entry.seq)]!
            try db.cachedStatement(sql: "UPDATE event_identity SET component = ?, customer_id = ? WHERE seq = ?")
                .execute(arguments: [component, customer(of: entry), entry.seq])
        }
        for (rowID, stored) in identifiersByRow {
            let linked = stored.status == .linking
            let component = linked ? componentName[sets.find(-rowID)] : nil
            let customerID = linked ? builder.clusterOf[stored.identifier].flatMap { customerOfCluster[$0] } : nil
            if component != stored.component || customerID != stored.customerID {
                try db.cachedStatement(sql: "UPDATE identifiers SET component = ?, customer_id = ? WHERE id = ?")
                    .execute(arguments: [component, customerID, rowID])
            }
        }

        // Customer ids that no longer name anyone redirect to where most of their events went.
        var destinations: [String: [String: Int]] = [:]
        var current: Set<String> = []
        for entry in entries {
            let now = customer(of: entry)
            current.insert(now)
            if let before = previousCustomer[entry.seq] { destinations[before, default: [:]][now, default: 0] += 1 }
        }
        var anchorOf: [String: Identifier] = [:]
        for stored in identifiersByRow.values {
            guard let owner = stored.customerID else { continue }
            if anchorOf[owner].map({ IdentityRules.precedes(stored.identifier, $0) }) ?? true {
                anchorOf[owner] = stored.identifier
            }
        }
        for (retired, targets) in destinations where !current.contains(retired) {
            let survivor = targets.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key
            let firstEvent = entries.first { previousCustomer[$0.seq] == retired }!.eventID
            try retire(retired, into: survivor, at: seq, anchor: anchorOf[retired]?.description ?? "event:" + firstEvent)
        }
        for id in current {
            try db.cachedStatement(sql: "DELETE FROM customer_redirects WHERE retired_id = ?").execute(arguments: [id])
        }
    }

    // MARK: Writes

    private func insert(_ entry: EventIdentity, component: Int64, customerID: String) throws {
        let insert = statements.insertEvent
        insert.bind(1, entry.seq)
        insert.bind(2, entry.time)
        insert.bind(3, entry.eventID)
        insert.bind(4, entry.identifierIDs.map(String.init).joined(separator: " "))
        insert.bind(5, entry.explicit ? 1 : 0)
        insert.bind(6, component)
        insert.bind(7, customerID)
        try insert.run()
    }

    /// Moves everything of `retired` to `survivor` and records the redirect, with the anchor
    /// the retired id was made from.
    private mutating func retire(_ retired: String, into survivor: String, at seq: Int64, anchor: String?) throws {
        identifiersOfCustomer[retired] = nil
        identifiersOfCustomer[survivor] = nil
        if retired != survivor { customerForward[retired] = survivor }
        customerForward[survivor] = nil
        try db.cachedStatement(sql: "UPDATE identifiers SET customer_id = ? WHERE customer_id = ?")
            .execute(arguments: [survivor, retired])
        try db.cachedStatement(sql: "UPDATE event_identity SET customer_id = ? WHERE customer_id = ?")
            .execute(arguments: [survivor, retired])
        try db.cachedStatement(sql: "UPDATE customer_redirects SET survivor_id = ? WHERE survivor_id = ?")
            .execute(arguments: [survivor, retired])
        try db.cachedStatement(sql: """
            INSERT INTO customer_redirects (retired_id, survivor_id, seq, anchor) VALUES (?, ?, ?, ?)
            ON CONFLICT (retired_id) DO UPDATE SET survivor_id = excluded.survivor_id, seq = excluded.seq,
                anchor = coalesce(excluded.anchor, customer_redirects.anchor)
            """).execute(arguments: [retired, survivor, seq, anchor.flatMap { $0.isEmpty ? nil : $0 }])
    }

    private mutating func identifiers(ofCustomer customerID: String) throws -> [Identifier] {
        if let known = identifiersOfCustomer[customerID] { return known }
        let query = statements.identifiersOfCustomer
        query.bind(1, customerID)
        defer { query.reset() }
        var found: [Identifier] = []
        while try query.step() {
            found.append(Identifier(normalised: query.text(1)!, kind: Identifier.Kind(rawValue: query.text(0)!)))
        }
        identifiersOfCustomer[customerID] = found
        return found
    }
}

/// Canonical order: by time, then by event id compared as UTF-8 bytes (as SQLite compares
/// them; Swift's own string order treats canonically equivalent spellings as equal).
func canonicallyPrecedes(_ lhs: (Int64, String), _ rhs: (Int64, String)) -> Bool {
    if lhs.0 != rhs.0 { return lhs.0 < rhs.0 }
    return lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8)
}

/// What resolution keeps of an event: when, which identifiers, whether it is explicit.
struct EventIdentity {
    var seq: Int64
    var time: Int64
    var eventID: String
    var identifierIDs: [Int64]
    var explicit: Bool

    static func parse(_ text: String) -> [Int64] {
        text.split(separator: " ").compactMap { Int64($0) }
    }
}

/// Union-find over event sequence numbers (positive) and identifier row ids (negative).
struct DisjointSets {
    private var parent: [Int64: Int64] = [:]

    mutating func add(_ element: Int64) {
        if parent[element] == nil { parent[element] = element }
    }

    mutating func find(_ element: Int64) -> Int64 {
        add(element)
        var root = element
        while parent[root]! != root { root = parent[root]! }
        var node = element
        while parent[node]! != root {
            let next = parent[node]!
            parent[node] = root
            node = next
        }
        return root
    }

    mutating func union(_ first: Int64, _ second: Int64) {
        let (left, right) = (find(first), find(second))
        if left != right { parent[max(left, right)] = min(left, right) }
    }
}
