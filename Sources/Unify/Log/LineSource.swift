import Foundation

/// A stream of input lines, handed out one at a time without the line ending.
///
/// The bytes a line points to stay valid only until the next call. A source is handed
/// whole to the one thread that reads it, which is why the classes below are
/// `@unchecked Sendable`: no two threads ever use one at the same time.
protocol LineSource: AnyObject {
    /// The next line and its 1-based number, or `nil` at the end of input.
    func nextLine() throws(UnifyError) -> (bytes: UnsafeBufferPointer<UInt8>, number: Int)?
    /// Bytes consumed so far, line endings included.
    var bytesConsumed: Int { get }
}

/// Reads lines from a file descriptor in large chunks, never holding more than one chunk
/// (or one line, when a line is longer than a chunk).
///
/// A UTF-8 byte order mark at the start of the input is dropped, and so is the `\r` of a
/// CRLF line ending.
final class FileLineSource: LineSource, @unchecked Sendable {
    private let descriptor: Int32
    private let closesDescriptor: Bool
    private let inputName: String
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var scanned = 0
    private var reachedEnd = false
    private var lineNumber = 0
    private(set) var bytesConsumed = 0

    init(descriptor: Int32, inputName: String, closesDescriptor: Bool, chunkSize: Int = 1 << 20) {
        self.descriptor = descriptor
        self.inputName = inputName
        self.closesDescriptor = closesDescriptor
        self.capacity = chunkSize
        self.buffer = .allocate(capacity: chunkSize)
    }

    /// Opens a file for reading.
    convenience init(path: String) throws(UnifyError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw UnifyError(code: .inputUnreadable,
                             message: "cannot open \(path): \(String(cString: strerror(errno))); check the path")
        }
        self.init(descriptor: descriptor, inputName: path, closesDescriptor: true)
    }

    deinit {
        buffer.deallocate()
        if closesDescriptor { close(descriptor) }
    }

    func nextLine() throws(UnifyError) -> (bytes: UnsafeBufferPointer<UInt8>, number: Int)? {
        while true {
            if scanned < end, let newline = memchr(buffer + scanned, 0x0A, end - scanned) {
                let newlineIndex = buffer.distance(to: newline.assumingMemoryBound(to: UInt8.self))
                return takeLine(upTo: newlineIndex, consumed: newlineIndex + 1)
            }
            scanned = end
            if reachedEnd {
                guard start < end else { return nil }
                return takeLine(upTo: end, consumed: end)
            }
            try fill()
        }
    }

    private func takeLine(upTo lineEnd: Int, consumed: Int) -> (bytes: UnsafeBufferPointer<UInt8>, number: Int) {
        var lineStart = start
        var lineStop = lineEnd
        if lineNumber == 0, lineStop - lineStart >= 3,
           buffer[lineStart] == 0xEF, buffer[lineStart + 1] == 0xBB, buffer[lineStart + 2] == 0xBF
        {
            lineStart += 3
        }
        if lineStop > lineStart, buffer[lineStop - 1] == 0x0D { lineStop -= 1 }
        bytesConsumed += consumed - start
        start = consumed
        scanned = consumed
        lineNumber += 1
        return (UnsafeBufferPointer(start: buffer + lineStart, count: lineStop - lineStart), lineNumber)
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
        while true {
            let count = read(descriptor, buffer + end, capacity - end)
            if count > 0 {
                end += count
                return
            }
            if count == 0 {
                reachedEnd = true
                return
            }
            if errno == EINTR { continue }
            throw UnifyError(code: .inputUnreadable,
                             message: "cannot read \(inputName): \(String(cString: strerror(errno)))")
        }
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

    func nextLine() throws(UnifyError) -> (bytes: UnsafeBufferPointer<UInt8>, number: Int)? {
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
        return (UnsafeBufferPointer(start: scratch, count: count), lineNumber)
    }
}
