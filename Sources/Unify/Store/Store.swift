import Foundation
internal import GRDB

/// A unify store: one SQLite file holding the event log and everything derived from it.
///
/// The store is the single owner of its database. Writes go through its named methods,
/// each batch in one transaction, so a process killed at any moment leaves a consistent
/// file; readers (another process running `unify show`) read while an ingest writes.
///
/// ```swift
/// let store = try Store(path: "unify.db")
/// let report = try store.ingest(fileAt: "web.ndjson")
/// print(report.accepted, report.duplicates, report.rejected)
/// ```
public final class Store: Sendable {
    /// Limits and injected dependencies of a store.
    public struct Configuration: Sendable {
        /// Lines longer than this many bytes are rejected (and kept).
        public var maximumLineBytes = 1 << 20
        /// JSON nested deeper than this is rejected (and kept).
        public var maximumJSONDepth = 64
        /// Lines handed between the ingest pipeline's threads at a time; a few batches are
        /// in flight, so this bounds memory.
        public var batchLines = 2048
        /// Lines per transaction during ingest (rounded up to whole batches). Larger is faster
        /// on big stores; a crash loses at most one transaction, which a re-run restores.
        public var transactionLines = 262_144
        /// How many customers (with their profiles) resolution keeps in memory; past that, the
        /// least recently used are written and read back from the store when needed again.
        /// More is faster for large ingests and costs memory (about 2 KB a customer).
        public var workingSetCustomers = 45_000
        /// How many identifiers resolution keeps in memory, on the same terms (they cost a
        /// tenth of a customer, and most events name two or three).
        public var workingSetIdentifiers = 180_000
        /// How many match records (see ``MatchingPolicy``) resolution keeps in memory, the
        /// least recently used let go first. Each costs about 300 bytes (its normalised values'
        /// bytes); a record read back from the store costs a look-up and often a page read.
        /// Enough for every known customer that offline records are compared with is fastest.
        public var matchRecordCache = 200_000
        /// Threads that decode lines while another appends them; one per core by default.
        public var decodingThreads = max(1, ProcessInfo.processInfo.activeProcessorCount)
        /// Where the ingest time of lines without a time field comes from.
        public var clock: Clock = .system
        /// The identity rules; `nil` reads them from the configuration file beside the store
        /// (see ``IdentityPolicy``), or takes the defaults when there is none.
        public var identityPolicy: IdentityPolicy?
        /// The profile, journey and consent rules; `nil` reads them from the configuration
        /// file beside the store (see ``ProjectionPolicy``), or takes the defaults.
        public var projectionPolicy: ProjectionPolicy?
        /// The probabilistic matching rules; `nil` reads them from the configuration file
        /// beside the store (see ``MatchingPolicy``), or takes the defaults.
        public var matchingPolicy: MatchingPolicy?
        /// The secret customer ids are made with, as 32 hex digits, for a new store; `nil`
        /// draws a random one. A store keeps the secret it was created with.
        public var customerIDSecret: String?
        /// Opens an existing store for reading only: nothing is written to its file, so a
        /// store one may only read (another user's, a copy on a read-only disk) can be
        /// queried, and querying leaves the file as it was. Writing methods then throw
        /// ``UnifyError/Code/storeReadOnly``, and a store whose tables need bringing up to
        /// date throws ``UnifyError/Code/storeOutdated`` when opened. A store in a folder
        /// one cannot write (where SQLite cannot make the `-shm` file readers share) is read
        /// as immutable: it must not change while it is open.
        public var readOnly = false

        public init(clock: Clock = .system, identityPolicy: IdentityPolicy? = nil, customerIDSecret: String? = nil) {
            self.clock = clock
            self.identityPolicy = identityPolicy
            self.customerIDSecret = customerIDSecret
        }
    }

    /// What to do while ingesting.
    public struct IngestOptions: Sendable {
        /// Stop at the first rejected line; the report's ``IngestReport/stoppedAt`` names it.
        /// Lines before it are ingested and the reject is kept, as without `strict`.
        public var strict: Bool
        /// Called after each batch is committed, with the counts so far.
        public var progress: (@Sendable (IngestReport) -> Void)?
        /// Resolve identities as events are appended (the default). Off, events are only
        /// logged, which is faster for a large backfill; ``Store/resolvePending()`` (or the
        /// next ingest with it on) resolves them later, with the same result.
        public var resolveIdentities: Bool

