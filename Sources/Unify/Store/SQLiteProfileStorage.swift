internal import GRDB

/// Profiles in SQLite: the `profile` column of `customers`, and the log's events read back
/// as facts to fold a recomputed customer again.
///
/// Statements are prepared once: a batch reads the profile of every customer it touches,
/// and a recomputation every event of its customers.
struct SQLiteProfileStorage: ProfileStorage {
    let rules: ProjectionRules
    let limits: EventDecoder.Limits
    private let profileOf: SQLiteStatement
    private let eventOf: SQLiteStatement

    init(db: Database, rules: ProjectionRules, limits: EventDecoder.Limits) throws(UnifyError) {
        self.rules = rules
        self.limits = limits
        profileOf = try SQLiteStatement(db, sql: "SELECT profile FROM customers WHERE customer = ?1")
        eventOf = try SQLiteStatement(db, sql: "SELECT time, raw FROM events WHERE seq = ?1")
    }

    func profile(_ customer: CustomerID) throws -> ProfileState? {
        profileOf.bind(1, customer.storageValue)
        defer { profileOf.reset() }
        guard try profileOf.step() else { return nil }
        return profileOf.withBlob(0) { ProfileState(json: $0, rules: rules) }
    }

    func facts(ofEvents seqs: [Int64]) throws -> [ProfileFacts?] {
        // The lines are read here, one after another, and decoded on every core: a
        // recomputation reads back thousands of events, and decoding is most of its cost.
        var bytes: [UInt8] = []
        var lines: [(seq: Int64, time: Int64, range: Range<Int>)?] = []
        lines.reserveCapacity(seqs.count)
        for seq in seqs {
            eventOf.bind(1, seq)
            defer { eventOf.reset() }
            guard try eventOf.step(), let time = eventOf.int64(0) else {
                lines.append(nil)
                continue
            }
            let start = bytes.count
            _ = eventOf.withBlob(1) { raw in bytes.append(contentsOf: raw) }
            lines.append((seq, time, start..<bytes.count))
        }
        return try Self.decode(lines, in: bytes, rules: rules, limits: limits)
    }

    /// The facts of logged lines (`nil` for a line that is not there), decoded in parts on
    /// every core when there are enough of them.
    private static func decode(
        _ lines: [(seq: Int64, time: Int64, range: Range<Int>)?], in bytes: [UInt8], rules: ProjectionRules,
        limits: EventDecoder.Limits
    ) throws -> [ProfileFacts?] {
        var facts = [ProfileFacts?](repeating: nil, count: lines.count)
        let parts = Cores.parts(of: lines.count, minimumShare: 64)
        var faults = [LineFault?](repeating: nil, count: parts)
        facts.withUnsafeMutableBufferPointer { factsBuffer in
            faults.withUnsafeMutableBufferPointer { faultsBuffer in
                // Each part writes its own range of facts and its own fault, in buffers that
                // outlive the call.
                nonisolated(unsafe) let output = factsBuffer
                nonisolated(unsafe) let failures = faultsBuffer
                Cores.forEachPart(parts, of: lines.count) { part, range in
                    var decoder = EventDecoder(limits: limits)
                    bytes.withUnsafeBufferPointer { buffer in
                        for index in range {
                            guard let line = lines[index] else { continue }
                            do throws(LineFault) {
                                // The log only holds lines that decoded; the time it recorded stands in for a missing one.
                                let event = try decoder.decode(UnsafeBufferPointer(rebasing: buffer[line.range]),
                                                               ingestTime: Timestamp(millisecondsSince1970: line.time))
                                var eventFacts = rules.facts(of: event)
                                eventFacts.seq = line.seq
                                output[index] = eventFacts
                            } catch {
                                failures[part] = error
                                return
                            }
                        }
                    }
                }
            }
        }
        if let fault = faults.lazy.compactMap({ $0 }).first { throw fault }
        return facts
    }
}
