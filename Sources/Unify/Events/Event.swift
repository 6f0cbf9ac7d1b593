/// One accepted line of input, decoded once: who, what, when and where.
///
/// The original JSON stays in the log beside it; an `Event` holds what the engine reads.
///
/// ```swift
/// let event = Event(id: "pos-1", kind: .track, name: "Order Completed",
///                   time: Timestamp(iso8601: "2025-03-02T15:04:05+01:00")!,
///                   channel: .store, identifiers: [Identifier(kind: .email, value: "jane@example.com")!],
///                   properties: ["total": 59.90])
/// ```
public struct Event: Sendable, Hashable, Identifiable {
    /// What kind of call made the event, in Segment's terms. Native lines with an
    /// `event` name are ``track``; those without are ``identify``.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case identify, track, page, screen, group, alias
    }

    /// The `messageId` (Segment) or `id` (native) it arrived with, or, when it had none,
    /// `h:` and a 128-bit hash of its canonical JSON.
    public var id: String
    public var kind: Kind
    /// The `event` of a track call, the `name` of a page or screen call.
    public var name: String?
    public var time: Timestamp
    /// The line had no time field, so it took the time it was ingested.
    public var timeWasAssigned: Bool
    public var channel: Channel?
    /// The system that recorded it (`source` in native lines), such as `pos` or `crm`.
    public var source: String?
    /// The identifiers the event carries, normalised, in the order found, without repeats.
    public var identifiers: [Identifier]
    /// What the event says about the person: `traits`, then `context.traits` for keys not
    /// already there. A group call's `traits` describe the group and are in ``properties``.
    public var traits: JSONObject
    public var properties: JSONObject

    public init(
        id: String, kind: Kind, name: String? = nil, time: Timestamp, timeWasAssigned: Bool = false,
        channel: Channel? = nil, source: String? = nil, identifiers: [Identifier] = [],
        traits: JSONObject = [:], properties: JSONObject = [:]
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.time = time
        self.timeWasAssigned = timeWasAssigned
        self.channel = channel
        self.source = source
        self.identifiers = identifiers
        self.traits = traits
        self.properties = properties
    }
}
