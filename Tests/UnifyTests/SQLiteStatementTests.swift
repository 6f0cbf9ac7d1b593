import Foundation
import GRDB
import Testing
@testable import Unify

/// The prepared statements the hot loops drive through SQLite's C API, on a real store file.
@Suite struct SQLiteStatementTests {
    /// GRDB finalises every statement in its caches when a statement it runs changes the
    /// schema. A statement borrowed from that cache would then point at freed memory; one
    /// that owns its handle keeps working, and SQLite re-prepares it for the new schema.
    @Test func aStatementKeepsWorkingAfterTheSchemaChangesOnItsConnection() throws {
        let temporary = try TemporaryStore()
        try temporary.store.database.write { db in
            try db.execute(sql: "CREATE TABLE numbers (n INTEGER NOT NULL); INSERT INTO numbers VALUES (1), (2), (3)")
            let query = try SQLiteStatement(db, sql: "SELECT n FROM numbers WHERE n >= ?1 ORDER BY n")
            query.bind(1, Int64(2))
            #expect(try query.step())
            #expect(query.int64(0) == 2)
            query.reset()

            try db.execute(sql: "CREATE TABLE scratch (x INTEGER); DROP TABLE scratch; ALTER TABLE numbers ADD COLUMN m INTEGER")
            // The statement GRDB caches for the same SQL is a new one now.
            _ = try db.cachedStatement(sql: "SELECT n FROM numbers WHERE n >= ?1 ORDER BY n")

            query.bind(1, Int64(3))
            #expect(try query.step())
            #expect(query.int64(0) == 3)
            #expect(try !query.step())
            query.reset()
        }
    }

    /// Two statements of the same SQL are two statements: stepping or binding one leaves the
    /// other where it was. GRDB's cache would hand both one handle.
    @Test func twoStatementsOfTheSameSQLStepApart() throws {
        let temporary = try TemporaryStore()
        try temporary.store.database.write { db in
            try db.execute(sql: "CREATE TABLE numbers (n INTEGER NOT NULL); INSERT INTO numbers VALUES (1), (2), (3), (4)")
            let sql = "SELECT n FROM numbers WHERE n >= ?1 ORDER BY n"
            let outer = try SQLiteStatement(db, sql: sql)
            let inner = try SQLiteStatement(db, sql: sql)
            var pairs: [[Int64]] = []
            outer.bind(1, Int64(1))
            while try outer.step() {
                let n = try #require(outer.int64(0))
                inner.bind(1, n + 2)
                var found: [Int64] = []
                while try inner.step() { found.append(try #require(inner.int64(0))) }
                inner.reset()
                pairs.append([n] + found)
            }
            outer.reset()
            #expect(pairs == [[1, 3, 4], [2, 4], [3], [4]])
        }
    }

    /// A statement that cannot be prepared says which and why.
    /// Values are bound from the statement's scratch space while they fit, and copied by
    /// SQLite beyond; empty ones stay empty, not NULL; they last through steps that keep the
    /// bindings, and a reset makes room again.
    @Test func boundValuesLastUntilResetWhetherOrNotTheyFitTheScratchSpace() throws {
        let temporary = try TemporaryStore()
        try temporary.store.database.write { db in
            let query = try SQLiteStatement(db, sql: """
                SELECT ?1 IS NULL, length(?1), ?2 IS NULL, length(?2), ?3, ?4, ?5, length(?6), ?7 IS NULL, typeof(?7)
                """)
            let large = String(repeating: "a", count: 3000)
            let beyond = String(repeating: "b", count: 3000)
            query.bind(1, "")
            query.bind(2, utf8: [])
            query.bind(3, large)
            query.bind(4, beyond)
            query.bind(5, "tail")
            query.bind(6, integers: Array(repeating: 7, count: 200))
            query.bind(7, integers: [])
            for _ in 0..<3 {
                #expect(try query.step())
                #expect(query.int64(0) == 0 && query.int64(1) == 0)
                #expect(query.int64(2) == 0 && query.int64(3) == 0)
                #expect(query.text(4) == large)
                #expect(query.text(5) == beyond)
                #expect(query.text(6) == "tail")
                #expect(query.int64(7) == 1600)
                #expect(query.int64(8) == 0 && query.text(9) == "blob")
                query.resetKeepingBindings()
            }
            query.reset()
            query.bind(3, "x")
            query.bind(4, "y")
            query.bind(5, "z")
            #expect(try query.step())
            #expect(query.text(4) == "x" && query.text(5) == "y" && query.text(6) == "z")
            #expect(query.int64(0) == 1)
            query.reset()
        }
    }

    @Test func aStatementThatCannotBePreparedSaysWhy() throws {
        let temporary = try TemporaryStore()
        try temporary.store.database.write { db in
            #expect {
                _ = try SQLiteStatement(db, sql: "SELECT n FROM no_such_table")
            } throws: { error in
                (error as? UnifyError)?.message == "cannot prepare `SELECT n FROM no_such_table`: no such table: no_such_table"
            }
        }
    }
}
