internal import CZlib
import Foundation

/// The bytes of one input, read from a file descriptor and decompressed on the way when the
/// input is gzip: exports arrive that way (Segment's S3 destination writes `.gz` files, and
/// so do most warehouse unloads), and `unify ingest export.ndjson.gz` should read them as they
/// are. A gzip input is told by its first bytes, not its name, so a pipe works too; members
/// concatenated by `cat a.gz b.gz` are read one after the other, as `gzip -d` does.
///
/// Other compressed formats are refused at their first bytes with what to run instead: their
/// lines would otherwise each be rejected as invalid UTF-8. The format is told once per input:
/// `cat plain.ndjson export.gz | unify ingest` reads the gzip part as lines of invalid UTF-8.
final class InputBytes {
    private let descriptor: Int32
    private let inputName: String
    private var mode = Mode.undecided
    /// Bytes read from the descriptor and not handed out yet: the start of a plain input, or
    /// compressed bytes waiting for `inflate`.
    private var pending: UnsafeMutablePointer<UInt8>
    private let pendingCapacity: Int
    private var pendingStart = 0
    private var pendingEnd = 0
    private var reachedEnd = false
    /// Compressed bytes read so far, for the position of a damaged stream.
    private var compressedBytesRead = 0

    private enum Mode {
        case undecided
        case plain
        /// `stream` is allocated once and never moves: zlib keeps a pointer back to it.
        case gzip(stream: UnsafeMutablePointer<z_stream>, memberEnded: Bool)
    }

    init(descriptor: Int32, inputName: String, chunkSize: Int = 1 << 18) {
        self.descriptor = descriptor
        self.inputName = inputName
        pendingCapacity = max(chunkSize, 16)
        pending = .allocate(capacity: pendingCapacity)
    }

    deinit {
        if case .gzip(let stream, _) = mode {
            inflateEnd(stream)
            stream.deallocate()
        }
        pending.deallocate()
    }

    /// Reads up to `capacity` bytes of the input into `buffer`; 0 at its end.
    func read(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) throws(UnifyError) -> Int {
        if case .undecided = mode { try decide() }
        switch mode {
        case .undecided:
            preconditionFailure("decide() sets the mode")
        case .plain:
            if pendingStart < pendingEnd {
                let count = min(capacity, pendingEnd - pendingStart)
                buffer.update(from: pending + pendingStart, count: count)
                pendingStart += count
                return count
            }
            return try readDescriptor(into: buffer, capacity: capacity)
        case .gzip(let stream, _):
            return try inflate(stream, into: buffer, capacity: capacity)
        }
    }

