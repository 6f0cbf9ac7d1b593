/// An accepted line reduced, on the thread that decoded it, to what the one writing thread
/// needs: the fields of its log row, what resolution reads, and what its profile takes.
///
/// The full ``Event`` (traits and properties as trees of values) is built and dropped on the
/// decoding threads; the writer never allocates or frees one.
struct PreparedEvent: Sendable {
    var id: String
    var kind: Event.Kind
    var name: String?
    var time: Timestamp
    var timeWasAssigned: Bool
    var channel: Channel?
    var source: String?
    /// The event's identity keys, when the ingest resolves identities.
    var identity: IdentityKeys?
    /// What the event tells its customer's profile, when the ingest resolves identities.
    var facts: ProfileFacts?
    /// The event's record for probabilistic matching, when it is one and matching is on.
    var match: MatchInput?

    /// Where the event stands in canonical order.
    var position: EventPosition { EventPosition(time: time.millisecondsSince1970, eventID: id) }
}

/// What the decoding threads prepare for what follows the log, given the rules in force.
struct EventPreparation: Sendable {
    /// When set, each event's identity keys and profile facts are prepared.
    var rules: (identity: IdentityRules, projections: ProjectionRules)?
    /// Whether records for probabilistic matching are prepared too (with ``rules``).
    var matching = false

    func prepare(_ event: Event) -> PreparedEvent {
        let identity = rules?.identity.identityKeys(of: event)
        return PreparedEvent(
            id: event.id, kind: event.kind, name: event.name, time: event.time,
            timeWasAssigned: event.timeWasAssigned, channel: event.channel, source: event.source,
            identity: identity, facts: rules?.projections.facts(of: event),
            match: matching ? identity.flatMap { MatchInput.of(event, identity: $0) } : nil)
    }
}
