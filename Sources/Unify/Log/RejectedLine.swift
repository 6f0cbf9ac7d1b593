/// A line that was read but not accepted, kept verbatim so it can be fixed and re-ingested.
public struct RejectedLine: Sendable, Hashable {
    /// The input it came from: a file path as given, or `stdin`.
    public var input: String
    /// Its 1-based line number in that input, blank lines included.
    public var line: Int
    public var fault: LineFault
    /// The line's bytes exactly as read, without the line ending (they may not be UTF-8).
    public var bytes: [UInt8]

    public init(input: String, line: Int, fault: LineFault, bytes: [UInt8]) {
        self.input = input
        self.line = line
        self.fault = fault
        self.bytes = bytes
    }
}
