internal import GRDB

extension Store {
    /// Counts over the whole event log, for `unify stats` and for a quick look after an ingest.
    public func logStatistics() throws(UnifyError) -> LogStatistics {
        try read { db in
            var statistics = LogStatistics()
            // One pass over the log (its rows carry the raw JSON, so each scan reads it all):
            // counts per kind, channel and input, folded here.
            var channels: [String: Int] = [:]
            var kinds: [String: Int] = [:]
            var inputs: [String: Int] = [:]
            let groups = try Row.fetchCursor(db, sql: """
                SELECT events.kind, coalesce(events.channel, '(none)'), inputs.name, count(*),
                       sum(events.time_assigned), min(events.time), max(events.time)
                FROM events JOIN inputs ON inputs.id = events.input_id
                GROUP BY events.kind, events.channel, events.input_id
                """)
            var first: Int64?
            var last: Int64?
            while let group = try groups.next() {
                let count: Int = group[3]
                kinds[group[0], default: 0] += count
                channels[group[1], default: 0] += count
                inputs[group[2], default: 0] += count
                statistics.events += count
                statistics.timesAssigned += group[4] as Int
                first = min(first ?? .max, group[5])
                last = max(last ?? .min, group[6])
            }
            statistics.firstEventTime = first.map(Timestamp.init(millisecondsSince1970:))
            statistics.lastEventTime = last.map(Timestamp.init(millisecondsSince1970:))
            func sorted(_ counts: [String: Int]) -> [LogStatistics.Count] {
                counts.map { LogStatistics.Count(label: $0.key, events: $0.value) }
                    .sorted { ($1.events, $0.label) < ($0.events, $1.label) }
            }
            statistics.channels = sorted(channels)
            statistics.kinds = sorted(kinds)
            statistics.inputs = sorted(inputs)
            statistics.rejects = try Int.fetchOne(db, sql: "SELECT count(*) FROM rejects") ?? 0
            statistics.customers = try Int.fetchOne(db, sql: "SELECT count(*) FROM customers") ?? 0
            statistics.linkingIdentifiers = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM identifiers WHERE status = 'linking'
                """) ?? 0
            statistics.junkOrHubIdentifiers = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM identifiers WHERE status != 'linking'
                """) ?? 0
            statistics.pendingResolution = try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE seq > ?",
                                                            arguments: [try Store.resolvedThrough(db)]) ?? 0
            return statistics
        }
    }
}
