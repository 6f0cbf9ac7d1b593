import Foundation
internal import GRDB

/// The identity graph's rows in SQLite: `identifiers`, `customers`, `components`,
/// `event_identity` and `customer_redirects` (see docs/SCHEMA.md).
///
/// Statements are prepared once per transaction; every call runs inside the caller's. Event
/// rows appended are held and inserted several at a time: call ``insertPendingEvents()``
/// before the transaction commits. SQL that reads `event_identity` outside this storage sees
/// only what was inserted.
struct SQLiteIdentityStorage: IdentityStorage {
    let db: Database
    /// The profiles of the customers a write-back writes, a few hundred at a time as their
    /// rows are written, so that rendered profiles never pile up in memory: called on the
    /// writer, it takes the customers' profiles and returns the rendering of their rows,
    /// which runs on other threads while the writer writes the rows rendered before.
    var profileRows: (([CustomerID]) throws -> ProfileRendering)?
    private let identifierAtKey: SQLiteStatement
    private let saveIdentifier: SQLiteStatement
    private let insertIdentifiers: ManyRowInsert
    private let customerByID: SQLiteStatement
    private let saveCustomer: SQLiteStatement
    private let insertCustomers: ManyRowInsert
    private let removeCustomer: SQLiteStatement
    private let saveLink: SQLiteStatement
    private let removeLink: SQLiteStatement
    private let parentOf: SQLiteStatement
    private let appendEvents: ManyRowInsert
    /// Event rows not inserted yet: they go in ``eventRowsAtOnce`` at a time. An event's
    /// placement is read and changed where its row is held; a recomputation, which reads
    /// the table, inserts them first.
    private let pendingEvents = PendingEventRows()
    private let moveIdentifiers: SQLiteStatement
    private let moveRedirects: SQLiteStatement
    private let addRedirect: SQLiteStatement
    private let removeRedirect: SQLiteStatement
    private let placementOf: SQLiteStatement
    private let setKeys: SQLiteStatement
    private let childLabels: SQLiteStatement
    private let componentMembers: SQLiteStatement
    private let eventListOf: SQLiteStatement
    private let eventIdentityOf: SQLiteStatement

