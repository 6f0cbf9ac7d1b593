internal import GRDB

extension Store {
    /// Counts over the whole event log, for `unify stats` and for a quick look after an ingest.
    public func logStatistics() throws(UnifyError) -> LogStatistics {
        try read { db in
            var statistics = LogStatistics()
            let totals = try Row.fetchOne(db, sql: """
                SELECT count(*), coalesce(sum(time_assigned), 0), min(time), max(time) FROM events
                """)!
            statistics.events = totals[0]
            statistics.timesAssigned = totals[1]
            statistics.firstEventTime = (totals[2] as Int64?).map(Timestamp.init(millisecondsSince1970:))
            statistics.lastEventTime = (totals[3] as Int64?).map(Timestamp.init(millisecondsSince1970:))
            statistics.rejects = try Int.fetchOne(db, sql: "SELECT count(*) FROM rejects") ?? 0
            statistics.customers = try Int.fetchOne(db, sql: "SELECT count(DISTINCT customer_id) FROM event_identity") ?? 0
            statistics.linkingIdentifiers = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM identifiers WHERE status = 'linking'
                """) ?? 0
            statistics.junkOrHubIdentifiers = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM identifiers WHERE status != 'linking'
                """) ?? 0
            statistics.pendingResolution = statistics.events - (try Int.fetchOne(db, sql: "SELECT count(*) FROM event_identity") ?? 0)
            func counts(_ sql: String) throws -> [LogStatistics.Count] {
                try Row.fetchAll(db, sql: sql).map { LogStatistics.Count(label: $0[0], events: $0[1]) }
            }
            statistics.channels = try counts("""
                SELECT coalesce(channel, '(none)'), count(*) AS n FROM events GROUP BY 1 ORDER BY n DESC, 1
                """)
            statistics.kinds = try counts("SELECT kind, count(*) AS n FROM events GROUP BY 1 ORDER BY n DESC, 1")
            statistics.inputs = try counts("""
                SELECT inputs.name, count(*) AS n FROM events JOIN inputs ON inputs.id = events.input_id
                GROUP BY inputs.id ORDER BY n DESC, 1
                """)
            return statistics
        }
    }
}
