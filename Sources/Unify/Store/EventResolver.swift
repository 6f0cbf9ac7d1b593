internal import GRDB

/// Keeps what derives from the log current as events are appended: the identity graph now,
/// held in memory for a whole run and written back at the end of each transaction.
///
/// Call ``beginTransaction()`` at the start of each transaction, ``add(_:seq:)`` for each
/// event appended, and ``finish()`` before committing.
struct EventResolver {
    let db: Database
    private let storage: SQLiteIdentityStorage
    private var graph: IdentityGraph
    private var dataVersion: Int?

    init(db: Database, rules: IdentityRules, customerIDs: CustomerIDs, workingSetLimit: Int) throws(UnifyError) {
        self.db = db
        storage = try SQLiteIdentityStorage(db)
        let holdsAnything = try Store.storage("reading the identity graph") {
            try SQLiteIdentityStorage.holdsAnything(db)
        }
        graph = IdentityGraph(rules: rules, customerIDs: customerIDs, storeMayHoldMore: holdsAnything)
        graph.workingSetLimit = workingSetLimit
    }

    /// Starts a transaction; what another connection wrote since the last one makes the graph
    /// forget what it had loaded. Returns whether that happened.
    @discardableResult
    mutating func beginTransaction() throws(UnifyError) -> Bool {
        let version = try Store.storage("reading the data version") {
            try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0
        }
        defer { dataVersion = version }
        guard let dataVersion, dataVersion != version else { return false }
        graph.forgetLoadedState()
        return true
    }

    /// What decoding threads prepare for this resolver.
    var preparation: EventPreparation { EventPreparation(identityRules: graph.rules) }

    /// Resolves an event just appended to the log.
    mutating func add(_ event: PreparedEvent, seq: Int64) throws(UnifyError) {
        let keys = event.identity ?? IdentityKeys(identifiers: [], digests: [], junk: [], explicit: false)
        _ = try Store.storage("resolving event \(event.id)") {
            try graph.add(event.position, keys: keys, seq: seq, storage: storage)
        }
    }

    /// Writes back and recomputes; call it before the transaction commits.
    mutating func finish() throws(UnifyError) {
        _ = try Store.storage("recomputing customers") { try graph.finish(storage: storage) }
    }
}
