internal import GRDB

/// Keeps what derives from the log current as events are appended: the identity graph and
/// the profiles, held in memory for a whole run and written back at the end of each
/// transaction, in one row per customer.
///
/// Call ``beginTransaction()`` at the start of each transaction, ``add(_:seq:)`` for each
/// event appended, and ``finish()`` before committing.
struct EventResolver {
    let db: Database
    private var storage: SQLiteIdentityStorage
    private let profileStorage: SQLiteProfileStorage
    private var graph: IdentityGraph
    private var profiles: ProfileSet
    /// Probabilistic matching, when it is on: the records by blocking key, and the decision.
    private let matchIndex: SQLiteMatchIndex?
    private let linker: RecordLinker?
    /// What matching did so far in this resolver's life.
    private(set) var matchCounts = MatchingCounts()
    private var dataVersion: Int?
    /// The latest event time resolved, and the one the store records.
    private var latestTime: Int64?
    private var recordedLatestTime: Int64?

    init(db: Database, identityRules: IdentityRules, projectionRules: ProjectionRules, customerIDs: CustomerIDs,
         matchingPolicy: MatchingPolicy, limits: EventDecoder.Limits, workingSet: (customers: Int, identifiers: Int),
         matchRecordCache: Int)
        throws(UnifyError)
    {
        self.db = db
        storage = try SQLiteIdentityStorage(db)
        profileStorage = try SQLiteProfileStorage(db: db, rules: projectionRules, limits: limits)
        let (holdsAnything, latest) = try Store.storage("reading the identity graph") {
            (try SQLiteIdentityStorage.holdsAnything(db), try Store.latestEventTime(db))
        }
        graph = IdentityGraph(rules: identityRules, customerIDs: customerIDs, storeMayHoldMore: holdsAnything)
        graph.customerLimit = workingSet.customers
        graph.identifierLimit = workingSet.identifiers
        profiles = ProfileSet(rules: projectionRules, storeMayHoldMore: holdsAnything)
        recordedLatestTime = latest
        latestTime = latest
        if matchingPolicy.enabled {
            (matchIndex, linker) = try Store.storage("reading the match model") {
                (try SQLiteMatchIndex(db, cacheLimit: matchRecordCache, maximumBlockSize: matchingPolicy.maximumBlockSize),
                 RecordLinker(policy: matchingPolicy, model: try SQLiteMatchIndex.savedModel(db) ?? .default))
            }
        } else {
            (matchIndex, linker) = (nil, nil)
        }
    }

    /// Starts a transaction; what another connection wrote since the last one makes the graph
    /// forget what it had loaded. Returns whether that happened.
    @discardableResult
    mutating func beginTransaction() throws(UnifyError) -> Bool {
        let version = try Store.storage("reading the data version") {
            try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0
        }
        defer { dataVersion = version }
        storage.discardPendingEvents()
        guard let dataVersion, dataVersion != version else { return false }
        graph.forgetLoadedState()
        profiles.forgetLoadedState()
        matchIndex?.forgetOversizedBlocks()
        let latest = try Store.storage("reading the latest event time") { try Store.latestEventTime(db) }
        recordedLatestTime = latest
        latestTime = max(latestTime ?? .min, latest ?? .min)
        return true
    }

    /// What decoding threads prepare for this resolver.
    var preparation: EventPreparation { EventPreparation(rules: (graph.rules, profiles.rules), matching: linker != nil) }

    /// Resolves an event just appended to the log.
    mutating func add(_ event: PreparedEvent, seq: Int64) throws(UnifyError) {
        var keys = event.identity ?? IdentityKeys(identifiers: [], digests: [], junk: [], explicit: false)
        var facts = event.facts ?? profiles.rules.facts(of: Event(id: event.id, kind: event.kind, time: event.time))
        facts.seq = seq
        try Store.storage("resolving event \(event.id)") {
            var amendments: [(seq: Int64, identifier: Identifier)] = []
            if let input = event.match, let matchIndex, let linker {
                amendments = try link(input, event: event, seq: seq, keys: &keys, index: matchIndex, linker: linker)
            }
            // Partners first: a known customer given its record identifier holds it when this
            // event arrives carrying it, which this event then simply joins.
            for (partner, identifier) in amendments {
                let digest = identifier.digestKey
                if let changed = try graph.amend(event: partner, adding: identifier, digest: digest, storage: storage) {
                    try profiles.hold(changed, storage: profileStorage)
                }
            }
            let placement = try graph.add(event.position, keys: keys, seq: seq, storage: storage)
            try profiles.apply(placement, facts, storage: profileStorage)
        }
        latestTime = max(latestTime ?? .min, event.time.millisecondsSince1970)
        // Memory stays bounded whatever the size of a transaction: what is written within it
        // can be let go, and is read back (on this connection) if needed again.
        if graph.isOverLimit {
            try Store.storage("letting go of customers") { try letGo() }
        }
    }

