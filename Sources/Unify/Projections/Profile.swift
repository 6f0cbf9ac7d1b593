/// Everything known about one customer, as of a time: who they are, what they told us, what
/// they bought, where they were met, where they are in their journey, what they agreed to.
///
/// ```swift
/// if let profile = try store.profile(of: "jane.doe@example.com") {
///     print(profile.customerID, profile.stage ?? "no stage yet", profile.orders.count)
///     for trait in profile.traits { print(trait.name, trait.value.jsonText, trait.eventID) }
/// }
/// ```
public struct Profile: Sendable, Hashable {
    /// One reconciled trait, with the event it came from.
    public struct Trait: Sendable, Hashable {
        public var name: String
        public var value: JSONValue
        public var eventID: String
        public var time: Timestamp
        /// The system the event came from (`pos`, `crm`), when it said.
        public var source: String?
    }

    /// Orders: how many, how much per currency, and when.
    public struct Orders: Sendable, Hashable {
        public var count: Int
        /// Total per currency, as exact decimal text (`"349.70"`).
        public var revenue: [String: String]
        public var averageBasket: [String: String]
        public var first: Timestamp?
        public var last: Timestamp?
    }

    /// Activity on one channel.
    public struct ChannelActivity: Sendable, Hashable {
        public var channel: Channel
        public var events: Int
        public var first: Timestamp
        public var last: Timestamp
    }

    /// A stage entered.
    public struct Step: Sendable, Hashable {
        public var stage: String
        public var enteredAt: Timestamp
        /// The event that moved the customer, when one did (dormancy has none).
        public var event: Touchpoint?
        public var reason: String
    }

    /// A consent as the latest event about it left it.
    public struct Consent: Sendable, Hashable {
        public var channel: String
        public var granted: Bool
        public var time: Timestamp
        public var eventID: String
        public var source: String?
    }

    /// Survey answers (NPS, CSAT).
    public struct Survey: Sendable, Hashable {
        public var latest: Double
        public var time: Timestamp
        public var eventID: String
        public var responses: Int
        public var average: Double
    }

    /// An event on the customer's timeline.
    public struct Touchpoint: Sendable, Hashable {
        public var eventID: String
        public var time: Timestamp
        public var kind: String
        public var name: String?
        public var channel: String?
        public var source: String?
    }

    public var customerID: String
    /// Retired customer ids that now lead to this customer.
    public var formerIDs: [String]
    /// The customer's identifiers, most authoritative first.
    public var identifiers: [Identifier]
    public var firstSeen: Timestamp?
    public var lastSeen: Timestamp?
    public var events: Int
    public var onlineEvents: Int
    public var offlineEvents: Int
    public var traits: [Trait]
    public var orders: Orders
    public var channels: [ChannelActivity]
    /// The reference time of ``stage``: the time asked for, or the latest event in the store.
    public var asOf: Timestamp
    /// The stage as of ``asOf``; `nil` before the customer reached any.
    public var stage: String?
    public var stageSince: Timestamp?
    /// When the customer became dormant, if they are dormant as of ``asOf``.
    public var dormantSince: Timestamp?
    /// When the customer will become dormant after ``asOf`` unless they are active again: the
    /// first dormancy of the journey after it; `nil` while they are dormant as of ``asOf``.
    public var becomesDormant: Timestamp?
    /// Every stage entered up to ``asOf``, in time order.
    public var journey: [Step]
    public var consents: [Consent]
    public var nps: Survey?
    public var csat: Survey?
    /// The latest events, newest first.
    public var touchpoints: [Touchpoint]

    /// The value of a trait, if the customer has it.
    public func trait(_ name: String) -> JSONValue? {
        traits.first { $0.name == name }?.value
    }
}
