/// An accepted line reduced, on the thread that decoded it, to what the one writing thread
/// needs: the fields of its log row, what resolution reads, and what its profile takes.
///
/// The full ``Event`` (traits and properties as trees of values) is built and dropped on the
/// decoding threads; the writer never allocates or frees one.
///
/// A class: the writer hands each event on through several loops, and copying a value this
/// large retains every one of its strings and arrays each time.
final class PreparedEvent: Sendable {
    let id: String
    let kind: Event.Kind
    let name: String?
    let time: Timestamp
    let timeWasAssigned: Bool
    let channel: Channel?
    let source: String?
    /// The event's identity keys, when the ingest resolves identities.
    let identity: IdentityKeys?
    /// What the event tells its customer's profile, when the ingest resolves identities.
    let facts: ProfileFacts?
    /// The event's record for probabilistic matching, when it is one and matching is on.
    let match: MatchInput?

    /// `event`'s log fields, with what was prepared from it.
    init(_ event: Event, identity: IdentityKeys?, facts: ProfileFacts?, match: MatchInput?) {
        (id, kind, name, time) = (event.id, event.kind, event.name, event.time)
        (timeWasAssigned, channel, source) = (event.timeWasAssigned, event.channel, event.source)
        (self.identity, self.facts, self.match) = (identity, facts, match)
    }

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
            event, identity: identity, facts: rules?.projections.facts(of: event),
            match: matching ? identity.flatMap { MatchInput.of(event, identity: $0) } : nil)
    }
}
