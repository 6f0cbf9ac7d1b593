import Foundation
import GRDB
import Testing
@testable import Unify

/// Identifiers and customers the graph believes new are inserted many rows to a statement.
/// The belief saves statements; it must never decide what the table holds, so a wrong one
/// (a row that is there already) still ends with every row as written last.
@Suite struct IdentityRowsInsertTests {
    private static func node(_ key: Int64, customer: UInt64?, status: IdentifierNode.Status = .linking)
        -> IdentifierNode
    {
        IdentifierNode(key: key, identifier: Identifier(trustedKind: .email, value: "p\(key)@x.fr"), status: status,
                       component: customer.map { Int64($0) }, customerID: customer.map { CustomerID(hash: $0) },
                       witnesses: WitnessSet())
    }

    private static func row(_ node: IdentifierNode) -> [String] {
        let customer: Int64? = node.customerID?.storageValue
        return [String(node.key), node.identifier.value, node.status.rawValue, String(describing: node.component),
                String(describing: customer)]
    }

    private static func rows(_ db: Database) throws -> [[String]] {
        try Row.fetchAll(db, sql: "SELECT key, value, status, component, customer FROM identifiers ORDER BY key").map {
            [String(describing: $0[0] as Int64), $0[1] as String, $0[2] as String,
             String(describing: $0[3] as Int64?), String(describing: $0[4] as Int64?)]
        }
    }

    @Test func identifiersBelievedNewButStoredAreWrittenAsGivenAndNoneIsLost() throws {
        let temporary = try TemporaryStore()
        try temporary.store.database.write { db in
            let storage = try SQLiteIdentityStorage(db)
            // Rows 10, 20, 30 … are stored with one customer; the insert then believes all new.
            try storage.save(identifiers: stride(from: Int64(10), through: 300, by: 10).map { Self.node($0, customer: 1) })
            let believedNew = (Int64(1)...100).map { Self.node($0, customer: 2, status: $0 % 7 == 0 ? .hub : .linking) }
            try storage.insert(identifiers: believedNew)

            // The row last written for each key: the believed-new one where both were written.
            let expected = Dictionary(
                (stride(from: Int64(10), through: 300, by: 10).map { Self.node($0, customer: 1) } + believedNew)
                    .map { ($0.key, $0) }, uniquingKeysWith: { $1 })
                .values.sorted { $0.key < $1.key }
            let wanted: [[String]] = expected.map(Self.row)
            let written = try Self.rows(db)
            #expect(written.count == 120)
            #expect(written == wanted)
        }
    }

    @Test func identifiersTrulyNewAreAllInsertedInFullStatementsAndLeftovers() throws {
        let temporary = try TemporaryStore()
        try temporary.store.database.write { db in
            let storage = try SQLiteIdentityStorage(db)
            let count = Int64(ManyRowInsert.rowsAtOnce * 2 + 5)
            try storage.insert(identifiers: (1...count).map { Self.node($0 * 3, customer: UInt64($0)) })
            let written = try Self.rows(db)
            #expect(written.count == Int(count))
            let keys: [String] = (1...count).map { String($0 * 3) }
            #expect(written.map { $0[0] } == keys)
            let customers: [String] = (1...count).map { Self.row(Self.node($0 * 3, customer: UInt64($0)))[4] }
            #expect(written.map { $0[4] } == customers)
        }
    }
}
