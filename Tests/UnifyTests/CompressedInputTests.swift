import Foundation
import GRDB
import Testing
@testable import Unify

/// Inputs that arrive compressed: gzip is read as it is (Segment's S3 exports are `.gz`),
/// other formats are refused at their first bytes with what to run instead.
@Suite("Compressed input")
struct CompressedInputTests {
    /// `count` native lines, each its own customer, with a seeded random token each, so that
    /// the compressed file does not shrink to nothing and spans more than one of the reader's
    /// 256 KiB chunks.
    static func lines(_ count: Int, from first: Int = 0) -> [String] {
        (first..<(first + count)).map { index in
            var state = UInt64(index) &* 0x9E37_79B9_7F4A_7C15 | 1
            let token = (0..<6).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return String(state >> 1, radix: 16)
            }.joined()
            return #"{"id":"ev-\#(index)","event":"Order Completed","timestamp":"2025-01-01T10:00:00Z","channel":"store","#
                + #""identifiers":{"email":"person\#(index)@example.com"},"traits":{"token":"\#(token)"},"#
                + #""properties":{"total":\#(index % 97).5}}"#
        }
    }

    /// What the shell `command` writes to standard output with `input` on its standard input,
    /// and its exit status.
    static func shell(_ command: String, input: [UInt8]) throws -> (output: [UInt8], status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        let writer = Thread { stdin.fileHandleForWriting.write(Data(input)); try? stdin.fileHandleForWriting.close() }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (Array(output), process.terminationStatus)
    }

    /// The bytes `gzip -c` writes for `text`: the real tool, as exports are made.
    static func gzip(_ text: [UInt8]) throws -> [UInt8] {
        let (compressed, status) = try shell("gzip -c", input: text)
        #expect(status == 0)
        return compressed
    }

    static func text(_ lines: [String]) -> [UInt8] { Array((lines.joined(separator: "\n") + "\n").utf8) }

    static func eventIDs(_ store: TemporaryStore) throws -> [String] {
        try store.store.read { db in try String.fetchAll(db, sql: "SELECT event_id FROM events ORDER BY seq") }
    }

    @Test func aGzipFileIngestsAsThePlainFileDoes() throws {
        let lines = Self.lines(8_000)
        let plain = try TemporaryStore()
        let plainReport = try plain.store.ingest(fileAt: try plain.file("export.ndjson", Self.text(lines)))
        let compressed = try TemporaryStore()
        let gzipped = try Self.gzip(Self.text(lines))
        #expect(gzipped.count > 1 << 18, "the file should span more than one chunk: \(gzipped.count) bytes")
        let report = try compressed.store.ingest(fileAt: try compressed.file("export.ndjson.gz", gzipped))
        #expect(report.accepted == 8_000 && report.rejected == 0)
        #expect(report.accepted == plainReport.accepted)
        #expect(try Self.eventIDs(compressed) == Self.eventIDs(plain))
        let raw = try compressed.store.read { db in try String.fetchAll(db, sql: "SELECT raw FROM events ORDER BY seq") }
        #expect(raw == lines)
    }

    @Test func membersConcatenatedByCatAreReadInTurnAndZeroPaddingIsAllowed() throws {
        let store = try TemporaryStore()
        let first = try Self.gzip(Self.text(Self.lines(10)))
        let second = try Self.gzip(Self.text(Self.lines(10, from: 10)))
        let report = try store.store.ingest(fileAt: try store.file("both.gz", first + second + [UInt8](repeating: 0, count: 512)))
        #expect(report.accepted == 20 && report.rejected == 0)
        #expect(try Self.eventIDs(store) == (0..<20).map { "ev-\($0)" })
    }

    @Test func gzipThroughAPipeIsReadToo() throws {
        let store = try TemporaryStore()
        let gzipped = try Self.gzip(Self.text(Self.lines(500)))
        let pipe = Pipe()
        let writer = Thread { pipe.fileHandleForWriting.write(Data(gzipped)); try? pipe.fileHandleForWriting.close() }
        writer.start()
        let report = try store.store.ingest(fileDescriptor: pipe.fileHandleForReading.fileDescriptor, inputName: "stdin")
        #expect(report.accepted == 500 && report.rejected == 0)
    }

    /// The lines `gzip -dc` gets out of `bytes` before it stops: those a cut-short file holds.
    static func wholeLines(decompressing bytes: [UInt8]) throws -> Int {
        let count = String(decoding: try shell("gzip -dc 2>/dev/null | wc -l", input: bytes).output, as: UTF8.self)
        return Int(count.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// A download cut short: every whole line before the cut is ingested, across several
    /// transactions and batches, the error says where and what was kept, and the whole file
    /// ingested again adds only the rest.
    @Test func aFileCutShortKeepsTheLinesBeforeTheCut() throws {
        let store = try TemporaryStore { configuration in
            configuration.transactionLines = 500
            configuration.batchLines = 64
        }
        let lines = Self.lines(3_000)
        let gzipped = try Self.gzip(Self.text(lines))
        let cut = Array(gzipped.prefix(gzipped.count * 2 / 3))
        let whole = try Self.wholeLines(decompressing: cut)
        #expect(whole > 1_000 && whole < 3_000)
        let error = try store.store.ingest(fileAtPathOrError: try store.file("cut.gz", cut))
        #expect(error?.code == .inputUnreadable)
        #expect(error?.message.contains("cut.gz") == true && error?.message.contains("cut short") == true, "\(String(describing: error))")
        #expect(error?.ingestedBeforeFailure?.accepted == whole)
        #expect(try Self.eventIDs(store) == Array(lines.prefix(whole)).indices.map { "ev-\($0)" })
        let rejects = try store.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM rejects")! }
        #expect(rejects == 0)

        let again = try store.store.ingest(fileAt: try store.file("cut.gz", gzipped))
        #expect(again.accepted == 3_000 - whole && again.duplicates == whole)
    }

    @Test func damagedDataAndTrailingGarbageAreErrors() throws {
        let store = try TemporaryStore()
        var gzipped = try Self.gzip(Self.text(Self.lines(200)))
        let trailing = try store.file("trailing.gz", gzipped + Array("not gzip\n".utf8))
        let trailingError = try store.store.ingest(fileAtPathOrError: trailing)
        #expect(trailingError?.message.contains("goes on after the end of its gzip data with bytes that are not gzip") == true)
        #expect(trailingError?.ingestedBeforeFailure?.accepted == 200)
        for index in stride(from: 40, to: gzipped.count - 8, by: 7) { gzipped[index] ^= 0x5A }
        let damaged = try store.store.ingest(fileAtPathOrError: try store.file("damaged.gz", gzipped))
        #expect(damaged?.code == .inputUnreadable && damaged?.message.contains("damaged.gz") == true, "\(String(describing: damaged))")
    }

    @Test(arguments: [
        ("zstd", [0x28, 0xB5, 0x2F, 0xFD, 0x04, 0x58, 0x01, 0x00, 0x00, 0x00] as [UInt8]),
        ("xz", [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0x00, 0x04, 0xE6, 0xD6]),
        ("bzip2", Array("BZh91AY&SY".utf8) + [0x00, 0x01]),
        ("zip", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00]),
        ("zip", [0x50, 0x4B, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),  // an empty archive
        ("bzip2", Array("BZh9".utf8) + [0x17, 0x72, 0x45, 0x38, 0x50, 0x90, 0x00, 0x00, 0x00, 0x00]),  // an empty stream
    ])
    func otherCompressedFormatsAreRefusedWithWhatToRun(format: String, signature: [UInt8]) throws {
        let store = try TemporaryStore()
        let path = try store.file("export.\(format)", signature + [UInt8](repeating: 0x41, count: 64))
        let error = try store.store.ingest(fileAtPathOrError: path)
        #expect(error?.code == .inputUnreadable)
        #expect(error?.message.contains("\(format)-compressed") == true, "\(String(describing: error))")
        let logged = try store.store.read { db in
            try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM rejects)")!
        }
        #expect(logged == 0)
    }

    @Test func textThatOnlyBeginsLikeACompressedFormatIsReadAsLines() throws {
        let store = try TemporaryStore()
        let path = try store.file("odd.ndjson", Array("BZh, not JSON\n".utf8) + Self.text(Self.lines(1)))
        let report = try store.store.ingest(fileAt: path)
        #expect(report.accepted == 1 && report.rejected == 1)
    }
}

