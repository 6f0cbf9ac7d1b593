import Foundation
internal import GRDB

extension Store {
    /// The profile of the customer that `query` names (a customer id, current or retired, an
    /// identifier as a person types it, or an event id), or `nil` when it names nobody.
    ///
    /// - Parameters:
    ///   - asOf: the reference time for the stage and dormancy; by default the time of the
    ///     latest event in the store (never the wall clock).
    ///   - touchpoints: how many of the latest events to include.
    public func profile(of query: String, asOf: Timestamp? = nil, touchpoints: Int = 10) throws(UnifyError) -> Profile? {
        try read { db in
            guard let customerID = try customerID(for: query, db), let id = CustomerID(customerID),
                  let row = try Row.fetchOne(db, sql: "SELECT profile, event_list FROM customers WHERE customer = ?",
                                             arguments: [id.storageValue]),
                  let state = ProfileState(json: row[0], rules: projectionRules)
            else { return nil }
            let events = EventList(bytes: Array(row[1] as Data))
            return try ProfileReader(db: db, rules: projectionRules).profile(
                customerID, state: state, events: events, asOf: asOf, touchpoints: touchpoints)
        }
    }

    /// The customer's events, newest first, at most `limit`.
    public func timeline(of query: String, limit: Int = .max) throws(UnifyError) -> [Profile.Touchpoint] {
        try read { db in
            guard let customerID = try customerID(for: query, db), let id = CustomerID(customerID),
                  let list = try Data.fetchOne(db, sql: "SELECT event_list FROM customers WHERE customer = ?",
                                               arguments: [id.storageValue])
            else { return [] }
            let seqs = EventList(bytes: Array(list)).seqs.suffix(limit).reversed()
            return try ProfileReader(db: db, rules: projectionRules).touchpoints(Array(seqs))
        }
    }
}

/// Turns a stored profile into a ``Profile``: event references become event ids, the journey
/// is read as of the time asked for.
struct ProfileReader {
    let db: Database
    let rules: ProjectionRules

    func profile(_ customerID: String, state: ProfileState, events: EventList, asOf: Timestamp?, touchpoints limit: Int)
        throws -> Profile
    {
        let journey = Journey(state, rules: rules)
        let latest = try Store.latestEventTime(db) ?? state.last?.time ?? 0
        let reference = asOf?.millisecondsSince1970 ?? latest

        var seqs = Set<Int64>()
        for trait in state.traits { seqs.insert(trait.first.mark.seq) }
        for trait in state.traits { for candidate in trait.candidates { seqs.insert(candidate.mark.seq) } }
        for entry in journey.entries { if let seq = entry.eventSeq { seqs.insert(seq) } }
        for consent in state.consents { seqs.insert(consent.mark.seq) }
        for survey in [state.nps, state.csat] { if let survey { seqs.insert(survey.mark.seq) } }
        let latestSeqs = Array(events.seqs.suffix(limit).reversed())
        let touchpoints = try self.touchpoints(latestSeqs)
        var event: [Int64: Profile.Touchpoint] = [:]
        for (seq, point) in zip(latestSeqs, touchpoints) { event[seq] = point }
        for seq in seqs.sorted() where event[seq] == nil { event[seq] = try self.touchpoints([seq]).first }
        func id(_ seq: Int64) -> String { event[seq]?.eventID ?? "#\(seq)" }
        func time(_ milliseconds: Int64) -> Timestamp { Timestamp(millisecondsSince1970: milliseconds) }

        let identifiers = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT kind, value FROM identifiers WHERE customer = ? AND status = 'linking' AND kind != 'record'
            """), arguments: [CustomerID(customerID)!.storageValue])
            .map { Identifier(normalised: $0[1], kind: Identifier.Kind(stored: $0[0])) }
            .sorted(by: IdentityRules.precedes)
        let formerIDs = try String.fetchAll(db.cachedStatement(sql: """
            SELECT retired_id FROM customer_redirects WHERE survivor_id = ? ORDER BY retired_id
            """), arguments: [customerID])

        let traits = state.traits.compactMap { trait -> Profile.Trait? in
            guard let winner = trait.winner(policy: rules.policy(ofTrait: trait.key)),
                  let value = JSONValue(parsing: winner.value) else { return nil }
            return Profile.Trait(name: trait.key, value: value, eventID: id(winner.mark.seq), time: time(winner.mark.time),
                                 source: winner.source)
        }
        var revenue: [String: String] = [:]
        var basket: [String: String] = [:]
        for amount in state.orders.amounts {
            revenue[amount.currency] = amount.amount.formatted(decimals: 2)
            if amount.orders > 0 {
                basket[amount.currency] = amount.amount.divided(by: amount.orders).formatted(decimals: 2)
            }
        }
        let current = journey.entries.last { $0.enteredAt <= reference }
        func survey(_ tally: ScoreTally?) -> Profile.Survey? {
            tally.map { Profile.Survey(latest: $0.latest, time: time($0.mark.time), eventID: id($0.mark.seq),
                                       responses: $0.count, average: $0.average) }
        }
        return Profile(
            customerID: customerID, formerIDs: formerIDs, identifiers: identifiers,
            firstSeen: state.first.map { time($0.time) }, lastSeen: state.last.map { time($0.time) },
            events: state.events, onlineEvents: state.online, offlineEvents: state.offline, traits: traits,
            orders: Profile.Orders(count: state.orders.count, revenue: revenue, averageBasket: basket,
                                   first: state.orders.first.map(time), last: state.orders.last.map(time)),
            channels: state.channels.map {
                Profile.ChannelActivity(channel: Channel(rawValue: $0.channel), events: $0.events, first: time($0.first),
                                        last: time($0.last))
            },
            asOf: time(reference), stage: current?.stage, stageSince: current.map { time($0.enteredAt) },
            dormantSince: current.flatMap { $0.stage == Journey.dormant ? time($0.enteredAt) : nil },
            becomesDormant: current == nil || current?.stage == Journey.dormant ? nil
                : journey.entries.first { $0.enteredAt > reference && $0.stage == Journey.dormant }.map { time($0.enteredAt) },
            journey: journey.entries.prefix { $0.enteredAt <= reference }.map {
                Profile.Step(stage: $0.stage, enteredAt: time($0.enteredAt), event: $0.eventSeq.flatMap { event[$0] },
                             reason: $0.reason)
            },
            consents: state.consents.map {
                Profile.Consent(channel: $0.channel, granted: $0.granted, time: time($0.mark.time), eventID: id($0.mark.seq),
                                source: $0.source)
            },
            nps: survey(state.nps), csat: survey(state.csat), touchpoints: touchpoints)
    }

    /// Events by sequence number, in the order given.
    func touchpoints(_ seqs: [Int64]) throws -> [Profile.Touchpoint] {
        let statement = try db.cachedStatement(sql: """
            SELECT event_id, time, kind, name, channel, source FROM events WHERE seq = ?
            """)
        return try seqs.compactMap { seq in
            try Row.fetchOne(statement, arguments: [seq]).map {
                Profile.Touchpoint(eventID: $0[0], time: Timestamp(millisecondsSince1970: $0[1]), kind: $0[2], name: $0[3],
                                   channel: $0[4], source: $0[5])
            }
        }
    }
}
