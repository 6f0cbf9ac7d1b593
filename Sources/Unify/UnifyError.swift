/// An error from the engine: what happened, and what to do about it.
///
/// ```swift
/// do { try store.ingest(fileAt: "web.ndjson") }
/// catch let error as UnifyError where error.code == .inputUnreadable { … }
/// ```
public struct UnifyError: Error, Sendable, CustomStringConvertible {
    /// The kind of error, for code that reacts to it.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String {
            case storeUnavailable = "store_unavailable"
            case storeOutdated = "store_outdated"
            case storeReadOnly = "store_read_only"
            case inputUnreadable = "input_unreadable"
            case storageFailure = "storage_failure"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The store could not be opened or created.
        public static let storeUnavailable = Code(.storeUnavailable)
        /// The store's tables are older than this version of unify, and it was opened
        /// read-only: open it once for writing to bring them up to date.
        public static let storeOutdated = Code(.storeOutdated)
        /// A write was asked of a store opened read-only.
        public static let storeReadOnly = Code(.storeReadOnly)
        /// An input file could not be opened or read.
        public static let inputUnreadable = Code(.inputUnreadable)
        /// SQLite refused a read or a write.
        public static let storageFailure = Code(.storageFailure)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// What happened and how to remedy it.
    public var message: String
    /// The underlying error, if any.
    public var cause: (any Error & Sendable)?
    /// For an ingest whose input could not be read to its end (a gzip file cut short, a disk
    /// error): what it ingested before, which the store keeps. Ingesting the whole input again
    /// adds only what is missing.
    public var ingestedBeforeFailure: IngestReport?

    public init(code: Code, message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        guard let cause else { return message }
        return "\(message) (\(cause))"
    }
}