        public init(strict: Bool = false, resolveIdentities: Bool = true,
                    progress: (@Sendable (IngestReport) -> Void)? = nil) {
            self.strict = strict
            self.resolveIdentities = resolveIdentities
            self.progress = progress
        }
    }

    let database: any DatabaseWriter
    public let configuration: Configuration
    /// The identity rules in force.
    public let identityPolicy: IdentityPolicy
    let identityRules: IdentityRules
    /// The profile, journey and consent rules in force.
    public let projectionPolicy: ProjectionPolicy
    /// The probabilistic matching rules in force.
    public let matchingPolicy: MatchingPolicy
    let projectionRules: ProjectionRules
    let customerIDs: CustomerIDs

    /// A transaction also closes at this many bytes of input, so wide lines do not make
    /// SQLite hold more dirty pages.
    static let transactionBytes = 256 << 20

    /// SQLite's page cache per connection, in KiB: room for a bulk ingest's working set of
    /// index pages.
    static let pageCacheKiB = 32_768

    /// The writer's page cache for an ingest's first ``linesBeforeFullPageCache`` lines, in KiB.
    ///
    /// A batch of a thousand events into a large store reads some 5,000 pages spread over its
    /// hash-keyed indexes, so a full cache would be filled once and never reused: every buffer
    /// it allocates is fresh memory, and faulting that in costs more than the reads it saves
    /// (10,900 page faults a batch against 3,100 on the 990k store of Benchmarks/README.md,
    /// stop 23). Bulk ingests grow the cache once past the first lines.
    static let startingPageCacheKiB = 2_048

    /// Lines an ingest appends before its page cache grows to ``pageCacheKiB``.
    static let linesBeforeFullPageCache = 8_192

