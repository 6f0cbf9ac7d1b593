internal import GRDB

extension Store {
    /// The customer id something a person knows resolves to, or `nil` when it matches nothing.
    ///
    /// `query` may be a customer id (a retired one resolves to the customer that absorbed
    /// it), an identifier written `kind:value` (`email:Jane@Example.com`), an event id, or a
    /// bare value as a person would type it: an email, a phone in national or international
    /// form, or any id, tried against every kind of identifier.
    public func customerID(for query: String) throws(UnifyError) -> String? {
        let text = query.trimmingWhitespace()
        guard !text.isEmpty else { return nil }
        return try read { db in
            if text.hasPrefix("cus_") {
                if let redirect = try Row.fetchOne(db, sql: """
                    SELECT survivor_id, anchor FROM customer_redirects WHERE retired_id = ?
                    """, arguments: [text]) {
                    // A retired id names whoever holds what it was made from now; its survivor
                    // at retirement is the answer only when that is gone (junk since, say).
                    if let anchor: String = redirect[1], let holder = try Store.holder(ofAnchor: anchor, db) {
                        return holder
                    }
                    return redirect[0]
                }
                let known = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM event_identity WHERE customer_id = ?)",
                                              arguments: [text]) ?? false
                if known { return text }
                // Not one of ours: some shops' user ids start with cus_ too (Stripe's do).
            }
            let kinds = try String.fetchAll(db, sql: "SELECT DISTINCT kind FROM identifiers").map(Identifier.Kind.init)
            for identifier in candidateIdentifiers(for: text, kinds: kinds) {
                if let customer = try Store.customerID(of: identifier, db) { return customer }
            }
            return try String.fetchOne(db, sql: """
                SELECT customer_id FROM event_identity WHERE event_id = ? LIMIT 1
                """, arguments: [text])
        }
    }

    /// The identifiers that belong to a customer, most authoritative first.
    public func identifiers(ofCustomer customerID: String) throws(UnifyError) -> [Identifier] {
        let resolved = try self.customerID(for: customerID) ?? customerID
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT kind, value FROM identifiers WHERE customer_id = ?", arguments: [resolved])
                .map { Identifier(normalised: $0[1], kind: Identifier.Kind(rawValue: $0[0])) }
                .sorted(by: IdentityRules.precedes)
        }
    }

    /// The ids of the events of a customer, in canonical order (time, then id).
    public func eventIDs(ofCustomer customerID: String) throws(UnifyError) -> [String] {
        let resolved = try self.customerID(for: customerID) ?? customerID
        return try read { db in
            try String.fetchAll(db, sql: """
                SELECT event_id FROM event_identity WHERE customer_id = ? ORDER BY time, event_id
                """, arguments: [resolved])
        }
    }

    /// The customer holding an anchor: `kind:value`, or `event:<id>`.
    static func holder(ofAnchor anchor: String, _ db: Database) throws -> String? {
        if anchor.hasPrefix("event:") {
            return try String.fetchOne(db, sql: "SELECT customer_id FROM event_identity WHERE event_id = ?",
                                       arguments: [String(anchor.dropFirst(6))])
        }
        guard let colon = anchor.firstIndex(of: ":") else { return nil }
        let identifier = Identifier(normalised: String(anchor[anchor.index(after: colon)...]),
                                    kind: Identifier.Kind(rawValue: String(anchor[..<colon])))
        return try customerID(of: identifier, db)
    }

    /// The customer an identifier is attached to, found by its key as the index stores it.
    static func customerID(of identifier: Identifier, _ db: Database) throws -> String? {
        var key = ContentDigest(identifier.description).integerKey
        while let row = try Row.fetchOne(db, sql: """
            SELECT kind, value, customer_id FROM identifiers WHERE identifier_key = ?
            """, arguments: [key]) {
            if row[0] == identifier.kind.rawValue && row[1] == identifier.value { return row[2] }
            key &+= 1
        }
        return nil
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
        let others = kinds.filter { $0 != .email && $0 != .phone }.sorted { IdentityRules.precedes(
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
