import Foundation
import GRDB
import Testing
@testable import Unify

/// `event_identity` rows are inserted several at a time, on a real store file: whatever is
/// still held is read and changed through the storage as if it were in the table, and nothing
/// held is left out of a transaction that commits.
@Suite struct EventIdentityRowsTests {
    private static func event(_ seq: Int64) -> ResolvedEvent {
        let event = ResolvedEvent(seq: seq, time: 1_700_000_000_000 + seq, identifierKeys: [seq * 10, seq * 10 + 1],
                                  explicit: seq % 3 == 0)
        return seq % 2 == 0 ? event.placed(by: seq * 10) : event.owning(CustomerID(hash: UInt64(seq)))
    }

    private static func rowCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM event_identity") ?? -1
    }

    @Test func aRowStillHeldIsReadAndChangedWhereItIsHeldAndInsertedAsChanged() throws {
        let temporary = try TemporaryStore()
        try temporary.store.database.write { db in
            let storage = try SQLiteIdentityStorage(db)
            for seq in Int64(1)...5 { try storage.append(event: Self.event(seq)) }
            // Fewer than a statement's worth: none is in the table yet.
            #expect(try Self.rowCount(db) == 0)

            let placed = try #require(try storage.placement(ofEvent: 4))
            #expect(placed.keys == [40, 41])
            #expect(placed.ownCustomer == nil)
            #expect(try storage.placement(ofEvent: 5)?.ownCustomer == CustomerID(hash: 5))
            #expect(try storage.placement(ofEvent: 99) == nil)

            // Changes to held rows stay held, and the insert writes them as changed.
            try storage.setIdentifierKeys([7, 8, 9], ofEvent: 4)
            try storage.setPrincipal(nil, ownCustomerID: CustomerID(hash: 44), ofEvent: 4)
            try storage.setPrincipal(50, ownCustomerID: nil, ofEvent: 5)
            #expect(try storage.placement(ofEvent: 4)?.keys == [7, 8, 9])
            #expect(try storage.placement(ofEvent: 4)?.ownCustomer == CustomerID(hash: 44))
            #expect(try Self.rowCount(db) == 0)
            try storage.insertPendingEvents()
            #expect(try Self.rowCount(db) == 5)
            let rows = try Row.fetchAll(db, sql: "SELECT principal, own_customer FROM event_identity WHERE seq IN (4, 5) ORDER BY seq")
            #expect(rows.map { $0[0] as Int64? } == [nil, 50])
            #expect(rows.map { $0[1] as Int64? } == [CustomerID(hash: 44).storageValue, nil])
            #expect(try storage.placement(ofEvent: 4)?.keys == [7, 8, 9])
        }
    }

    @Test func aRowInTheTableIsChangedThereWhileLaterRowsStayHeld() throws {
        let temporary = try TemporaryStore()
        let count = Int64(SQLiteIdentityStorage.eventRowsAtOnce + 3)
        try temporary.store.database.write { db in
            let storage = try SQLiteIdentityStorage(db)
            for seq in 1...count { try storage.append(event: Self.event(seq)) }
            #expect(try Self.rowCount(db) == SQLiteIdentityStorage.eventRowsAtOnce)

            try storage.setIdentifierKeys([1, 2], ofEvent: 3)
            try storage.setPrincipal(nil, ownCustomerID: CustomerID(hash: 33), ofEvent: 2)
            #expect(try storage.placement(ofEvent: 3)?.keys == [1, 2])
            #expect(try storage.placement(ofEvent: 2)?.ownCustomer == CustomerID(hash: 33))
            #expect(try storage.placement(ofEvent: count)?.keys == Self.event(count).identifierKeys)
            #expect(try Self.rowCount(db) == SQLiteIdentityStorage.eventRowsAtOnce)

            // A recomputation reads the table, so it inserts what is held first.
            _ = try storage.contents(ofComponents: [], ownCustomers: [])
            #expect(try Self.rowCount(db) == Int(count))
        }
    }

    @Test func everyRowAppendedIsInTheTableOnceInsertedWhateverTheCount() throws {
        let temporary = try TemporaryStore()
        let count = Int64(SQLiteIdentityStorage.eventRowsAtOnce * 2 + 7)
        try temporary.store.database.write { db in
            let storage = try SQLiteIdentityStorage(db)
            for seq in 1...count { try storage.append(event: Self.event(seq)) }
            // Two full statements went in as the rows came; the rest waits.
            #expect(try Self.rowCount(db) == SQLiteIdentityStorage.eventRowsAtOnce * 2)
            try storage.insertPendingEvents()
        }
        try temporary.store.database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT seq, time, principal, identifier_keys, explicit, own_customer FROM event_identity ORDER BY seq
                """)
            #expect(rows.count == Int(count))
            for row in rows {
                let seq: Int64 = row[0]
                let expected = Self.event(seq)
                #expect(row[1] as Int64 == expected.time)
                #expect(row[2] as Int64? == expected.principal)
                let keys = [UInt8](row[3] as Data)
                #expect(keys.count == 16)
                #expect(keys.withUnsafeBytes { Array($0.bindMemory(to: Int64.self)) } == expected.identifierKeys)
                #expect((row[4] as Int64 != 0) == expected.explicit)
                #expect(row[5] as Int64? == expected.ownCustomerID?.storageValue)
            }
        }
    }

    @Test func rowsOfATransactionThatDidNotCommitAreForgotten() throws {
        let temporary = try TemporaryStore()
        try temporary.store.database.write { db in
            let storage = try SQLiteIdentityStorage(db)
            try storage.append(event: Self.event(1))
            storage.discardPendingEvents()
            try storage.append(event: Self.event(2))
            try storage.insertPendingEvents()
            #expect(try Int64.fetchAll(db, sql: "SELECT seq FROM event_identity") == [2])
        }
    }
}
