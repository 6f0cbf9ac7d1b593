/// A profile as the `customers` table stores it: the document, and the figures an analyst
/// filters on as columns of their own.
struct ProfileRow: Sendable, Hashable {
    var json: String
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
