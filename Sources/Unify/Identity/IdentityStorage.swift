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
    /// Writes identifiers the store is believed not to hold (a wrong belief costs time,
    /// never a row).
    func insert(identifiers: [IdentifierNode]) throws
    /// Writes customers (new or changed) and removes others; `unstored` names those the
    /// store is believed not to hold (a wrong belief costs time, never a row).
    func save(customers: [(CustomerID, CustomerNode)], removing removed: [CustomerID],
              unstored: Set<CustomerID>) throws
    /// Writes component links (a label and the label it is now under) and removes others.
    func save(componentLinks: [(Int64, Int64)], removing removed: [Int64]) throws
    /// The label a component label is linked under; `nil` for a root.
    func componentParent(of label: Int64) throws -> Int64?
    /// Appends a resolved event's row. A storage may hold it for a while, but reads it back
    /// (``placement(ofEvent:)``, recomputation) as if it were stored, and stores it before
    /// the transaction commits.
    func append(event: ResolvedEvent) throws
    /// Moves every identifier of the retired customer to the survivor and records the
    /// redirect, with the event that retired it and what the retired id was made from.
    func retire(_ retirement: Retirement) throws
    /// Everything in some components (by root label), to recompute them: every label of
    /// their trees, their identifiers, every event placed by one of them, and the identifiers
    /// of those events outside the components (junk and hubs); and the events of the
    /// customers of their own named in `ownCustomers`, which an identifier now joins to them.
    func contents(ofComponents components: Set<Int64>, ownCustomers: Set<CustomerID>) throws -> ComponentContents
    /// The identifier keys an event was placed with, and its own customer when it has no
    /// linking identifier; `nil` when it is not placed.
    func placement(ofEvent seq: Int64) throws -> (keys: [Int64], ownCustomer: CustomerID?)?
    /// Replaces an event's identifier keys (a probabilistic link gave it one more).
    func setIdentifierKeys(_ keys: [Int64], ofEvent seq: Int64) throws
    /// Changes an event's principal after a recomputation.
    func setPrincipal(_ principal: Int64?, ownCustomerID: CustomerID?, ofEvent seq: Int64) throws
    /// Removes a redirect: `customerID` names a customer again.
    func reinstate(_ customerID: CustomerID) throws
}

/// The stored contents of some components, as ``IdentityStorage/contents(ofComponents:)``
/// reads them.
struct ComponentContents {
    var labels: Set<Int64> = []
    var identifiers: [Int64: IdentifierNode] = [:]
    var events: [EventIdentity] = []
    /// Each event's principal and customer before the recomputation.
    var principal: [Int64: Int64] = [:]
    /// Events that were customers of their own before the recomputation, with that customer.
    var ownCustomer: [Int64: CustomerID] = [:]
}