/// ``InputBytes`` on its own, at the edges of its chunks: small chunks, a member ending at a
/// chunk's end, reads of one byte, and a writer that sends one byte at a time.
@Suite("Input bytes at chunk boundaries")
struct InputBytesBoundaryTests {
    /// Everything `InputBytes` hands out for `bytes` written into a pipe, or its error.
    static func read(_ bytes: [UInt8], chunk: Int, readSize: Int, oneByteWrites: Bool) -> Result<[UInt8], UnifyError> {
        var descriptors: [Int32] = [0, 0]
        pipe(&descriptors)
        let (readEnd, writeEnd) = (descriptors[0], descriptors[1])
        let writer = Thread {
            var written = 0
            while written < bytes.count {
                let count = oneByteWrites ? 1 : min(65_536, bytes.count - written)
                let done = bytes.withUnsafeBufferPointer { Foundation.write(writeEnd, $0.baseAddress! + written, count) }
                if done <= 0 { break }
                written += done
            }
            close(writeEnd)
        }
        writer.start()
        let input = InputBytes(descriptor: readEnd, inputName: "pipe", chunkSize: chunk)
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: readSize)
        defer { buffer.deallocate(); close(readEnd) }
        var out: [UInt8] = []
        do throws(UnifyError) {
            while true {
                let count = try input.read(into: buffer, capacity: readSize)
                if count == 0 { return .success(out) }
                out.append(contentsOf: UnsafeBufferPointer(start: buffer, count: count))
            }
        } catch {
            return .failure(error)
        }
    }

    @Test func everyLayoutOfMembersReadsBackOrFailsAsItShould() throws {
        let text = Array((0..<300).map { #"{"id":"line-\#($0)","x":"\#(String(repeating: "ab", count: $0 % 50))"}"# + "\n" }.joined().utf8)
        let member = try CompressedInputTests.gzip(text)
        let empty = try CompressedInputTests.gzip([])
        // (what, input, what it reads as; nil when it must fail)
        let cases: [(String, [UInt8], [UInt8]?)] = [
            ("one member", member, text),
            ("two members", member + member, text + text),
            ("an empty member", empty, []),
            ("an empty member, then one", empty + member, text),
            ("zero padding", member + [0, 0, 0], text),
            ("padding between members", member + [0, 0] + member, text + text),
            ("cut 3 bytes short", Array(member.prefix(member.count - 3)), nil),
            ("the header only", Array(member.prefix(10)), nil),
            ("the magic only", [0x1F, 0x8B], nil),
            ("one byte 0x1F, not gzip", [0x1F], [0x1F]),
            ("a stray 0x1F after a member", member + [0x1F], nil),
            ("nothing", [], []),
        ]
        for (what, input, expected) in cases {
            for chunk in [16, 17, member.count, member.count + 1, 1 << 18] {
                for readSize in [1, 7, 4096] {
                    for oneByteWrites in [false, true] where !(oneByteWrites && readSize == 1 && chunk > 20) {
                        let context = "\(what), chunks of \(chunk), reads of \(readSize), one-byte writes \(oneByteWrites)"
                        switch (Self.read(input, chunk: chunk, readSize: readSize, oneByteWrites: oneByteWrites), expected) {
                        case (.success(let got), let expected?): #expect(got == expected, "\(context)")
                        case (.failure, nil): break
                        case (.failure(let error), _?): Issue.record("\(context): \(error.message)")
                        case (.success(let got), nil): Issue.record("\(context): should fail, read \(got.count) bytes")
                        }
                    }
                }
            }
        }
    }
}

extension Store {
    /// The error an ingest of `path` fails with, or `nil` when it succeeds.
    fileprivate func ingest(fileAtPathOrError path: String) throws -> UnifyError? {
        do {
            _ = try ingest(fileAt: path)
            return nil
        } catch {
            return error
        }
    }
}
