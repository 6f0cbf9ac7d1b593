import Foundation
import GRDB
import Testing
@testable import Unify

/// An ingest starts with a small page cache, so that a small batch does not fault in memory
/// for a cache it would fill once and never reuse, and grows it once past its first lines.
@Suite struct IngestPageCacheTests {
    private static func cacheKiB(_ db: Database) throws -> Int {
        // A negative cache_size is a size in KiB; SQLite reports it as it was set.
        -(try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? 0)
    }

    @Test func theCacheGrowsOnceTheFirstLinesAreInAndStaysFullWhenRestored() throws {
        let temporary = try TemporaryStore()
        try temporary.store.database.writeWithoutTransaction { db in
            #expect(try Self.cacheKiB(db) == Store.pageCacheKiB)
            var cache = try Store.IngestPageCache(db)
            #expect(try Self.cacheKiB(db) == Store.startingPageCacheKiB)
            try cache.grow(afterLines: Store.linesBeforeFullPageCache - 1)
            #expect(try Self.cacheKiB(db) == Store.startingPageCacheKiB)
            try cache.grow(afterLines: 1)
            #expect(try Self.cacheKiB(db) == Store.pageCacheKiB)
            try cache.grow(afterLines: 10_000)
            cache.restore()
            #expect(try Self.cacheKiB(db) == Store.pageCacheKiB)
        }
    }

    @Test func aSmallIngestLeavesTheWriterWithItsFullCache() throws {
        let temporary = try TemporaryStore()
        let path = try temporary.file("web.ndjson", lines: [
            #"{"type":"track","messageId":"m1","userId":"u1","event":"Product Viewed","timestamp":"2025-01-01T10:00:00Z"}"#,
        ])
        let report = try temporary.store.ingest(fileAt: path)
        #expect(report.accepted == 1)
        let kib = try temporary.store.database.writeWithoutTransaction { db in try Self.cacheKiB(db) }
        #expect(kib == Store.pageCacheKiB)
    }
}