    init(_ db: Database) throws(UnifyError) {
        self.db = db
        identifierAtKey = try SQLiteStatement(db, sql: """
            SELECT kind, value, status, component, customer, witnesses FROM identifiers WHERE key = ?1
            """)
        saveIdentifier = try SQLiteStatement(db, sql: """
            INSERT INTO identifiers (key, kind, value, status, component, customer, witnesses)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT (key) DO UPDATE SET status = excluded.status, component = excluded.component,
                customer = excluded.customer, witnesses = excluded.witnesses
            """)
        insertIdentifiers = try ManyRowInsert(
            db, into: "identifiers", columns: ["key", "kind", "value", "status", "component", "customer", "witnesses"],
            conflictClause: "ON CONFLICT (key) DO NOTHING")
        customerByID = try SQLiteStatement(db, sql: """
            SELECT anchor, identifier_counts, accounts, last_time, last_event_id, event_list FROM customers
            WHERE customer = ?1
            """)
        saveCustomer = try SQLiteStatement(db, sql: """
            INSERT INTO customers (customer, anchor, identifier_counts, accounts, last_time, last_event_id, event_list,
                                   first_seen, last_seen, events, orders, revenue, stage, stage_since, dormant_since, profile)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
            ON CONFLICT (customer) DO UPDATE SET anchor = excluded.anchor,
                identifier_counts = excluded.identifier_counts, accounts = excluded.accounts,
                last_time = excluded.last_time, last_event_id = excluded.last_event_id, event_list = excluded.event_list,
                first_seen = excluded.first_seen, last_seen = excluded.last_seen, events = excluded.events,
                orders = excluded.orders, revenue = excluded.revenue, stage = excluded.stage,
                stage_since = excluded.stage_since, dormant_since = excluded.dormant_since, profile = excluded.profile
            """)
        // A row is mostly its profile, about 1.5 KB.
        insertCustomers = try ManyRowInsert(
            db, into: "customers",
            columns: ["customer", "anchor", "identifier_counts", "accounts", "last_time", "last_event_id", "event_list",
                      "first_seen", "last_seen", "events", "orders", "revenue", "stage", "stage_since", "dormant_since",
                      "profile"],
            conflictClause: "ON CONFLICT (customer) DO NOTHING", bytesPerRow: 4096)
        removeCustomer = try SQLiteStatement(db, sql: "DELETE FROM customers WHERE customer = ?1")
        saveLink = try SQLiteStatement(db, sql: """
            INSERT INTO component_links (label, parent) VALUES (?1, ?2)
            ON CONFLICT (label) DO UPDATE SET parent = excluded.parent
            """)
        removeLink = try SQLiteStatement(db, sql: "DELETE FROM component_links WHERE label = ?1")
        parentOf = try SQLiteStatement(db, sql: "SELECT parent FROM component_links WHERE label = ?1")
        appendEvents = try ManyRowInsert(
            db, into: "event_identity", columns: ["seq", "time", "principal", "identifier_keys", "explicit", "own_customer"])
        moveIdentifiers = try SQLiteStatement(db, sql: "UPDATE identifiers SET customer = ?1 WHERE customer = ?2")
        moveRedirects = try SQLiteStatement(db, sql: "UPDATE customer_redirects SET survivor_id = ?1 WHERE survivor_id = ?2")
        addRedirect = try SQLiteStatement(db, sql: """
            INSERT INTO customer_redirects (retired_id, survivor_id, seq, anchor) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (retired_id) DO UPDATE SET survivor_id = excluded.survivor_id, seq = excluded.seq,
                anchor = coalesce(excluded.anchor, customer_redirects.anchor)
            """)
        removeRedirect = try SQLiteStatement(db, sql: "DELETE FROM customer_redirects WHERE retired_id = ?1")
        // Read for every probabilistic link and every recomputation: prepared once, read
        // without GRDB's rows.
        placementOf = try SQLiteStatement(db, sql: "SELECT identifier_keys, own_customer FROM event_identity WHERE seq = ?1")
        setKeys = try SQLiteStatement(db, sql: "UPDATE event_identity SET identifier_keys = ?1 WHERE seq = ?2")
        childLabels = try SQLiteStatement(db, sql: "SELECT label FROM component_links WHERE parent = ?1")
        componentMembers = try SQLiteStatement(db, sql: """
            SELECT key, kind, value, status, component, customer, witnesses FROM identifiers WHERE component = ?1
            """)
        eventListOf = try SQLiteStatement(db, sql: Self.eventListSQL)
        eventIdentityOf = try SQLiteStatement(db, sql: Self.eventIdentitySQL)
    }

