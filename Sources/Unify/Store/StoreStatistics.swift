/// Figures about a store: what the log holds, from where, over what time, and its customers
/// by stage and channel.
public struct StoreStatistics: Sendable, Hashable {
    /// A count under one label (a channel, a kind, an input, a stage).
    public struct Count: Sendable, Hashable {
        public var label: String
        public var count: Int
    }

    /// The label of customers first seen after the reference time.
    public static let notYetSeen = "(not yet seen)"

    public var events = 0
    public var rejects = 0
    /// Distinct customers the events resolve to.
    public var customers = 0
    /// Identifiers that link (not junk, not hubs), and those that never link.
    public var linkingIdentifiers = 0
    public var junkOrHubIdentifiers = 0
    /// Probabilistic links between records (`match_links`), and record identifiers that stopped
    /// linking: mostly offline records that fit two customers with accounts of one kind, which
    /// join neither (docs/IDENTITY.md).
    public var matchLinks = 0
    public var recordHubs = 0
    /// Logged events that wait for `unify resolve`.
    public var pendingResolution = 0
    /// Events whose line had no time field and took the ingest time.
    public var timesAssigned = 0
    public var firstEventTime: Timestamp?
    public var lastEventTime: Timestamp?
    /// Events per channel, most first; events without a channel under `(none)`.
    public var channels: [Count] = []
    /// Events per kind (track, identify, …), most first.
    public var kinds: [Count] = []
    /// Events per input they were first read from, most first.
    public var inputs: [Count] = []
    /// The reference time of ``stages``: the time asked for, or the latest event.
    public var asOf: Timestamp?
    /// Customers per journey stage as of ``asOf``, in the model's order; `(none)` for
    /// customers who reached no stage yet, and ``notYetSeen`` for those whose first event is
    /// later, so that the counts add up to ``customers``.
    public var stages: [Count] = []
    /// Customers met on each channel, most first.
    public var customersPerChannel: [Count] = []

    public init() {}
}
