/// A run of consecutive input lines, decoded and ready to append in one transaction.
///
/// The raw bytes of every non-blank line are kept side by side in ``bytes``: accepted
/// events keep their original JSON in the log, rejected lines are kept verbatim.
struct DecodedBatch: Sendable {
    enum Outcome: Sendable {
        case event(PreparedEvent)
        case rejected(LineFault)
    }

    struct Entry: Sendable {
        var outcome: Outcome
        var lineNumber: Int
        var range: Range<Int>
    }

    var bytes: [UInt8] = []
    var entries: [Entry] = []
    /// The blank lines among them, skipped: numbers, so that a strict ingest counts only
    /// those before the line that stopped it.
    var blankLineNumbers: [Int] = []
    /// Bytes of input this batch covers, line endings and blank lines included.
    var bytesRead = 0
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether the bytes are only spaces, tabs and line breaks (or nothing).
    var isBlank: Bool {
        allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
    }
}
