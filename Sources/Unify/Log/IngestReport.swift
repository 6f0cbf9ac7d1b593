/// What one ingest did: lines read, accepted, already known and rejected.
///
/// Every line read is counted once: `linesRead == accepted + duplicates + rejected`.
/// Blank lines are not lines of data and are counted apart.
public struct IngestReport: Sendable, Hashable {
    /// Lines holding something (blank lines excluded).
    public var linesRead = 0
    /// Empty or whitespace-only lines, skipped.
    public var blankLines = 0
    /// Bytes read, line endings included (of a gzip input, the bytes it decompresses to).
    public var bytesRead = 0
    /// Lines appended to the log as new events.
    public var accepted = 0
    /// Lines whose event id was already in the log (or earlier in the same input).
    public var duplicates = 0
    /// Lines kept as rejects.
    public var rejected = 0
    /// Accepted events that had no time field and took the ingest time.
    public var timesAssigned = 0
    /// Channel values outside the known list, with how many accepted events used each.
    public var unlistedChannels: [String: Int] = [:]
    /// Accepted orders whose amount could not be added to revenue (text, or beyond a trillion):
    /// they count as orders, without revenue. Counted when the ingest resolves identities.
    public var unreadableOrderAmounts = 0
    /// The first few rejects, to show in a summary; all are in the store.
    public var sampleRejects: [RejectedLine] = []
    /// Wall-clock seconds the ingest took.
    public var seconds: Double = 0
    /// What probabilistic matching did.
    public var matching = MatchingCounts()
    /// Under `strict`, the rejected line that stopped the ingest; lines after it were not read.
    public var stoppedAt: RejectedLine?

    public init() {}

    /// Lines read per second over the whole ingest.
    public var linesPerSecond: Double { seconds > 0 ? Double(linesRead) / seconds : 0 }

    static let sampleLimit = 10

    /// Adds the counts of another report (another input of the same run).
    public mutating func add(_ other: IngestReport) {
        linesRead += other.linesRead
        blankLines += other.blankLines
        bytesRead += other.bytesRead
        accepted += other.accepted
        duplicates += other.duplicates
        rejected += other.rejected
        timesAssigned += other.timesAssigned
        unlistedChannels.merge(other.unlistedChannels, uniquingKeysWith: +)
        unreadableOrderAmounts += other.unreadableOrderAmounts
        sampleRejects.append(contentsOf: other.sampleRejects.prefix(IngestReport.sampleLimit - sampleRejects.count))
        seconds += other.seconds
        matching.records += other.matching.records
        matching.offlineRecords += other.matching.offlineRecords
        matching.candidatePairs += other.matching.candidatePairs
        matching.links += other.matching.links
        stoppedAt = stoppedAt ?? other.stoppedAt
    }
}

/// What probabilistic matching did during an ingest.
public struct MatchingCounts: Sendable, Hashable {
    /// Events that were records (traits naming a person), and those of them offline.
    public var records = 0
    public var offlineRecords = 0
    /// Pairs of records blocking proposed and the matcher scored.
    public var candidatePairs = 0
    /// Pairs linked.
    public var links = 0

    public init() {}
}