    /// Whether the store holds any identity rows at all.
    static func holdsAnything(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM customers)") ?? false
    }

    // MARK: Loading

    func identifier(atKey key: Int64) throws -> IdentifierNode? {
        let query = identifierAtKey
        query.bind(1, key)
        defer { query.reset() }
        guard try query.step() else { return nil }
        return Self.identifierNode(key: key, query, from: 0)
    }

    /// The identifier in columns `first` to `first + 5` of the current row: kind, value,
    /// status, component, customer, witnesses.
    private static func identifierNode(key: Int64, _ query: SQLiteStatement, from first: Int32) -> IdentifierNode {
        IdentifierNode(
            key: key,
            identifier: Identifier(normalised: query.text(first + 1)!, kind: Identifier.Kind(stored: query.text(first)!)),
            status: IdentifierNode.Status(rawValue: query.text(first + 2)!) ?? .linking, component: query.int64(first + 3),
            customerID: query.int64(first + 4).map(CustomerID.init(storageValue:)),
            witnesses: WitnessSet(encoded: query.text(first + 5) ?? ""))
    }

    func identifiers(atKeys keys: [Int64]) throws -> [IdentifierNode] {
        try keys.compactMap { try identifier(atKey: $0) }
    }

    func customer(_ customerID: CustomerID) throws -> CustomerNode? {
        let query = customerByID
        query.bind(1, customerID.storageValue)
        defer { query.reset() }
        guard try query.step() else { return nil }
        let anchor = query.text(0)!
        var summary = ClusterBuilder.Summary()
        summary.anchor = SQLiteIdentityStorage.identifier(fromAnchor: anchor)
        if case .object(let counts)? = JSONValue(parsing: query.text(1)!) {
            for member in counts { summary.counts[Identifier.Kind(stored: member.key)] = member.value.doubleValue.map(Int.init) ?? 0 }
        }
        if case .array(let accounts)? = JSONValue(parsing: query.text(2)!) {
            summary.accounts = accounts.compactMap { $0.stringValue.map { Identifier(normalised: $0, kind: .userID) } }
        }
        return CustomerNode(summary: summary, last: EventPosition(time: query.int64(3)!, eventID: query.text(4)!),
                            eventList: EventList(bytes: query.bytes(5)))
    }

    func componentParent(of label: Int64) throws -> Int64? {
        let query = parentOf
        query.bind(1, label)
        defer { query.reset() }
        return try query.step() ? query.int64(0) : nil
    }

    /// `{"kind":count,…}`, kinds in order, as UTF-8.
    static func json(counts: KindCounts) -> [UInt8] {
        var writer = JSONWriter()
        writer.bytes.append(UInt8(ascii: "{"))
        for (kind, count) in counts {
            if writer.bytes.count > 1 { writer.bytes.append(UInt8(ascii: ",")) }
            writer.writeString(kind.rawValue.utf8)
            writer.bytes.append(UInt8(ascii: ":"))
            DecimalText.append(Int64(count), to: &writer.bytes)
        }
        writer.bytes.append(UInt8(ascii: "}"))
        return writer.bytes
    }

    /// `["…",…]`, as UTF-8.
    static func json(strings: [String]) -> [UInt8] {
        var writer = JSONWriter()
        writer.bytes.append(UInt8(ascii: "["))
        for (position, text) in strings.enumerated() {
            if position > 0 { writer.bytes.append(UInt8(ascii: ",")) }
            writer.writeString(text.utf8)
        }
        writer.bytes.append(UInt8(ascii: "]"))
        return writer.bytes
    }

    /// The identifier an anchor (`kind:value`) names; `nil` for `event:<id>`.
    static func identifier(fromAnchor anchor: String) -> Identifier? {
        guard !anchor.hasPrefix("event:"), let colon = anchor.firstIndex(of: ":") else { return nil }
        return Identifier(normalised: String(anchor[anchor.index(after: colon)...]),
                          kind: Identifier.Kind(stored: String(anchor[..<colon])))
    }

    // MARK: Writing

    func save(identifiers: [IdentifierNode]) throws {
        try recordKinds(of: identifiers)
        try upsert(identifiers)
    }

    func insert(identifiers: [IdentifierNode]) throws {
        try recordKinds(of: identifiers)
        try insertIdentifiers.insert(identifiers, bind: { node, statement, before in
            Self.bind(node, to: statement, after: before)
        }, orElse: upsert)
    }

    private func upsert(_ identifiers: some Sequence<IdentifierNode>) throws {
        for node in identifiers {
            Self.bind(node, to: saveIdentifier, after: 0)
            try saveIdentifier.run()
        }
    }

    /// The kinds a store holds, for lookups of a bare value, without scanning identifiers.
    private func recordKinds(of identifiers: [IdentifierNode]) throws {
        for kind in Set(identifiers.map(\.identifier.kind.rawValue)) {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO identifier_kinds (kind) VALUES (?)").execute(arguments: [kind])
        }
    }

    /// Binds an identifier's row, in the column order of both statements that write one.
    private static func bind(_ node: IdentifierNode, to statement: SQLiteStatement, after before: Int32) {
        statement.bind(before + 1, node.key)
        statement.bind(before + 2, node.identifier.kind.rawValue)
        statement.bind(before + 3, node.identifier.value)
        statement.bind(before + 4, node.status.rawValue)
        statement.bind(before + 5, node.component)
        statement.bind(before + 6, node.customerID?.storageValue)
        statement.bind(before + 7, utf8: node.witnesses.encodedBytes)
    }

    func save(customers: [(CustomerID, CustomerNode)], removing removed: [CustomerID],
              unstored: Set<CustomerID>) throws {
        for id in removed {
            removeCustomer.bind(1, id.storageValue)
            try removeCustomer.run()
        }
        guard !customers.isEmpty else { return }
        guard let profileRows else {
            throw UnifyError(code: .storageFailure, message: "customers have no profile to write; run `unify rebuild`")
        }
        let chunks = stride(from: customers.startIndex, to: customers.endIndex, by: SQLiteIdentityStorage.profilesRenderedAtOnce)
            .map { customers[$0..<min($0 + SQLiteIdentityStorage.profilesRenderedAtOnce, customers.endIndex)] }
        var next = try profileRows(chunks[0].map(\.0))
        for (index, chunk) in chunks.enumerated() {
            let rendered = next.rows()
            // The next chunk renders while this one is written.
            if index + 1 < chunks.count { next = try profileRows(chunks[index + 1].map(\.0)) }
            // One row per customer, in their order: those the store cannot hold yet inserted
            // many to a statement, the others upserted.
            var made: [CustomerRow] = []
            var changed: [CustomerRow] = []
            for ((id, node), profile) in zip(chunk, rendered) {
                let row = CustomerRow(id: id, node: node, profile: profile)
                if unstored.contains(id) { made.append(row) } else { changed.append(row) }
            }
            try upsert(changed)
            try insertCustomers.insert(made, bind: { row, statement, before in
                Self.bind(row, to: statement, after: before)
            }, orElse: upsert)
        }
    }

    /// A customer's row to write: the graph's node and the rendered profile.
    private struct CustomerRow {
        var id: CustomerID
        var node: CustomerNode
        var profile: ProfileRow
    }

    private func upsert(_ rows: some Sequence<CustomerRow>) throws {
        for row in rows {
            Self.bind(row, to: saveCustomer, after: 0)
            try saveCustomer.run()
        }
    }

    /// Binds a customer's row, in the column order of both statements that write one.
    private static func bind(_ row: CustomerRow, to statement: SQLiteStatement, after before: Int32) {
        let (node, profile) = (row.node, row.profile)
        statement.bind(before + 1, row.id.storageValue)
        statement.bind(before + 2, node.anchor)
        statement.bind(before + 3, utf8: SQLiteIdentityStorage.json(counts: node.summary.counts))
        statement.bind(before + 4, utf8: SQLiteIdentityStorage.json(strings: node.summary.accounts.map(\.value)))
        statement.bind(before + 5, node.last.time)
        statement.bind(before + 6, node.last.eventID)
        statement.bind(before + 7, blob: node.eventList.bytes)
        statement.bind(before + 8, profile.firstSeen)
        statement.bind(before + 9, profile.lastSeen)
        statement.bind(before + 10, Int64(profile.events))
        statement.bind(before + 11, Int64(profile.orders))
        statement.bind(before + 12, double: profile.revenue)
        statement.bind(before + 13, profile.stage)
        statement.bind(before + 14, profile.stageSince)
        statement.bind(before + 15, profile.dormantSince)
        statement.bind(before + 16, utf8: profile.json)
    }

    /// Enough profiles for each core to render a share worth the hand-over, few enough that
    /// their documents (about 1.5 KB each) cost little memory.
    static let profilesRenderedAtOnce = 512

    func save(componentLinks: [(Int64, Int64)], removing removed: [Int64]) throws {
        for label in removed {
            removeLink.bind(1, label)
            try removeLink.run()
        }
        for (label, parent) in componentLinks {
            saveLink.bind(1, label)
            saveLink.bind(2, parent)
            try saveLink.run()
        }
    }

    /// Appends an event's row; it is in the table by the time anything reads the table
    /// through this storage, or ``insertPendingEvents()`` runs. A row SQLite refuses fails
    /// the insert of its statement, so the error comes with a later call.
    func append(event: ResolvedEvent) throws {
        pendingEvents.rows.append(event)
        if pendingEvents.rows.count == Self.eventRowsAtOnce { try insertPendingEvents() }
    }

    /// Inserts the event rows appended but not inserted yet; call it before the transaction
    /// commits.
    func insertPendingEvents() throws {
        guard !pendingEvents.rows.isEmpty else { return }
        defer { pendingEvents.rows.removeAll(keepingCapacity: true) }
        try appendEvents.run(pendingEvents.rows) { event, statement, before in
            statement.bind(before + 1, event.seq)
            statement.bind(before + 2, event.time)
            statement.bind(before + 3, event.principal)
            statement.bind(before + 4, integers: event.identifierKeys)
            statement.bind(before + 5, event.explicit ? 1 : 0)
            statement.bind(before + 6, event.ownCustomerID?.storageValue)
        }
    }

    /// Forgets rows appended in a transaction that did not commit.
    func discardPendingEvents() {
        pendingEvents.rows.removeAll(keepingCapacity: true)
    }

    static let eventRowsAtOnce = ManyRowInsert.rowsAtOnce

    func retire(_ retirement: Retirement) throws {
        let (retired, survivor) = (retirement.retired.description, retirement.survivor.description)
        if retirement.identifiersMayBeStored {
            moveIdentifiers.bind(1, retirement.survivor.storageValue)
            moveIdentifiers.bind(2, retirement.retired.storageValue)
            try moveIdentifiers.run()
        }
        // Redirects written earlier in this write-back may name it, whenever it was made.
        moveRedirects.bind(1, survivor)
        moveRedirects.bind(2, retired)
        try moveRedirects.run()
        addRedirect.bind(1, retired)
        addRedirect.bind(2, survivor)
        addRedirect.bind(3, retirement.seq)
        addRedirect.bind(4, retirement.anchor.isEmpty ? nil : retirement.anchor)
        try addRedirect.run()
    }

    func reinstate(_ customerID: CustomerID) throws {
        removeRedirect.bind(1, customerID.description)
        try removeRedirect.run()
    }

    // A held row is read and changed where it is held: a probabilistic link amends events
    // placed earlier, and inserting the held rows first would insert them one by one.
    func placement(ofEvent seq: Int64) throws -> (keys: [Int64], ownCustomer: CustomerID?)? {
        if let held = pendingEvents.index(of: seq) {
            let event = pendingEvents.rows[held]
            return (event.identifierKeys, event.ownCustomerID)
        }
        let query = placementOf
        query.bind(1, seq)
        defer { query.reset() }
        guard try query.step() else { return nil }
        return (query.integers(0), query.int64(1).map(CustomerID.init(storageValue:)))
    }

    func setIdentifierKeys(_ keys: [Int64], ofEvent seq: Int64) throws {
        if let held = pendingEvents.index(of: seq) {
            pendingEvents.rows[held].identifierKeys = keys
            return
        }
        setKeys.bind(1, integers: keys)
        setKeys.bind(2, seq)
        try setKeys.run()
    }

    func setPrincipal(_ principal: Int64?, ownCustomerID: CustomerID?, ofEvent seq: Int64) throws {
        if let held = pendingEvents.index(of: seq) {
            pendingEvents.rows[held].principal = principal
            pendingEvents.rows[held].ownCustomerID = ownCustomerID
            return
        }
        try db.cachedStatement(sql: "UPDATE event_identity SET principal = ?, own_customer = ? WHERE seq = ?")
            .execute(arguments: [principal, ownCustomerID?.storageValue, seq])
    }

    // MARK: Recomputing

    func contents(ofComponents components: Set<Int64>, ownCustomers: Set<CustomerID>) throws -> ComponentContents {
        try insertPendingEvents()
        var contents = ComponentContents()
        var pending = components.sorted()
        while let label = pending.popLast() {
            guard contents.labels.insert(label).inserted else { continue }
            childLabels.bind(1, label)
            defer { childLabels.reset() }
            while try childLabels.step() { pending.append(childLabels.int64(0)!) }
        }
        for component in contents.labels.sorted() {
            componentMembers.bind(1, component)
            defer { componentMembers.reset() }
            while try componentMembers.step() {
                let key = componentMembers.int64(0)!
                contents.identifiers[key] = Self.identifierNode(key: key, componentMembers, from: 1)
            }
        }
        // Their events are those of their customers, whose rows list them.
        var outside: Set<Int64> = []
        let owners = Set(contents.identifiers.values.compactMap(\.customerID)).sorted()
        for owner in owners {
            for event in try events(ofCustomer: owner) {
                contents.events.append(event.identity)
                contents.principal[event.identity.seq] = event.principal
                for key in event.identity.identifierKeys where contents.identifiers[key] == nil { outside.insert(key) }
            }
        }
        for owner in ownCustomers.sorted() where !owners.contains(owner) {
            for event in try events(ofCustomer: owner) {
                contents.events.append(event.identity)
                if let principal = event.principal {
                    contents.principal[event.identity.seq] = principal
                } else {
                    contents.ownCustomer[event.identity.seq] = owner
                }
                for key in event.identity.identifierKeys where contents.identifiers[key] == nil { outside.insert(key) }
            }
        }
        for node in try identifiers(atKeys: outside.sorted()) { contents.identifiers[node.key] = node }
        return contents
    }

    private static let eventListSQL = "SELECT event_list FROM customers WHERE customer = ?1"
    private static let eventIdentitySQL = """
        SELECT event_identity.time, events.event_id, event_identity.identifier_keys, event_identity.explicit,
               event_identity.principal
        FROM event_identity JOIN events ON events.seq = event_identity.seq WHERE event_identity.seq = ?1
        """

    /// A customer's events as its row lists them, with each event's principal, through
    /// this storage's prepared statements.
    private func events(ofCustomer customer: CustomerID) throws -> [(identity: EventIdentity, principal: Int64?)] {
        try Self.events(ofCustomer: customer, list: eventListOf, identity: eventIdentityOf)
    }

    /// A customer's events as its row lists them, with each event's principal.
    static func events(ofCustomer customer: CustomerID, _ db: Database) throws -> [(identity: EventIdentity, principal: Int64?)] {
        try events(ofCustomer: customer, list: SQLiteStatement(db, sql: eventListSQL),
                   identity: SQLiteStatement(db, sql: eventIdentitySQL))
    }

    private static func events(ofCustomer customer: CustomerID, list: SQLiteStatement, identity row: SQLiteStatement)
        throws -> [(identity: EventIdentity, principal: Int64?)]
    {
        list.bind(1, customer.storageValue)
        defer { list.reset() }
        guard try list.step() else { return [] }
        let seqs = EventList(bytes: list.bytes(0)).seqs
        var events: [(identity: EventIdentity, principal: Int64?)] = []
        events.reserveCapacity(seqs.count)
        for seq in seqs {
            row.bind(1, seq)
            defer { row.reset() }
            guard try row.step() else { continue }
            let identity = EventIdentity(seq: seq, position: EventPosition(time: row.int64(0)!, eventID: row.text(1)!),
                                         identifierKeys: row.integers(2), explicit: row.int64(3) != 0)
            events.append((identity, row.int64(4)))
        }
        return events
    }
}

/// Event rows a storage holds until it inserts them, shared by its copies.
private final class PendingEventRows {
    var rows: [ResolvedEvent] = []

    /// Where the row of event `seq` is held, if it is; at most ``SQLiteIdentityStorage/eventRowsAtOnce`` rows are.
    func index(of seq: Int64) -> Int? {
        rows.lastIndex { $0.seq == seq }
    }
}

/// Profile rows being rendered on other threads, started when made.
final class ProfileRendering: @unchecked Sendable {
    // Written once by the rendering thread before it leaves the group, read after `wait`.
    private var rendered: [ProfileRow] = []
    private let done = DispatchGroup()

    /// Starts rendering `states` on the global queue (``ProfileState/rows(of:rules:)`` uses
    /// every core).
    init(_ states: [ProfileState], rules: ProjectionRules) {
        done.enter()
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            rendered = ProfileState.rows(of: states, rules: rules)
            done.leave()
        }
    }

    /// The rows, in the order of the states, once rendered.
    func rows() -> [ProfileRow] {
        done.wait()
        return rendered
    }
}
