import Foundation

/// One query as a person types it, with the customer the store says it names.
struct Query: Sendable {
    var kind: Kind
    var text: String
    var expectedCustomer: String

    enum Kind: String, CaseIterable, Sendable {
        case customerID = "customer id"
        case email = "email (messy)"
        case phone = "phone (national)"
        case eventID = "event id"
    }
}

/// The values a sample is drawn from, read from the store with the sqlite3 shell (read-only):
/// the library keeps SQL to itself.
struct StoreSample {
    let store: String

    /// Candidates of one kind, in a fixed order, so a seed gives the same sample each time.
    func candidates(_ kind: Query.Kind) throws -> [(value: String, customer: String)] {
        let sql: String
        switch kind {
        case .customerID:
            sql = "SELECT printf('cus_%016x', customer), printf('cus_%016x', customer) FROM customers ORDER BY customer"
        case .email:
            sql = """
                SELECT value, printf('cus_%016x', customer) FROM identifiers
                WHERE kind = 'email' AND status = 'linking' ORDER BY key
                """
        case .phone:
            sql = """
                SELECT value, printf('cus_%016x', customer) FROM identifiers
                WHERE kind = 'phone' AND status = 'linking' AND (value LIKE '+336%' OR value LIKE '+337%')
                  AND length(value) = 12
                ORDER BY key
                """
        case .eventID:
            sql = "SELECT event_id, customer_id FROM event_customers ORDER BY seq"
        }
        return try rows(sql).map { ($0[0], $0[1]) }
    }

    /// Rows of tab-separated columns printed by `sqlite3 -readonly`.
    private func rows(_ sql: String) throws -> [[String]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", "-readonly", "-batch", "-noheader", "-separator", "\t", store, sql]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SampleError(message: "sqlite3 failed (status \(process.terminationStatus)) on: \(sql)")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// `count` queries of `kind`, drawn without replacement (with it when there are too few),
    /// re-typed the way a person would.
    func draw(_ kind: Query.Kind, count: Int, from pool: [(value: String, customer: String)],
              using generator: inout SeededGenerator) -> [Query]
    {
        guard !pool.isEmpty else { return [] }
        var indices = Array(pool.indices)
        var picked: [Int] = []
        for i in 0..<count {
            if i < indices.count {
                indices.swapAt(i, Int.random(in: i..<indices.count, using: &generator))
                picked.append(indices[i])
            } else {
                picked.append(Int.random(in: pool.indices, using: &generator))
            }
        }
        return picked.map { index in
            let (value, customer) = pool[index]
            return Query(kind: kind, text: StoreSample.typed(value, kind, using: &generator), expectedCustomer: customer)
        }
    }

    /// What a person types for a stored value: an email upper-cased (all of it, or its first
    /// letters) and padded with spaces; a French mobile `+33612345678` as `06 12 34 56 78`.
    static func typed(_ value: String, _ kind: Query.Kind, using generator: inout SeededGenerator) -> String {
        switch kind {
        case .email:
            let shouted = Bool.random(using: &generator)
                ? value.uppercased()
                : value.split(separator: ".", omittingEmptySubsequences: false)
                    .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: ".")
            let before = String(repeating: " ", count: Int.random(in: 1...2, using: &generator))
            let after = String(repeating: " ", count: Int.random(in: 0...3, using: &generator))
            return before + shouted + after
        case .phone:
            let digits = Array("0" + value.dropFirst(3))
            return stride(from: 0, to: digits.count, by: 2).map { String(digits[$0..<min($0 + 2, digits.count)]) }
                .joined(separator: " ")
        case .customerID, .eventID:
            return value
        }
    }
}

struct SampleError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
