internal import GRDB

extension Store {
    /// Counts over the whole store: the log by channel, kind and input (kept as events are
    /// appended, so this reads no event), customers by stage as of `asOf` (by default the
    /// latest event), and customers by channel.
    public func statistics(asOf: Timestamp? = nil) throws(UnifyError) -> StoreStatistics {
        try read { db in
            var statistics = StoreStatistics()
            var channels: [String: Int] = [:]
            var kinds: [String: Int] = [:]
            var inputs: [String: Int] = [:]
            var first: Int64?
            var last: Int64?
            let groups = try Row.fetchCursor(db, sql: """
                SELECT log_counts.kind, log_counts.channel, inputs.name, log_counts.events, log_counts.times_assigned,
                       log_counts.first_time, log_counts.last_time
                FROM log_counts JOIN inputs ON inputs.id = log_counts.input_id
                """)
            while let group = try groups.next() {
                let count: Int = group[3]
                let channel: String = group[1]
                kinds[group[0], default: 0] += count
                channels[channel.isEmpty ? "(none)" : channel, default: 0] += count
                inputs[group[2], default: 0] += count
                statistics.events += count
                statistics.timesAssigned += group[4] as Int
                first = min(first ?? .max, group[5])
                last = max(last ?? .min, group[6])
            }
            statistics.firstEventTime = first.map(Timestamp.init(millisecondsSince1970:))
            statistics.lastEventTime = last.map(Timestamp.init(millisecondsSince1970:))
            statistics.channels = Store.mostFirst(channels)
            statistics.kinds = Store.mostFirst(kinds)
            statistics.inputs = Store.mostFirst(inputs)
            statistics.rejects = try Int.fetchOne(db, sql: "SELECT count(*) FROM rejects") ?? 0
            statistics.customers = try Int.fetchOne(db, sql: "SELECT count(*) FROM customers") ?? 0
            // One pass over identifiers for the three counts.
            if let counts = try Row.fetchOne(db, sql: """
                SELECT total(status = 'linking'), total(status != 'linking'), total(kind = 'record' AND status = 'hub')
                FROM identifiers
                """) {
                statistics.linkingIdentifiers = Int(counts[0] as Double)
                statistics.junkOrHubIdentifiers = Int(counts[1] as Double)
                statistics.recordHubs = Int(counts[2] as Double)
            }
            statistics.matchLinks = try Int.fetchOne(db, sql: "SELECT count(*) FROM match_links") ?? 0
            statistics.pendingResolution = try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE seq > ?",
                                                            arguments: [try Store.resolvedThrough(db)]) ?? 0
            try customerCounts(db, asOf: asOf, into: &statistics)
            return statistics
        }
    }

    /// Customers per stage and per channel.
    private func customerCounts(_ db: Database, asOf: Timestamp?, into statistics: inout StoreStatistics) throws {
        let latest = try Store.latestEventTime(db)
        guard let reference = asOf?.millisecondsSince1970 ?? latest else { return }
        statistics.asOf = Timestamp(millisecondsSince1970: reference)
        var stages: [String: Int] = [:]
        if reference >= latest ?? .min {
            // From the latest event on, a stage is the stored one, or dormancy once it begins.
            let rows = try Row.fetchCursor(db, sql: """
                SELECT CASE WHEN dormant_since <= ?1 AND coalesce(stage, '') != 'churned' THEN 'dormant'
                            ELSE coalesce(stage, '(none)') END, count(*)
                FROM customers GROUP BY 1
                """, arguments: [reference])
            while let row = try rows.next() { stages[row[0]] = row[1] }
        } else {
            // Earlier, the last step of each journey entered by then.
            let rows = try Row.fetchCursor(db, sql: """
                SELECT coalesce((SELECT json_extract(step.value, '$.stage') FROM json_each(customers.profile, '$.journey') AS step
                                 WHERE json_extract(step.value, '$.entered_at') <= ?1
                                 ORDER BY json_extract(step.value, '$.entered_at') DESC, step.key DESC LIMIT 1),
                                '(none)'), count(*)
                FROM customers WHERE first_seen <= ?1 GROUP BY 1
                """, arguments: [reference])
            while let row = try rows.next() { stages[row[0]] = row[1] }
            // Every customer is counted once: those whose first event is later are not yet seen.
            let later = try Int.fetchOne(db, sql: "SELECT count(*) FROM customers WHERE first_seen > ?1",
                                         arguments: [reference]) ?? 0
            if later > 0 { stages[StoreStatistics.notYetSeen] = later }
        }
        let order = projectionPolicy.journey.stages.map(\.name)
            + [Journey.dormant, Journey.churned, "(none)", StoreStatistics.notYetSeen]
        statistics.stages = stages.map { StoreStatistics.Count(label: $0.key, count: $0.value) }
            .sorted { (order.firstIndex(of: $0.label) ?? order.count, $0.label) < (order.firstIndex(of: $1.label) ?? order.count, $1.label) }
        var perChannel: [String: Int] = [:]
        let channels = try Row.fetchCursor(db, sql: """
            SELECT channel.key, count(*) FROM customers, json_each(customers.profile, '$.channels') AS channel
            GROUP BY channel.key
            """)
        while let row = try channels.next() { perChannel[row[0]] = row[1] }
        statistics.customersPerChannel = Store.mostFirst(perChannel)
    }

    private static func mostFirst(_ counts: [String: Int]) -> [StoreStatistics.Count] {
        counts.map { StoreStatistics.Count(label: $0.key, count: $0.value) }
            .sorted { ($1.count, $0.label) < ($0.count, $1.label) }
    }
}
