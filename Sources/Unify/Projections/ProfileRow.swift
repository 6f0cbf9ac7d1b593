import Foundation

/// A profile as the `customers` table stores it: the document, and the figures an analyst
/// filters on as columns of their own.
struct ProfileRow: Sendable, Hashable {
    /// The profile document (UTF-8).
    var json: [UInt8]
    var firstSeen: Int64?
    var lastSeen: Int64?
    var events: Int
    var orders: Int
    /// Revenue in the configured currency.
    var revenue: Double
    var stage: String?
    var stageSince: Int64?
    var dormantSince: Int64?
}

extension ProfileState {
    /// The rows these profiles are stored as, in their order, rendered on every core: the
    /// writer's one thread is what ingest waits for, and rendering documents is a large part
    /// of its write-backs while the decoding threads wait for it.
    static func rows(of states: [ProfileState], rules: ProjectionRules) -> [ProfileRow] {
        let parts = Cores.parts(of: states.count, minimumShare: 32)
        guard parts > 1 else { return states.map { $0.row(rules: rules) } }
        return [ProfileRow](unsafeUninitializedCapacity: states.count) { buffer, initialized in
            // Each part initialises its own range of the buffer, which outlives the call.
            nonisolated(unsafe) let output = buffer
            Cores.forEachPart(parts, of: states.count) { _, range in
                for index in range { (output.baseAddress! + index).initialize(to: states[index].row(rules: rules)) }
            }
            initialized = states.count
        }
    }

    /// The row this profile is stored as.
    func row(rules: ProjectionRules) -> ProfileRow {
        let journey = Journey(self, rules: rules)
        let currency = rules.policy.profiles.orders.currency
        let revenue = orders.amounts.first { $0.currency == currency }?.amount ?? .zero
        return ProfileRow(json: json(rules: rules, journey: journey), firstSeen: first?.time, lastSeen: last?.time,
                          events: events, orders: orders.count, revenue: Double(revenue.tenThousandths) / 10_000,
                          stage: journey.stage, stageSince: journey.stageSince, dormantSince: journey.dormantSince)
    }
}
