import Foundation
internal import GRDB

extension Store {
    /// The customer id something a person knows resolves to, or `nil` when it matches nothing.
    ///
    /// `query` may be a customer id (a retired one resolves to the customer that absorbed
    /// it), an identifier written `kind:value` (`email:Jane@Example.com`), an event id, or a
    /// bare value as a person would type it: an email, a phone in national or international
    /// form, or any id, tried against every kind of identifier.
    public func customerID(for query: String) throws(UnifyError) -> String? {
        try read { db in try customerID(for: query, db) }
    }

    /// ``customerID(for:)`` within a read.
    func customerID(for query: String, _ db: Database) throws -> String? {
        let text = query.trimmingWhitespace()
        guard !text.isEmpty else { return nil }
        if let id = CustomerID(text) {
            let canonical = id.description
            if let redirect = try Row.fetchOne(db, sql: """
                SELECT survivor_id, anchor FROM customer_redirects WHERE retired_id = ?
                """, arguments: [canonical]) {
                // A retired id names whoever holds what it was made from now; its survivor
                // at retirement is the answer only when that is gone (junk since, say).
                if let anchor: String = redirect[1], let holder = try Store.holder(ofAnchor: anchor, db) {
                    return holder
                }
                return redirect[0]
            }
            let known = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM customers WHERE customer = ?)",
                                          arguments: [id.storageValue]) ?? false
            if known { return canonical }
            // Not one of ours: some shops' user ids start with cus_ too (Stripe's do).
        }
        let kinds = try String.fetchAll(db, sql: "SELECT kind FROM identifier_kinds").map { Identifier.Kind(stored: $0) }
        for identifier in candidateIdentifiers(for: text, kinds: kinds) {
            if let customer = try Store.customerID(of: identifier, db) { return customer }
        }
        return try Store.seq(ofEventID: text, db).flatMap { try Store.customerID(ofEvent: $0, db) }
    }

    /// Why a query that ``customerID(for:)`` finds no customer for still names something the
    /// store knows: an identifier it holds that never links (a placeholder value, or a hub
    /// seen with too many accounts), with the reason in words; `nil` otherwise.
    public func unlinkedIdentifier(for query: String) throws(UnifyError) -> (identifier: Identifier, reason: String)? {
        try read { db in
            let kinds = try String.fetchAll(db, sql: "SELECT kind FROM identifier_kinds").map { Identifier.Kind(stored: $0) }
            for identifier in candidateIdentifiers(for: query.trimmingWhitespace(), kinds: kinds) {
                guard let key = try Store.key(of: identifier, db),
                      let status = try String.fetchOne(db, sql: "SELECT status FROM identifiers WHERE key = ?", arguments: [key]),
                      status != "linking"
                else { continue }
                return (identifier, status == "junk"
                    ? "a placeholder value that never links (junk values: docs/CONFIGURATION.md)"
                    : "a hub: seen with too many different customers to link any of them")
            }
            return nil
        }
    }

    /// The identifiers that belong to a customer, most authoritative first.
    public func identifiers(ofCustomer customerID: String) throws(UnifyError) -> [Identifier] {
        let resolved = try self.customerID(for: customerID) ?? customerID
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT kind, value FROM identifiers WHERE customer = ? AND kind != 'record'",
                             arguments: [CustomerID(resolved)?.storageValue])
                .map { Identifier(normalised: $0[1], kind: Identifier.Kind(stored: $0[0])) }
                .sorted(by: IdentityRules.precedes)
        }
    }

    /// The ids of the events of a customer, in canonical order (time, then id).
    public func eventIDs(ofCustomer customerID: String) throws(UnifyError) -> [String] {
        let resolved = try self.customerID(for: customerID) ?? customerID
        return try read { db in try Store.events(ofCustomer: resolved, db).map(\.position.eventID) }
    }

    /// The customer holding an anchor: `kind:value`, or `event:<id>`.
    static func holder(ofAnchor anchor: String, _ db: Database) throws -> String? {
        if anchor.hasPrefix("event:") {
            return try seq(ofEventID: String(anchor.dropFirst(6)), db).flatMap { try customerID(ofEvent: $0, db) }
        }
        guard let colon = anchor.firstIndex(of: ":") else { return nil }
        let identifier = Identifier(normalised: String(anchor[anchor.index(after: colon)...]),
                                    kind: Identifier.Kind(stored: String(anchor[..<colon])))
        return try customerID(of: identifier, db)
    }

    /// The customer an identifier is attached to.
    static func customerID(of identifier: Identifier, _ db: Database) throws -> String? {
        try key(of: identifier, db).flatMap {
            try Int64.fetchOne(db, sql: "SELECT customer FROM identifiers WHERE key = ?", arguments: [$0])
                .map { CustomerID(storageValue: $0).description }
        }
    }

    /// The key an identifier is stored under, found by walking from its digest as the graph
    /// stores it; `nil` when it is not stored.
    static func key(of identifier: Identifier, _ db: Database) throws -> Int64? {
        var key = identifier.digestKey
        while let row = try Row.fetchOne(db, sql: "SELECT kind, value FROM identifiers WHERE key = ?", arguments: [key]) {
            if row[0] == identifier.kind.rawValue && row[1] == identifier.value { return key }
            key &+= 1
        }
        return nil
    }

    /// The sequence number of a logged event, found by its key as the log stores it.
    static func seq(ofEventID eventID: String, _ db: Database) throws -> Int64? {
        var key = ContentDigest(eventID).integerKey
        while let row = try Row.fetchOne(db, sql: "SELECT seq, event_id FROM events WHERE event_key = ?", arguments: [key]) {
            if row[1] == eventID { return row[0] }
            key &+= 1
        }
        return nil
    }

    /// The customer a resolved event belongs to.
    static func customerID(ofEvent seq: Int64, _ db: Database) throws -> String? {
        try Int64.fetchOne(db, sql: """
            SELECT coalesce(identifiers.customer, event_identity.own_customer)
            FROM event_identity LEFT JOIN identifiers ON identifiers.key = event_identity.principal
            WHERE event_identity.seq = ?
            """, arguments: [seq]).map { CustomerID(storageValue: $0).description }
    }

    /// The events of a customer in canonical order.
    static func events(ofCustomer customerID: String, _ db: Database) throws -> [EventIdentity] {
        guard let id = CustomerID(customerID) else { return [] }
        return try SQLiteIdentityStorage.events(ofCustomer: id, db).map(\.identity).sorted { $0.position < $1.position }
    }

    /// The identifiers a typed value could be, in the identity form the store keeps.
    func candidateIdentifiers(for text: String, kinds: [Identifier.Kind]) -> [Identifier] {
        var typed: [Identifier] = []
        if let colon = text.firstIndex(of: ":"), !text.contains("@") || text.hasPrefix("email:") {
            let kind = Identifier.Kind(rawValue: String(text[..<colon]))
            if let identifier = Identifier(kind: kind, value: String(text[text.index(after: colon)...])) {
                typed = identityForm(identifier)
            }
            if text.hasPrefix("email:") { return typed }
        }
        // A value with a colon may be a bare id as well (`amp:1234`).
        return typed + bareCandidates(for: text, kinds: kinds)
    }

    private func bareCandidates(for text: String, kinds: [Identifier.Kind]) -> [Identifier] {
        if text.contains("@") {
            return Identifier(kind: .email, value: text).map { [$0] } ?? []
        }
        var candidates: [Identifier] = []
        if let phone = Identifier(kind: .phone, value: text) { candidates += identityForm(phone) }
        // A record identifier's value is an event id, which names the event itself: the
        // identifier may belong to the customer of a record it was linked with instead.
        let others = kinds.filter { $0 != .email && $0 != .phone && $0 != .matchRecord }.sorted { IdentityRules.precedes(
            Identifier(normalised: "", kind: $0), Identifier(normalised: "", kind: $1)) }
        candidates += others.compactMap { Identifier(kind: $0, value: text) }
        return candidates
    }

    private func identityForm(_ identifier: Identifier) -> [Identifier] {
        var event = Event(id: "", kind: .identify, time: Timestamp(millisecondsSince1970: 0))
        event.identifiers = [identifier]
        return identityRules.identityIdentifiers(of: event).identifiers
    }
}
