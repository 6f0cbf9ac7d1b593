/// What the identity graph needs from the store: rows to load on demand, changes to write
/// back, and whole components to recompute.
///
/// Only `Store/` speaks SQL; the graph sees values. Everything happens inside the caller's
/// transaction.
protocol IdentityStorage {
    /// The identifier stored under `key`, if any.
    func identifier(atKey key: Int64) throws -> IdentifierNode?
    /// The identifiers stored under `keys` (those that exist).
    func identifiers(atKeys keys: [Int64]) throws -> [IdentifierNode]
    /// The customer stored under `customerID`, if any.
    func customer(_ customerID: CustomerID) throws -> CustomerNode?

    /// Writes identifiers (new or changed).
    func save(identifiers: [IdentifierNode]) throws
    /// Writes customers (new or changed) and removes others.
    func save(customers: [(CustomerID, CustomerNode)], removing removed: [CustomerID]) throws
    /// Writes component sizes and removes others.
    func save(componentSizes: [(Int64, Int64)], removing removed: [Int64]) throws
    /// The number of identifiers of a component.
    func componentSize(_ component: Int64) throws -> Int64?
    /// Appends resolved events.
    func append(events: [ResolvedEvent]) throws
    /// Moves every identifier of the retired customer to the survivor and records the
    /// redirect, with the event that retired it and what the retired id was made from.
    func retire(_ retirement: Retirement) throws
    /// Relabels every identifier of component `old` as `new`.
    func relabel(component old: Int64, as new: Int64) throws

    /// Everything in some components, to recompute them: their identifiers, every event
    /// placed by one of them, and the identifiers of those events outside the components
    /// (junk and hubs).
    func contents(ofComponents components: Set<Int64>) throws -> ComponentContents
    /// Changes an event's principal after a recomputation.
    func setPrincipal(_ principal: Int64?, ownCustomerID: CustomerID?, ofEvent seq: Int64) throws
    /// Removes a redirect: `customerID` names a customer again.
    func reinstate(_ customerID: CustomerID) throws
}

/// The stored contents of some components, as ``IdentityStorage/contents(ofComponents:)``
/// reads them.
struct ComponentContents {
    var identifiers: [Int64: IdentifierNode] = [:]
    var events: [EventIdentity] = []
    /// Each event's principal and customer before the recomputation.
    var principal: [Int64: Int64] = [:]
}
