import Foundation
import GRDB
import Testing
@testable import Unify

/// A store opened with ``Store/Configuration/readOnly``: what a query answers, what it leaves
/// in the file, and what it refuses. Tests run as any user (often root, whom file modes do
/// not stop), so a folder SQLite cannot share a store from is made by putting a directory
/// where its `-shm` file would go.
@Suite("A store opened read-only")
struct ReadOnlyStoreTests {
    /// The retail fixtures ingested into a new store, which is then closed, as `unify ingest`
    /// leaves it: the WAL checkpointed into the file and removed.
    private final class RetailStore {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unify-tests-\(UUID().uuidString)")
        var path: String { folder.appendingPathComponent("unify.db").path }
        let statistics: StoreStatistics
        let ines: Profile?

        init() throws {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let store = try Store(path: folder.appendingPathComponent("unify.db").path)
            let fixtures = repositoryRoot.appendingPathComponent("Fixtures/retail")
            for name in ["web", "app", "email", "sms", "pos", "callcenter", "postal"] {
                _ = try store.ingest(fileAt: fixtures.appendingPathComponent("\(name).ndjson").path)
            }
            statistics = try store.statistics()
            ines = try store.profile(of: "ines.dupuy84@orange.fr")
        }

        /// A copy of the closed store's file, named `name`, in the same folder.
        func copy(_ name: String) throws -> String {
            let copy = folder.appendingPathComponent(name).path
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            return copy
        }

        deinit { try? FileManager.default.removeItem(at: folder) }
    }

    private static func readOnly(_ path: String) throws(UnifyError) -> Store {
        var configuration = Store.Configuration()
        configuration.readOnly = true
        return try Store(path: path, configuration: configuration)
    }

    private static func bytes(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test func itAnswersAsTheStoreOpenedForWritingAndLeavesTheFileAsItWas() throws {
        let retail = try RetailStore()
        #expect(!FileManager.default.fileExists(atPath: retail.path + "-wal"), "the store was not closed")
        let before = try Self.bytes(retail.path)
        do {
            let store = try Self.readOnly(retail.path)
            #expect(try store.statistics() == retail.statistics)
            #expect(try store.profile(of: "ines.dupuy84@orange.fr") == retail.ines)
            #expect(retail.ines != nil)
        }
        // Opening it for writing commits an empty schema change when there is no WAL (GRDB's
        // issue 102), which the close then checkpoints into the file.
        #expect(try Self.bytes(retail.path) == before, "opening read-only wrote to the store's file")
    }

    @Test func aWriteIsRefusedAndWritesNothing() throws {
        let retail = try RetailStore()
        let before = try Self.bytes(retail.path)
        let store = try Self.readOnly(retail.path)
        let line = #"{"type":"identify","messageId":"m-read-only","userId":"u-1","timestamp":"2026-01-01T00:00:00Z"}"#
        for write in [{ _ = try store.ingest(lines: [line]) }, { try store.rebuild() }, { _ = try store.resolvePending() }] as [() throws -> Void] {
            let error = try #require(throws: UnifyError.self) { try write() }
            #expect(error.code == .storeReadOnly)
            #expect(error.message.contains("read-only"))
        }
        #expect(try Self.bytes(retail.path) == before)
    }

    @Test func aStoreThatCannotBeSharedFromItsFolderIsReadAsImmutable() throws {
        let retail = try RetailStore()
        let copy = try retail.copy("copy.db")
        // SQLite cannot make the `-shm` file where a directory stands.
        try FileManager.default.createDirectory(atPath: copy + "-shm", withIntermediateDirectories: false)
        #expect(throws: UnifyError.self) { try Store(path: copy) }
        let store = try Self.readOnly(copy)
        #expect(try store.statistics() == retail.statistics)
        #expect(try store.profile(of: "ines.dupuy84@orange.fr") == retail.ines)
    }

    @Test func aStoreWithTablesOlderThanThisVersionSaysWhatToDo() throws {
        let retail = try RetailStore()
        let copy = try retail.copy("older.db")
        let queue = try DatabaseQueue(path: copy)
        try queue.write { db in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE rowid = (SELECT max(rowid) FROM grdb_migrations)")
        }
        let error = try #require(throws: UnifyError.self) { try Self.readOnly(copy) }
        #expect(error.code == .storeOutdated)
        #expect(error.message.contains("unify resolve --db \(copy)"))
    }

    @Test func aStoreThatIsNotThereIsNotCreated() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unify-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("missing.db").path
        let error = try #require(throws: UnifyError.self) { try Self.readOnly(path) }
        #expect(error.code == .storeUnavailable)
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
