import Foundation

/// One line of input, without its line ending (and without a leading byte order mark).
struct InputLine {
    /// The line's bytes, or its first `keepLimit + 1` bytes when it is longer; valid only
    /// until the source's next call.
    var bytes: UnsafeBufferPointer<UInt8>
    /// Its 1-based number in the input, blank lines included.
    var number: Int
    /// Its full length in bytes, which is more than `bytes.count` when it was cut.
    var length: Int
    /// For a line read back from the log, the time the log recorded for it: it stands in for
    /// a missing time field, as the ingest time did when the line was first read.
    var recordedTime: Timestamp? = nil
}

/// A stream of input lines, handed out one at a time.
///
/// A source is handed whole to the one thread that reads it, which is why the classes
/// below are `@unchecked Sendable`: no two threads ever use one at the same time.
protocol LineSource: AnyObject {
    /// The next line, or `nil` at the end of input.
    func nextLine() throws(UnifyError) -> InputLine?
    /// Bytes consumed so far, line endings included.
    var bytesConsumed: Int { get }
}

/// Reads lines from a file descriptor in large chunks, holding at most one chunk and the
/// first `keepLimit + 1` bytes of a line: the rest of a longer line (a JSON array exported
/// as one line, a file with CR-only line endings) is counted and skipped, so memory stays
/// flat whatever the input.
///
/// A UTF-8 byte order mark at the start of a line is dropped (files concatenated with
/// `cat` carry theirs mid-stream), and so is the `\r` of a CRLF line ending. A gzip input is
/// decompressed as it is read (``InputBytes``).
final class FileLineSource: LineSource, @unchecked Sendable {
    private let descriptor: Int32
    private let closesDescriptor: Bool
    private let input: InputBytes
    private let keepLimit: Int
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var scanned = 0
    /// Bytes of the current line dropped past `keepLimit + 1`.
    private var skipped = 0
    private var reachedEnd = false
    private var lineNumber = 0
    private(set) var bytesConsumed = 0

    init(descriptor: Int32, inputName: String, closesDescriptor: Bool, keepLimit: Int, chunkSize: Int = 1 << 20) {
        self.descriptor = descriptor
        self.input = InputBytes(descriptor: descriptor, inputName: inputName)
        self.closesDescriptor = closesDescriptor
        self.keepLimit = keepLimit
        self.capacity = max(chunkSize, 2 * (keepLimit + 2))
        self.buffer = .allocate(capacity: capacity)
    }

    /// Opens a file for reading.
    convenience init(path: String, keepLimit: Int) throws(UnifyError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw UnifyError(code: .inputUnreadable,
                             message: "cannot open \(path): \(String(cString: strerror(errno))); check the path")
        }
        // A folder opens, and fails only at the first read, once the ingest has begun.
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
            close(descriptor)
            throw UnifyError(code: .inputUnreadable, message: "cannot read \(path): it is a folder; name the files in it")
        }
        self.init(descriptor: descriptor, inputName: path, closesDescriptor: true, keepLimit: keepLimit)
    }

    deinit {
        buffer.deallocate()
        if closesDescriptor { close(descriptor) }
    }

    func nextLine() throws(UnifyError) -> InputLine? {
        while true {
            if scanned < end, let newline = memchr(buffer + scanned, 0x0A, end - scanned) {
                let newlineIndex = buffer.distance(to: newline.assumingMemoryBound(to: UInt8.self))
                return takeLine(upTo: newlineIndex, consumed: newlineIndex + 1)
            }
            scanned = end
            let kept = keepLimit + 1
            if end - start > kept {
                // Longer than anything kept: drop what is past the kept prefix, and read on.
                skipped += end - (start + kept)
                end = start + kept
                scanned = end
            }
            if reachedEnd {
                guard start < end || skipped > 0 else { return nil }
                return takeLine(upTo: end, consumed: end)
            }
            try fill()
        }
    }

    private func takeLine(upTo lineEnd: Int, consumed: Int) -> InputLine {
        var lineStart = start
        var lineStop = lineEnd
        var length = lineStop - lineStart + skipped
        // A line cut short keeps its prefix as read; a newline found past the kept prefix
        // still ends it, and the bytes between were skipped.
        lineStop = min(lineStop, lineStart + keepLimit + 1)
        if lineStop - lineStart >= 3,
           buffer[lineStart] == 0xEF, buffer[lineStart + 1] == 0xBB, buffer[lineStart + 2] == 0xBF
        {
            lineStart += 3
            length -= 3
        }
        if skipped == 0, lineStop > lineStart, buffer[lineStop - 1] == 0x0D {
            lineStop -= 1
            length -= 1
        }
        bytesConsumed += consumed - start + skipped
        skipped = 0
        start = consumed
        scanned = consumed
        lineNumber += 1
        return InputLine(bytes: UnsafeBufferPointer(start: buffer + lineStart, count: lineStop - lineStart),
                         number: lineNumber, length: length)
    }

    /// Moves the partial line to the front, grows the buffer if that line fills it, and reads more.
    private func fill() throws(UnifyError) {
        if start > 0 {
            let pending = end - start
            if pending > 0 { memmove(buffer, buffer + start, pending) }
            scanned -= start
            end = pending
            start = 0
        }
        if end == capacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown
            capacity *= 2
        }
        let count = try input.read(into: buffer + end, capacity: capacity - end)
        if count == 0 { reachedEnd = true }
        end += count
    }
}

/// Lines given as strings by an embedding app, one record per element.
final class StringLineSource<Lines: Sequence<String>>: LineSource, @unchecked Sendable {
    private var iterator: Lines.Iterator
    private var scratch: UnsafeMutablePointer<UInt8>
    private var capacity = 4096
    private var lineNumber = 0
    private(set) var bytesConsumed = 0

    init(_ lines: Lines) {
        iterator = lines.makeIterator()
        scratch = .allocate(capacity: capacity)
    }

    deinit { scratch.deallocate() }

    func nextLine() throws(UnifyError) -> InputLine? {
        guard var line = iterator.next() else { return nil }
        lineNumber += 1
        var count = line.withUTF8 { utf8 in
            if utf8.count > capacity {
                scratch.deallocate()
                capacity = utf8.count
                scratch = .allocate(capacity: capacity)
            }
            if let base = utf8.baseAddress { scratch.update(from: base, count: utf8.count) }
            return utf8.count
        }
        bytesConsumed += count + 1
        if count > 0, scratch[count - 1] == 0x0A { count -= 1 }
        if count > 0, scratch[count - 1] == 0x0D { count -= 1 }
        return InputLine(bytes: UnsafeBufferPointer(start: scratch, count: count), number: lineNumber, length: count)
    }
}