    /// Matches a record with those already in the store. A link is a record identifier carried
    /// by both events: the offline record's when one of the two holds an account, the earlier
    /// event's (in canonical order) when both are offline. Every link of an offline record to
    /// known customers is then one identifier, whose witnesses show when the record fits two
    /// account holders of one kind: it becomes a hub, and the record joins neither (an arbitrary
    /// pick among namesakes was wrong half the time). Records that link to nothing carry
    /// none, so that matching costs the identity graph nothing for them. Adds to `keys` what
    /// this event carries, and returns what events placed before must carry too.
    private mutating func link(_ input: MatchInput, event: PreparedEvent, seq: Int64, keys: inout IdentityKeys,
                      index: SQLiteMatchIndex, linker: RecordLinker) throws -> [(seq: Int64, identifier: Identifier)] {
        let position = event.position
        let own = Identifier(normalised: event.id, kind: .matchRecord)
        var added: [Identifier] = []
        var amendments: [(seq: Int64, identifier: Identifier)] = []
        let candidates = try index.candidates(sharing: input.blockKeys, offlineOnly: !input.offline)
        matchCounts.records += 1
        if input.offline { matchCounts.offlineRecords += 1 }
        // Decoded once: the record is compared with every candidate.
        let probe = DecodedMatchRecord(input.record)
        for candidate in candidates where candidate != seq {
            guard let partner = try index.record(candidate), input.offline || partner.offline else { continue }
            matchCounts.candidatePairs += 1
            guard let score = linker.link(probe, partner.record) else { continue }
            matchCounts.links += 1
            let isEarlier = partner.position < position
            let namesOwn = input.offline != partner.offline ? input.offline : !isEarlier
            let identifier = namesOwn ? own : Identifier(normalised: partner.position.eventID, kind: .matchRecord)
            if !added.contains(identifier) { added.append(identifier) }
            amendments.append((partner.seq, identifier))
            if isEarlier {
                try index.saveLink(seq: seq, partner: partner.seq, score: score)
            } else {
                try index.saveLink(seq: partner.seq, partner: seq, score: score)
            }
        }
        try index.insert(seq: seq, position: position, input)
        if !added.isEmpty { keys.add(added) }
        return amendments
    }

    /// Writes back and recomputes; call it before the transaction commits. When no event
    /// follows (`isLast`), the match records held for comparing are let go first: the
    /// recomputation of what matching marked is what peaks memory at the end of an ingest.
    mutating func finish(isLast: Bool = false) throws(UnifyError) {
        try Store.storage("writing customers back") {
            try storage.insertPendingEvents()
            try matchIndex?.flush()
            if isLast { matchIndex?.forgetRecords() }
            try writeBack()
            let recomputations = try graph.recomputeMarked(storage: storage)
            for recomputation in recomputations { try profiles.apply(recomputation, storage: profileStorage) }
            if !recomputations.isEmpty { try writeBack() }
            profiles.wroteBack()
            try letGo()
            if let latestTime, latestTime != recordedLatestTime {
                try Store.setLatestEventTime(latestTime, db)
                recordedLatestTime = latestTime
            }
        }
    }

    /// Lets go of the least recently used customers, writing those that changed.
    private mutating func letGo() throws {
        let customers = try withProfileRows { graph, storage in try graph.letGo(storage: storage) }
        profiles.letGo(customers)
    }

    /// Writes the graph's changes, with each changed customer's profile in its row.
    private mutating func writeBack() throws {
        try withProfileRows { graph, storage in try graph.writeBack(storage) }
    }

    /// Runs `body` on the graph with a storage that writes each customer's row with the
    /// profile held in memory.
    private mutating func withProfileRows<Result>(
        _ body: (inout IdentityGraph, SQLiteIdentityStorage) throws -> Result
    ) throws -> Result {
        let profiles = self.profiles
        storage.profileRows = { customers in
            let states = try customers.map { customer in
                guard let state = profiles.state(of: customer) else {
                    throw UnifyError(code: .storageFailure,
                                     message: "customer \(customer) has no profile in memory; run `unify rebuild`")
                }
                return state
            }
            return ProfileRendering(states, rules: profiles.rules)
        }
        defer { storage.profileRows = nil }
        return try body(&graph, storage)
    }
}