    /// Reads the first bytes and sets the mode from them.
    private func decide() throws(UnifyError) {
        while pendingEnd < 10 && !reachedEnd { try refill() }
        let start = UnsafeBufferPointer(start: pending, count: pendingEnd)
        if start.starts(with: [0x1F, 0x8B]) {
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            // 15 + 16: the largest window, and a gzip header and trailer around the data.
            guard inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                stream.deallocate()
                throw UnifyError(code: .inputUnreadable, message: "cannot read \(inputName): zlib could not start decompressing it")
            }
            mode = .gzip(stream: stream, memberEnded: false)
            return
        }
        let refused: [(signature: [UInt8], format: String, command: String)] = [
            ([0x28, 0xB5, 0x2F, 0xFD], "zstd", "zstd -dc"),
            ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz", "xz -dc"),
            (Array("BZh".utf8), "bzip2", "bzip2 -dc"),
            ([0x50, 0x4B, 0x03, 0x04], "zip", "unzip -p"),
            ([0x50, 0x4B, 0x05, 0x06], "zip", "unzip -p"),
        ]
        for (signature, format, command) in refused where start.starts(with: signature) {
            // "BZh" alone begins ordinary text; a bzip2 stream goes on with a block size digit
            // and the magic of a block (0x314159265359) or of the end of an empty stream.
            if format == "bzip2", !(start.count >= 10 && (0x31...0x39).contains(start[3])
                                    && (start[4..<10].elementsEqual([0x31, 0x41, 0x59, 0x26, 0x53, 0x59])
                                        || start[4..<10].elementsEqual([0x17, 0x72, 0x45, 0x38, 0x50, 0x90]))) { continue }
            throw UnifyError(code: .inputUnreadable,
                             message: "cannot read \(inputName): it is \(format)-compressed, which unify does not decompress; "
                                 + "pipe it in decompressed (`\(command) FILE | unify ingest`), or recompress it with gzip")
        }
        mode = .plain
    }

    private func inflate(_ stream: UnsafeMutablePointer<z_stream>, into buffer: UnsafeMutablePointer<UInt8>,
                         capacity: Int) throws(UnifyError) -> Int {
        while true {
            if pendingStart == pendingEnd && !reachedEnd { try refill() }
            if case .gzip(_, memberEnded: true) = mode {
                // After a member: another one, or the end (padding of zeros is allowed, as
                // `gzip -d` allows it).
                skipZeroPadding()
                if pendingStart == pendingEnd {
                    if reachedEnd { return 0 }
                    continue
                }
                if pendingEnd - pendingStart < 2 && !reachedEnd { try refill(); continue }
                guard pendingEnd - pendingStart >= 2, pending[pendingStart] == 0x1F, pending[pendingStart + 1] == 0x8B else {
                    throw UnifyError(code: .inputUnreadable,
                                     message: "\(inputName) goes on after the end of its gzip data with bytes that are not gzip, "
                                         + "from byte \(compressedPosition + 1): the lines before them are ingested; if what follows "
                                         + "is NDJSON, ingest it on its own (`tail -c +\(compressedPosition + 1) FILE | unify ingest`)")
                }
                inflateReset(stream)
                mode = .gzip(stream: stream, memberEnded: false)
            }
            stream.pointee.next_in = pending + pendingStart
            stream.pointee.avail_in = UInt32(pendingEnd - pendingStart)
            let room = min(capacity, Int(UInt32.max))
            stream.pointee.next_out = buffer
            stream.pointee.avail_out = UInt32(room)
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            pendingStart = pendingEnd - Int(stream.pointee.avail_in)
            let produced = room - Int(stream.pointee.avail_out)
            switch status {
            case Z_STREAM_END:
                mode = .gzip(stream: stream, memberEnded: true)
            case Z_OK:
                break
            case Z_BUF_ERROR where pendingStart == pendingEnd && !reachedEnd:
                break  // needs more input
            case Z_BUF_ERROR, Z_DATA_ERROR, Z_NEED_DICT, Z_MEM_ERROR, Z_STREAM_ERROR:
                let reason = status == Z_BUF_ERROR ? "it ends in the middle of its gzip data (cut short)"
                    : status == Z_MEM_ERROR ? "out of memory while decompressing"
                    : stream.pointee.msg.map { "the compressed data is damaged (\(String(cString: $0)))" }
                    ?? "the compressed data is damaged"
                throw damaged(reason)
            default:
                throw damaged("zlib stopped with status \(status)")
            }
            if produced > 0 { return produced }
            if pendingStart == pendingEnd && reachedEnd {
                if case .gzip(_, memberEnded: true) = mode { return 0 }
                throw damaged("it ends in the middle of its gzip data (cut short)")
            }
        }
    }

    /// How many bytes of the compressed input have been handed to zlib.
    private var compressedPosition: Int { compressedBytesRead - (pendingEnd - pendingStart) }

    private func damaged(_ reason: String) -> UnifyError {
        UnifyError(code: .inputUnreadable,
                   message: "cannot read \(inputName) past byte \(compressedPosition) of its gzip data: \(reason); "
                       + "the lines before are ingested: ingest it again once it is whole "
                       + "(lines already in the log count as duplicates)")
    }

    private func skipZeroPadding() {
        while pendingStart < pendingEnd && pending[pendingStart] == 0 { pendingStart += 1 }
    }

    /// Reads more of the descriptor into `pending`, after what is still there.
    private func refill() throws(UnifyError) {
        if pendingStart > 0 {
            let kept = pendingEnd - pendingStart
            if kept > 0 { memmove(pending, pending + pendingStart, kept) }
            pendingStart = 0
            pendingEnd = kept
        }
        guard pendingEnd < pendingCapacity else { return }
        let count = try readDescriptor(into: pending + pendingEnd, capacity: pendingCapacity - pendingEnd)
        if count == 0 { reachedEnd = true }
        pendingEnd += count
        compressedBytesRead += count
    }

    private func readDescriptor(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) throws(UnifyError) -> Int {
        while true {
            let count = Foundation.read(descriptor, buffer, capacity)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw UnifyError(code: .inputUnreadable, message: "cannot read \(inputName): \(String(cString: strerror(errno)))")
        }
    }
}
