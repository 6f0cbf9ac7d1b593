import Foundation
internal import GRDB
internal import GRDBSQLite

/// A prepared statement driven through SQLite's C API, for the few hot loops where
/// building GRDB argument arrays per row would cost more than the insert itself.
///
/// It owns its statement: prepared on the connection when made, finalised when the last
/// reference goes, so it must not outlive the write or read it was made in (the owners
/// here live inside one). It is not borrowed from GRDB's statement cache, because GRDB
/// empties that cache, finalising what is in it, whenever the schema changes or memory is
/// released, and a borrowed handle would then point at freed memory. Owning it also keeps
/// two statements of the same SQL apart: the cache would hand both one handle, and stepping
/// one would move the other.
final class SQLiteStatement {
    let handle: OpaquePointer
    let connection: OpaquePointer

    /// `scratchCapacity`: how many bytes of bound text and blobs the statement copies into
    /// space of its own rather than have SQLite copy them; a statement of many rows wants
    /// room for all of them.
    init(_ db: Database, sql: String, scratchCapacity: Int = 4096) throws(UnifyError) {
        self.scratchCapacity = scratchCapacity
        guard let connection = db.sqliteConnection else {
            throw UnifyError(code: .storageFailure, message: "cannot prepare a statement: the connection is closed")
        }
        var statement: OpaquePointer?
        // Persistent: kept for a whole run, so SQLite takes its memory from the heap rather
        // than from the lookaside slots meant for short-lived statements.
        let code = sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            let message = String(cString: sqlite3_errmsg(connection))
            sqlite3_finalize(statement)
            throw UnifyError(code: .storageFailure, message: "cannot prepare `\(sql)`: \(message)")
        }
        handle = statement
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
        scratch?.deallocate()
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Where bound text and blobs are copied until ``reset()``: SQLite's own copy
    /// (`SQLITE_TRANSIENT`) costs a `malloc` and a `free` per value, and the writer binds
    /// millions of small ones. Made on the first copy: many statements bind none.
    private var scratch: UnsafeMutableRawPointer?
    private var scratchUsed = 0
    private let scratchCapacity: Int