    /// Opens the store at `path`, creating the file and its tables when needed.
    public init(path: String, configuration: Configuration = Configuration()) throws(UnifyError) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw UnifyError(code: .storeUnavailable,
                             message: "\(path) is a folder, not a store: name the store's file (e.g. \(path)/unify.db)")
        }
        self.configuration = try configuration.validated()
        if let policy = configuration.identityPolicy {
            identityPolicy = policy
        } else {
            identityPolicy = try IdentityPolicy.load(forStoreAt: path)
        }
        identityRules = IdentityRules(policy: identityPolicy)
        if let policy = configuration.projectionPolicy {
            projectionPolicy = policy
        } else {
            projectionPolicy = try ProjectionPolicy.load(forStoreAt: path)
        }
        projectionRules = ProjectionRules(policy: projectionPolicy)
        if let policy = configuration.matchingPolicy {
            matchingPolicy = policy
        } else {
            matchingPolicy = try MatchingPolicy.load(forStoreAt: path)
        }
        let configuration = self.configuration
        if configuration.readOnly {
            (database, customerIDs) = try Store.openForReading(path)
            return
        }
        do {
            database = try DatabasePool(path: path, configuration: Store.databaseConfiguration(readOnly: false))
            try Schema.migrator.migrate(database)
            // Checked on a read first, so that opening a current store takes no write lock.
            if try !database.read(SQLiteMatchIndex.keysAreCurrent) {
                try database.write { db in try SQLiteMatchIndex.indexAgainIfRulesChanged(db) }
            }
            // Read first: a reader (`unify stats`) must not wait for an ingest's write lock.
            let stored = try database.read { db in try Store.storedSecret(db) }
            customerIDs = CustomerIDs(secret: try stored ?? database.write { db in
                try Store.customerIDSecret(db, proposed: configuration.customerIDSecret)
            })
        } catch {
            throw UnifyError(code: .storeUnavailable,
                             message: "cannot open the store at \(path); check that the folder exists and is writable",
                             cause: error)
        }
    }

    // MARK: Opening

    private static func databaseConfiguration(readOnly: Bool) -> GRDB.Configuration {
        var configuration = GRDB.Configuration()
        configuration.busyMode = .timeout(30)
        configuration.readonly = readOnly
        configuration.prepareDatabase { db in
            if readOnly {
                try db.execute(sql: "PRAGMA cache_size = -\(pageCacheKiB)")
                return
            }
            // NORMAL keeps every committed transaction across a process crash in WAL mode;
            // only a power loss can roll back the last few. Debian builds SQLite with
            // secure_delete on, which zeroes and writes every page a delete frees: derived
            // rows are rewritten all the time and `rebuild` deletes them all (1 s of a
            // million-event rebuild). FAST still overwrites deleted content where that costs
            // no extra write; the log itself is append-only.
            try db.execute(sql: """
                PRAGMA page_size = 16384; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -\(pageCacheKiB);
                PRAGMA wal_autocheckpoint = 4096; PRAGMA secure_delete = FAST
                """)
        }
        return configuration
    }

    /// The store at `path` opened read-only, as immutable when SQLite cannot share it with
    /// writers from there (no `-shm` file, and none can be made), with its customer ids. Its
    /// tables must be up to date and its secret there already.
    private static func openForReading(_ path: String) throws(UnifyError) -> (DatabasePool, CustomerIDs) {
        // Opening reads nothing yet: the first read, of the schema's state and the secret,
        // is what finds the WAL index or not.
        func open(_ name: String) throws -> (DatabasePool, upToDate: Bool, secret: (UInt64, UInt64)?) {
            let database = try DatabasePool(path: name, configuration: databaseConfiguration(readOnly: true))
            let (upToDate, secret) = try database.read { db in
                // The secret is read only from tables known to be this version's.
                let upToDate = try Schema.migrator.hasCompletedMigrations(db)
                return (upToDate, upToDate ? try Store.storedSecret(db) : nil)
            }
            return (database, upToDate, secret)
        }
        func unavailable(_ cause: any Error) -> UnifyError {
            UnifyError(code: .storeUnavailable,
                       message: "cannot open the store at \(path) for reading; check that the file exists and is readable",
                       cause: cause)
        }
        let opened: (DatabasePool, upToDate: Bool, secret: (UInt64, UInt64)?)
        do {
            opened = try open(path)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN || error.resultCode == .SQLITE_READONLY {
            // Only when the WAL index cannot be opened: a busy or damaged store is not
            // read past its writers.
            let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
            guard let immutable = try? open("file:\(encoded)?immutable=1") else { throw unavailable(error) }
            opened = immutable
        } catch {
            throw unavailable(error)
        }
        guard opened.upToDate else {
            throw UnifyError(code: .storeOutdated, message: """
                the store at \(path) was made by an earlier version of unify, and opened read-only its \
                tables cannot be brought up to date: run a command that writes (`unify resolve --db \(path)`) once
                """)
        }
        guard let secret = opened.secret else {
            throw UnifyError(code: .storeUnavailable, message: "the store at \(path) holds no customer-id secret: it was never written")
        }
        return (opened.0, CustomerIDs(secret: secret))
    }

    // MARK: Ingest

    /// Ingests the NDJSON file at `path`, streaming it; a gzip-compressed file is decompressed
    /// as it is read. When the file cannot be read to its end (cut short, damaged), the lines
    /// before are kept and the ``UnifyError`` thrown says what they were
    /// (``UnifyError/ingestedBeforeFailure``).
    public func ingest(fileAt path: String, options: IngestOptions = IngestOptions()) throws(UnifyError)
        -> IngestReport
    {
        try ingest(FileLineSource(path: path, keepLimit: configuration.maximumLineBytes), inputName: path,
                   options: options)
    }

    /// Ingests NDJSON read from an open file descriptor (standard input is `0`), which stays open;
    /// gzip-compressed input is decompressed as it is read. A read that fails partway throws
    /// as ``ingest(fileAt:options:)`` does.
    public func ingest(fileDescriptor: Int32, inputName: String, options: IngestOptions = IngestOptions())
        throws(UnifyError) -> IngestReport
    {
        try ingest(FileLineSource(descriptor: fileDescriptor, inputName: inputName, closesDescriptor: false,
                                  keepLimit: configuration.maximumLineBytes),
                   inputName: inputName, options: options)
    }

    /// Ingests lines given as strings, one JSON object each, under the input name `inputName`.
    public func ingest(
        lines: some Sequence<String> & Sendable, inputName: String = "lines", options: IngestOptions = IngestOptions()
    ) throws(UnifyError) -> IngestReport {
        try ingest(StringLineSource(lines), inputName: inputName, options: options)
    }

    /// Ingests events an app built as values, under the input name `inputName`.
    ///
    /// Each is logged as its ``Event/jsonLine``, which decodes back to the same event, so a
    /// rebuild from the log gives what was ingested. An event whose `timeWasAssigned` is set
    /// is logged with its time as if it had been written in the line.
    public func ingest(events: [Event], inputName: String = "api", options: IngestOptions = IngestOptions())
        throws(UnifyError) -> IngestReport
    {
        try ingest(lines: events.map(\.jsonLine), inputName: inputName, options: options)
    }

    private func ingest(_ source: some LineSource & Sendable, inputName: String, options: IngestOptions)
        throws(UnifyError) -> IngestReport
    {
        let started = ContinuousClock.now
        let (inputID, ingestTime) = try write { db throws(UnifyError) in
            try Store.beginInput(named: inputName, now: configuration.clock.now(), db)
        }
        let pipeline = IngestPipeline(
            limits: EventDecoder.Limits(maximumLineBytes: configuration.maximumLineBytes,
                                        maximumDepth: configuration.maximumJSONDepth),
            batchLines: configuration.batchLines, ingestTime: ingestTime,
            decoders: configuration.decodingThreads,
            preparation: EventPreparation(rules: options.resolveIdentities ? (identityRules, projectionRules) : nil,
                                          matching: options.resolveIdentities && matchingPolicy.enabled))
        var report = IngestReport()
        // A read that fails partway ends the ingest like the end of the input: the lines read
        // before it are committed, and the failure is thrown once they are.
        var readFailure: UnifyError?
        let stoppedAt = try pipeline.run(source) { batches throws(UnifyError) -> RejectedLine? in
            try writeWithoutTransaction { db throws(UnifyError) -> RejectedLine? in
                // Events an earlier ingest left unresolved come first, so the mark stays a prefix.
                // A `--no-resolve` backfill can leave millions: they resolve with the full cache.
                if options.resolveIdentities { _ = try resolvePending(db) }
                var pageCache = try IngestPageCache(db)
                defer { pageCache.restore() }
                var appender = try EventLogAppender(db)
                var resolver = options.resolveIdentities ? try makeResolver(db) : nil
                while true {
                    // Several batches per transaction: each commit rewrites every index page it
                    // touched, and event keys are spread over the whole index.
                    let outcome = try transaction(db) { () throws(UnifyError) -> Bool? in
                        if var active = resolver {
                            // Another connection committed since our last transaction: what it
                            // logged without resolving comes before what we append now.
                            if try active.beginTransaction() { _ = try resolveLogged(db, with: &active, limit: .max) }
                            resolver = active
                        }
                        var lastSeq: Int64?
                        func finish(isLast: Bool) throws(UnifyError) {
                            try appender.writeCounts(db)
                            try resolver?.finish(isLast: isLast)
                            if let resolver { report.matching = resolver.matchCounts }
                            if let lastSeq {
                                try storage("marking events resolved") { try Store.setResolvedThrough(lastSeq, db) }
                            }
                        }
                        var lines = 0
                        var bytes = 0
                        while lines < configuration.transactionLines && bytes < Store.transactionBytes {
                            let next: DecodedBatch?
                            do throws(UnifyError) {
                                next = try batches.next()
                            } catch {
                                readFailure = error
                                next = nil
                            }
                            guard let batch = next else {
                                try finish(isLast: true)
                                return false
                            }
                            let carryOn = try appender.append(
                                batch, inputID: inputID, inputName: inputName, ingestedAt: ingestTime,
                                strict: options.strict, report: &report
                            ) { (event, seq) throws(UnifyError) in
                                guard resolver != nil else { return }
                                lastSeq = seq
                                try resolver!.add(event, seq: seq)
                            }
                            lines += batch.entries.count
                            bytes += batch.bytes.count
                            try pageCache.grow(afterLines: batch.entries.count)
                            batches.discard(consume batch)
                            report.seconds = (ContinuousClock.now - started).seconds
                            options.progress?(report)
                            // Under strict, the first reject ends the ingest and is the last one sampled.
                            if !carryOn {
                                try finish(isLast: true)
                                return nil
                            }
                        }
                        try finish(isLast: false)
                        return true
                    }
                    switch outcome {
                    case true?: continue
                    case false?: return nil
                    case nil: return report.sampleRejects.last
                    }
                }
            }
        }
        report.seconds = (ContinuousClock.now - started).seconds
        report.stoppedAt = stoppedAt
        if var readFailure {
            // The input stays pending: ingesting it again takes the same ingest time for lines
            // without a time, as after an interrupted run.
            readFailure.ingestedBeforeFailure = report
            throw readFailure
        }
        try write { db throws(UnifyError) in
            try storage("finishing the ingest") {
                try db.execute(sql: "UPDATE inputs SET pending_since = NULL WHERE id = ?", arguments: [inputID])
            }
        }
        return report
    }

    /// A resolver for a run of appends on the writer connection `db`.
    func makeResolver(_ db: Database) throws(UnifyError) -> EventResolver {
        try EventResolver(db: db, identityRules: identityRules, projectionRules: projectionRules, customerIDs: customerIDs,
                          matchingPolicy: matchingPolicy, limits: decoderLimits,
                          workingSet: (configuration.workingSetCustomers, configuration.workingSetIdentifiers),
                          matchRecordCache: configuration.matchRecordCache)
    }

    /// The decoder limits of this store's configuration.
    var decoderLimits: EventDecoder.Limits {
        EventDecoder.Limits(maximumLineBytes: configuration.maximumLineBytes, maximumDepth: configuration.maximumJSONDepth)
    }

    /// Runs `body`, reporting any error as a storage failure while doing `what`.
    func storage<Result>(_ what: String, _ body: () throws -> Result) throws(UnifyError) -> Result {
        try Store.storage(what, body)
    }

    /// Runs `body`, reporting any error as a storage failure while doing `what`.
    static func storage<Result>(_ what: String, _ body: () throws -> Result) throws(UnifyError) -> Result {
        do {
            return try body()
        } catch let error as UnifyError {
            throw error
        } catch {
            throw UnifyError(code: .storageFailure, message: "\(what) failed", cause: error)
        }
    }

    /// The writer's page cache during one ingest: ``startingPageCacheKiB`` for its first
    /// ``linesBeforeFullPageCache`` lines, ``pageCacheKiB`` after, and again once it is done.
    struct IngestPageCache {
        private let db: Database
        private var linesLeft = Store.linesBeforeFullPageCache

        init(_ db: Database) throws(UnifyError) {
            self.db = db
            try resize(kib: Store.startingPageCacheKiB)
        }

        mutating func grow(afterLines lines: Int) throws(UnifyError) {
            guard linesLeft > 0 else { return }
            linesLeft -= lines
            if linesLeft <= 0 { try resize(kib: Store.pageCacheKiB) }
        }

        /// Leaves the connection as it was opened, for whatever runs on it next; a connection
        /// that cannot take a pragma any more fails that next statement with its own error.
        func restore() {
            if linesLeft > 0 { try? resize(kib: Store.pageCacheKiB) }
        }

        private func resize(kib: Int) throws(UnifyError) {
            try Store.storage("sizing the page cache") { try db.execute(sql: "PRAGMA cache_size = -\(kib)") }
        }
    }

    /// Runs `body` with the writer connection, outside any transaction.
    func writeWithoutTransaction<Result>(_ body: (Database) throws(UnifyError) -> Result) throws(UnifyError)
        -> Result
    {
        try refuseIfReadOnly()
        return try storage("a write to the store") { try database.writeWithoutTransaction { db in try body(db) } }
    }

    /// Runs `body` in one transaction on `db`, committing unless it throws.
    func transaction<Result>(_ db: Database, _ body: () throws(UnifyError) -> Result) throws(UnifyError) -> Result {
        var result: Result?
        try storage("a write to the store") {
            try db.inTransaction {
                result = try body()
                return .commit
            }
        }
        return result!
    }

    /// Runs `body` in one write transaction, mapping SQLite's errors to ``UnifyError``.
    func write<Result>(_ body: (Database) throws(UnifyError) -> Result) throws(UnifyError) -> Result {
        try refuseIfReadOnly()
        return try storage("a write to the store") { try database.write { db in try body(db) } }
    }

    /// Throws ``UnifyError/Code/storeReadOnly`` when the store was opened read-only.
    private func refuseIfReadOnly() throws(UnifyError) {
        guard configuration.readOnly else { return }
        throw UnifyError(code: .storeReadOnly,
                         message: "the store is open read-only: open it without `readOnly` to ingest, resolve, rebuild or train")
    }

    /// Runs `body` on a read-only snapshot.
    func read<Result>(_ body: (Database) throws -> Result) throws(UnifyError) -> Result {
        try storage("a read from the store") { try database.read { db in try body(db) } }
    }

    /// The store's customer-id secret, created on first use from `proposed` or at random.
    private static func customerIDSecret(_ db: Database, proposed: String?) throws -> (UInt64, UInt64) {
        if let stored = try storedSecret(db) { return stored }
        var generator = SystemRandomNumberGenerator()
        let secret = try proposed.map(parseSecret) ?? (generator.next(), generator.next())
        func hex(_ value: UInt64) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }
        try db.execute(sql: "INSERT INTO store_info (key, value) VALUES ('customer_id_secret', ?)",
                       arguments: [hex(secret.0) + hex(secret.1)])
        return secret
    }

    private static func storedSecret(_ db: Database) throws -> (UInt64, UInt64)? {
        try String.fetchOne(db, sql: "SELECT value FROM store_info WHERE key = 'customer_id_secret'").map(parseSecret)
    }

    private static func parseSecret(_ text: String) throws -> (UInt64, UInt64) {
        guard text.count == 32, let first = UInt64(text.prefix(16), radix: 16), let second = UInt64(text.suffix(16), radix: 16)
        else {
            throw UnifyError(code: .storeUnavailable, message: "the customer-id secret must be 32 hex digits")
        }
        return (first, second)
    }

    /// The input's row, and the ingest time for this run: that of an earlier run of the same
    /// input that did not finish (it was killed), else `now`.
    private static func beginInput(named name: String, now: Timestamp, _ db: Database) throws(UnifyError)
        -> (Int64, Timestamp)
    {
        do {
            try db.execute(sql: "INSERT OR IGNORE INTO inputs (name) VALUES (?)", arguments: [name])
            let row = try Row.fetchOne(db, sql: "SELECT id, pending_since FROM inputs WHERE name = ?", arguments: [name])!
            let id: Int64 = row[0]
            if let pending: Int64 = row[1] { return (id, Timestamp(millisecondsSince1970: pending)) }
            try db.execute(sql: "UPDATE inputs SET pending_since = ? WHERE id = ?",
                           arguments: [now.millisecondsSince1970, id])
            return (id, now)
        } catch {
            throw UnifyError(code: .storageFailure, message: "cannot record the input \(name)", cause: error)
        }
    }
}

extension Store.Configuration {
    /// The configuration, or an error naming the setting that cannot work.
    func validated() throws(UnifyError) -> Store.Configuration {
        func check(_ ok: Bool, _ message: String) throws(UnifyError) {
            if !ok { throw UnifyError(code: .storeUnavailable, message: message) }
        }
        try check((1...(256 << 20)).contains(maximumLineBytes), "maximumLineBytes must be between 1 and 256 MiB")
        try check((1...512).contains(maximumJSONDepth), "maximumJSONDepth must be between 1 and 512")
        try check(batchLines >= 1, "batchLines must be at least 1")
        try check(transactionLines >= 1, "transactionLines must be at least 1")
        try check(decodingThreads >= 1, "decodingThreads must be at least 1")
        try check(workingSetCustomers >= 1, "workingSetCustomers must be at least 1")
        try check(workingSetIdentifiers >= 1, "workingSetIdentifiers must be at least 1")
        try check(matchRecordCache >= 1, "matchRecordCache must be at least 1")
        return self
    }
}

extension Duration {
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
