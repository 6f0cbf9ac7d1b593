import Foundation
import GRDB
@testable import Unify

/// A fresh store in its own temporary folder, removed when the value goes away.
final class TemporaryStore {
    let folder: URL
    let store: Store
    var path: String { folder.appendingPathComponent("unify.db").path }

    init(
        clock: Clock = .fixed(Timestamp(iso8601: "2026-01-01T00:00:00Z")!),
        configure: (inout Store.Configuration) -> Void = { _ in }
    ) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("unify-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = Store.Configuration(clock: clock)
        configure(&configuration)
        store = try Store(path: folder.appendingPathComponent("unify.db").path, configuration: configuration)
    }

    /// Writes `contents` to a file in the store's folder and returns its path.
    func file(_ name: String, _ contents: [UInt8]) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(contents).write(to: url)
        return url.path
    }

    func file(_ name: String, lines: [String]) throws -> String {
        try file(name, Array(lines.joined(separator: "\n").utf8) + [0x0A])
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }
}

/// The repository's root, found from this file's place in it.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Decodes one line with default limits, as the ingest pipeline does.
func decode(_ line: String, ingestTime: Timestamp = Timestamp(iso8601: "2026-01-01T00:00:00Z")!) throws(LineFault)
    -> Event
{
    var decoder = EventDecoder(limits: .init(maximumLineBytes: 1 << 20, maximumDepth: 64))
    var bytes = Array(line.utf8)
    return try bytes.withUnsafeMutableBufferPointer { buffer throws(LineFault) in
        try decoder.decode(UnsafeBufferPointer(buffer), ingestTime: ingestTime)
    }
}

/// The fault a line is rejected with, or `nil` when it is accepted.
func fault(_ line: String) -> LineFault? {
    do {
        _ = try decode(line)
        return nil
    } catch {
        return error
    }
}

/// The fault raw bytes are rejected with, or `nil` when they are accepted.
func fault(bytes: [UInt8], maximumLineBytes: Int = 1 << 20) -> LineFault? {
    var decoder = EventDecoder(limits: .init(maximumLineBytes: maximumLineBytes, maximumDepth: 64))
    var bytes = bytes
    do {
        _ = try bytes.withUnsafeMutableBufferPointer { buffer throws(LineFault) in
            try decoder.decode(UnsafeBufferPointer(buffer), ingestTime: Timestamp(millisecondsSince1970: 0))
        }
        return nil
    } catch {
        return error
    }
}

extension TemporaryStore {
    /// Rows of a query on the store's file, each value as text (NULL as `NULL`, blobs in hex).
    func rows(_ sql: String) throws -> [[String]] {
        try store.database.read { db in
            try Row.fetchAll(db, sql: sql).map { row in
                row.databaseValues.map { value in
                    switch value.storage {
                    case .null: "NULL"
                    case .int64(let integer): String(integer)
                    case .double(let double): String(double)
                    case .string(let text): text
                    case .blob(let data): data.map { String(format: "%02x", $0) }.joined()
                    }
                }
            }
        }
    }

    func count(_ table: String) throws -> Int {
        try store.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }
}