    /// Binds `count` bytes at `bytes` as text or a blob, copied into the scratch space when
    /// they fit and by SQLite otherwise.
    private func bindCopy(_ index: Int32, _ bytes: UnsafeRawPointer?, count: Int, asText: Bool) {
        var source = SQLiteStatement.nonNull(bytes)
        var destructor: sqlite3_destructor_type? = SQLiteStatement.transient
        if count <= scratchCapacity - scratchUsed {
            let space = scratch ?? UnsafeMutableRawPointer.allocate(byteCount: scratchCapacity, alignment: 8)
            scratch = space
            let copy = space + scratchUsed
            if count > 0 { copy.copyMemory(from: source, byteCount: count) }
            scratchUsed += count
            source = UnsafeRawPointer(copy)
            destructor = nil
        }
        if asText {
            sqlite3_bind_text(handle, index, source.assumingMemoryBound(to: CChar.self), Int32(count), destructor)
        } else {
            sqlite3_bind_blob(handle, index, source, Int32(count), destructor)
        }
    }

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { utf8 in bindCopy(index, utf8.baseAddress, count: utf8.count, asText: true) }
    }

    /// Binds bytes that stay valid until ``step()`` and ``reset()`` are done, without copying.
    func bind(_ index: Int32, bytes: UnsafeBufferPointer<UInt8>, asText: Bool) {
        let base = SQLiteStatement.nonNull(UnsafeRawPointer(bytes.baseAddress))
        if asText {
            sqlite3_bind_text(handle, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
        } else {
            sqlite3_bind_blob(handle, index, base, Int32(bytes.count), nil)
        }
    }

    /// Binds UTF-8 bytes as text, copied: for text written as bytes, which a `String` would
    /// check again.
    func bind(_ index: Int32, utf8 text: [UInt8]) {
        text.withUnsafeBufferPointer { utf8 in bindCopy(index, utf8.baseAddress, count: utf8.count, asText: true) }
    }

    /// `start`, or any non-null address when bytes are empty and have none: a zero-length
    /// text or blob bound with a nil pointer would be NULL.
    private static func nonNull(_ start: UnsafeRawPointer?) -> UnsafeRawPointer {
        start ?? UnsafeRawPointer(bitPattern: 1)!
    }

    /// Binds bytes as a blob, copied.
    func bind(_ index: Int32, blob: [UInt8]) {
        blob.withUnsafeBytes { raw in bindCopy(index, raw.baseAddress, count: raw.count, asText: false) }
    }

    /// Binds integers as a blob of 8-byte little-endian values, copied.
    func bind(_ index: Int32, integers: [Int64]) {
        integers.withUnsafeBytes { raw in bindCopy(index, raw.baseAddress, count: raw.count, asText: false) }
    }

    /// Blob column `column` of the current row read as 8-byte little-endian integers.
    func integers(_ column: Int32) -> [Int64] {
        let count = Int(sqlite3_column_bytes(handle, column)) / 8
        guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
        return (0..<count).map { Int64(littleEndian: pointer.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) }
    }

    /// Runs one step; `true` when a row is available.
    func step() throws(UnifyError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let message = String(cString: sqlite3_errmsg(connection))
            sqlite3_reset(handle)
            throw UnifyError(code: .storageFailure, message: "SQLite failed: \(message)")
        }
    }

    /// The rowid of the last row inserted on this statement's connection.
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(connection) }

    /// Rows changed by the last step of this statement's connection.
    var changes: Int { Int(sqlite3_changes(connection)) }

    /// Makes the statement ready to run again with the same bindings.
    func resetKeepingBindings() {
        sqlite3_reset(handle)
    }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        // Nothing bound points into the scratch space any more.
        scratchUsed = 0
    }

    func bind(_ index: Int32, double value: Double) {
        sqlite3_bind_double(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Integer column `column` of the current row; `nil` when NULL.
    func int64(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    /// Blob column `column` of the current row, copied.
    func bytes(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// `body` over blob column `column` of the current row, in place, valid only during the
    /// call; `nil` when the column is NULL or empty.
    func withBlob<Result>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> Result?) -> Result? {
        // The pointer first, then its length: SQLite's documented order.
        guard let pointer = sqlite3_column_blob(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0 else { return nil }
        return body(UnsafeBufferPointer(start: pointer.assumingMemoryBound(to: UInt8.self), count: count))
    }

    /// Text column `column` of the current row; `nil` when NULL.
    func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// Runs the statement to completion with the bindings made, then resets it.
    func run() throws(UnifyError) {
        defer { reset() }
        while try step() {}
    }

    /// Whether text column `column` of the current row equals `text`, compared as bytes.
    func column(_ column: Int32, equals text: String) -> Bool {
        guard let pointer = sqlite3_column_text(handle, column) else { return false }
        let count = Int(sqlite3_column_bytes(handle, column))
        var text = text
        return text.withUTF8 { utf8 in
            utf8.count == count && (count == 0 || memcmp(pointer, utf8.baseAddress!, count) == 0)
        }
    }

    /// Whether blob column `column` of the current row equals `bytes`.
    func column(_ column: Int32, equals bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count == bytes.count else { return false }
        guard count > 0 else { return true }
        guard let pointer = sqlite3_column_blob(handle, column) else { return false }
        return memcmp(pointer, bytes.baseAddress!, count) == 0
    }
}

/// An `INSERT` of many rows at a time: one statement of ``rowsAtOnce`` rows of values and one
/// of a single row for what is left over. Running a statement costs SQLite about as much
/// again as a small row it inserts, so rows written by the thousand go in many at a time.
///
/// The statements are `INSERT OR FAIL`: a failing row fails the caller's transaction anyway,
/// and under the default (`ABORT`) SQLite would journal every page a statement of many rows
/// changes, to undo that statement alone. For the same reason the conflict clause must not
/// be `DO UPDATE`, whose update aborts on its own errors: the journal would cost far more
/// than the statements saved (upserting identifiers and customers so, the first 100,000 lines
/// of the benchmark file made 126,760 writes to the journal, against 35,737 writes in all
/// without it).
final class ManyRowInsert {
    static let rowsAtOnce = 32
    /// The statement of one row.
    let one: SQLiteStatement
    /// The statement of ``rowsAtOnce`` rows, their values in order.
    let many: SQLiteStatement
    /// Values per row: row `r`'s values are parameters `r × columns + 1` onwards.
    let columns: Int

    /// `INSERT OR FAIL INTO table (columns) VALUES (…), (…) conflictClause`; `bytesPerRow`:
    /// about how many bytes of text and blobs a row binds, which the statement copies.
    init(_ db: Database, into table: String, columns: [String], conflictClause: String = "", bytesPerRow: Int = 512)
        throws(UnifyError)
    {
        self.columns = columns.count
        let head = "INSERT OR FAIL INTO \(table) (\(columns.joined(separator: ", "))) VALUES"
        let values = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        one = try SQLiteStatement(db, sql: "\(head) \(values) \(conflictClause)")
        let rows = Array(repeating: values, count: Self.rowsAtOnce).joined(separator: ", ")
        many = try SQLiteStatement(db, sql: "\(head) \(rows) \(conflictClause)",
                                   scratchCapacity: bytesPerRow * Self.rowsAtOnce)
    }

    /// Inserts `rows` in order; `bind` binds one row's values to a statement, its `n`th value
    /// to parameter `offset + n`.
    func run<Rows: Collection>(
        _ rows: Rows, bind: (Rows.Element, SQLiteStatement, _ offset: Int32) throws -> Void
    ) throws {
        for element in try runFullStatements(rows, bind: bind, afterEach: { _ in }) {
            try bind(element, one, 0)
            try one.run()
        }
    }

    /// Inserts `rows` the caller believes the table does not hold yet, in order; the
    /// conflict clause must be `DO NOTHING`. A statement that inserts fewer rows than it was
    /// given hands all of them to `upsert`, which writes each row whether or not the table
    /// holds it (those just inserted are written again, the same), and so do the rows left
    /// over at the end. A wrong belief costs time, never a row.
    func insert<Rows: Collection>(
        _ rows: Rows, bind: (Rows.Element, SQLiteStatement, _ offset: Int32) throws -> Void,
        orElse upsert: (Rows.SubSequence) throws -> Void
    ) throws {
        let leftOver = try runFullStatements(rows, bind: bind) { statementRows in
            if many.changes < Self.rowsAtOnce { try upsert(statementRows) }
        }
        if !leftOver.isEmpty { try upsert(leftOver) }
    }

    /// Runs the statement of many rows over each ``rowsAtOnce`` of `rows`, then `afterEach`
    /// with its rows; returns the rows left over, fewer than a statement takes.
    private func runFullStatements<Rows: Collection>(
        _ rows: Rows, bind: (Rows.Element, SQLiteStatement, _ offset: Int32) throws -> Void,
        afterEach: (Rows.SubSequence) throws -> Void
    ) throws -> Rows.SubSequence {
        var start = rows.startIndex
        while rows.distance(from: start, to: rows.endIndex) >= Self.rowsAtOnce {
            let end = rows.index(start, offsetBy: Self.rowsAtOnce)
            for (row, element) in rows[start..<end].enumerated() { try bind(element, many, Int32(row * columns)) }
            try many.run()
            try afterEach(rows[start..<end])
            start = end
        }
        return rows[start...]
    }
}
