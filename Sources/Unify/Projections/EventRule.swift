/// A condition on one event, as the configuration writes it: which events move a customer to
/// a stage, set a consent, count as an order.
///
/// Every field given must hold; names compare without regard to case.
///
/// ```json
/// {"event": "Product Reviewed", "property": "rating", "at_least": 4}
/// {"kind": "page"}
/// {"event": ["Order Completed", "Mail Order Placed"]}
/// ```
public struct EventRule: Sendable, Hashable, Codable {
    /// Track event names (`event`), or page and screen names.
    public var events: [String]?
    /// Call kinds: `track`, `page`, `screen`, `identify`, `group`, `alias`.
    public var kinds: [String]?
    /// Channels (`web`, `store`, …).
    public var channels: [String]?
    /// A property (or, failing that, trait) the event must carry.
    public var property: String?
    /// The property's value as a number must be at least / at most this.
    public var atLeast: Double?
    public var atMost: Double?
    /// The property's value must be this (as text, without regard to case; `true`/`false` for booleans).
    public var equals: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case events = "event", kinds = "kind", channels = "channel", property
        case atLeast = "at_least", atMost = "at_most", equals
    }

    public init(events: [String]? = nil, kinds: [String]? = nil, channels: [String]? = nil, property: String? = nil,
                atLeast: Double? = nil, atMost: Double? = nil, equals: String? = nil) {
        self.events = events
        self.kinds = kinds
        self.channels = channels
        self.property = property
        self.atLeast = atLeast
        self.atMost = atMost
        self.equals = equals
    }

    /// Events named `name`.
    public static func event(_ names: String...) -> EventRule { EventRule(events: names) }

    /// Calls of a kind.
    public static func kind(_ kinds: String...) -> EventRule { EventRule(kinds: kinds) }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        events = try EventRule.oneOrMany(container, .events)
        kinds = try EventRule.oneOrMany(container, .kinds)
        channels = try EventRule.oneOrMany(container, .channels)
        property = try container.decodeIfPresent(String.self, forKey: .property)
        atLeast = try container.decodeIfPresent(Double.self, forKey: .atLeast)
        atMost = try container.decodeIfPresent(Double.self, forKey: .atMost)
        if let text = try? container.decodeIfPresent(String.self, forKey: .equals) {
            equals = text
        } else if let flag = try? container.decodeIfPresent(Bool.self, forKey: .equals) {
            equals = flag ? "true" : "false"
        } else if let number = try? container.decodeIfPresent(Double.self, forKey: .equals) {
            equals = number == number.rounded() ? String(Int64(number)) : String(number)
        }
    }

    /// A string or a list of strings.
    private static func oneOrMany(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> [String]? {
        if let one = try? container.decodeIfPresent(String.self, forKey: key) { return [one] }
        return try container.decodeIfPresent([String].self, forKey: key)
    }
}

/// An ``EventRule`` made ready to test events quickly: names folded once. A class, so that
/// testing one in a list of them does not copy its sets.
final class CompiledEventRule: Sendable {
    private let events: Set<String>?
    private let kinds: Set<String>?
    private let channels: Set<String>?
    private let property: String?
    private let atLeast: Double?
    private let atMost: Double?
    private let equals: String?

    init(_ rule: EventRule) {
        events = rule.events.map { Set($0.map { $0.lowercased() }) }
        kinds = rule.kinds.map { Set($0.map { $0.lowercased() }) }
        channels = rule.channels.map { Set($0.map { Channel(rawValue: $0).rawValue }) }
        property = rule.property
        atLeast = rule.atLeast
        atMost = rule.atMost
        equals = rule.equals?.lowercased()
    }

    /// Whether `event` meets the rule.
    func matches(_ event: Event) -> Bool {
        if let events, !(event.name.map { events.contains($0.lowercased()) } ?? false) { return false }
        return matchesBesidesName(event)
    }

    /// Whether `event` meets every condition but the name's.
    func matchesBesidesName(_ event: Event) -> Bool {
        if let kinds, !kinds.contains(event.kind.rawValue) { return false }
        if let channels, !(event.channel.map { channels.contains($0.rawValue) } ?? false) { return false }
        guard let property else { return true }
        guard let value = event.properties[property] ?? event.traits[property] else { return false }
        if let equals {
            let text: String? = switch value {
            case .bool(let flag): flag ? "true" : "false"
            case .string(let text), .number(let text): text.lowercased()
            default: nil
            }
            if text != equals { return false }
        }
        if atLeast != nil || atMost != nil {
            guard let number = value.doubleValue else { return false }
            if let atLeast, number < atLeast { return false }
            if let atMost, number > atMost { return false }
        }
        return true
    }
}
