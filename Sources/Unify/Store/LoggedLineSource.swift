import Foundation
internal import GRDB

/// The log's lines after a sequence number, in log order, read on a reader connection so
/// that replaying them runs through the same decoding threads as an ingest while the writer
/// resolves (`unify rebuild`, `unify resolve`).
///
/// Each line's ``InputLine/number`` is its sequence number. The log does not change under
/// the reader: it is append-only, and what is appended after the reader's snapshot is not
/// the replay's to resolve.
final class LoggedLineSource: LineSource, @unchecked Sendable {
    private let reader: any DatabaseReader
    private var after: Int64
    private var remaining: Int
    /// Rows read per query: enough to amortise the query, few enough to keep memory flat.
    private let pageRows = 2_048
    private var page: [(seq: Int64, time: Int64, raw: [UInt8])] = []
    private var index = 0
    /// The current line's bytes, which the returned line points into until the next call.
    private var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 16)
    private var capacity = 1 << 16
    private(set) var bytesConsumed = 0
    /// The sequence number of the last line handed out.
    private(set) var lastSeq: Int64?

    init(reader: any DatabaseReader, after seq: Int64, limit: Int) {
        self.reader = reader
        after = seq
        remaining = limit
    }

    func nextLine() throws(UnifyError) -> InputLine? {
        if index == page.count {
            guard remaining > 0 else { return nil }
            let (after, count) = (self.after, min(pageRows, remaining))
            page = try Store.storage("reading the log") {
                try reader.read { db in
                    try Row.fetchAll(db, sql: "SELECT seq, time, CAST(raw AS BLOB) FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                                     arguments: [after, count])
                        .map { (seq: $0[0], time: $0[1], raw: Array(($0[2] as Data?) ?? Data())) }
                }
            }
            index = 0
            guard let last = page.last else {
                remaining = 0
                return nil
            }
            self.after = last.seq
            remaining -= page.count
        }
        let row = page[index]
        index += 1
        if row.raw.count > capacity {
            buffer.deallocate()
            capacity = row.raw.count
            buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        }
        row.raw.withUnsafeBufferPointer { bytes in
            if let base = bytes.baseAddress { buffer.update(from: base, count: bytes.count) }
        }
        bytesConsumed += row.raw.count + 1
        lastSeq = row.seq
        return InputLine(bytes: UnsafeBufferPointer(start: buffer, count: row.raw.count), number: Int(row.seq),
                         length: row.raw.count, recordedTime: Timestamp(millisecondsSince1970: row.time))
    }

    deinit {
        buffer.deallocate()
    }
}
