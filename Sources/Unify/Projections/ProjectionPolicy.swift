import Foundation

/// The rules that turn a customer's events into a profile, a journey and consents.
///
/// Read from the `profiles`, `journey` and `consents` keys of the configuration file beside
/// the store (see docs/CONFIGURATION.md); every field is optional and falls back to the
/// defaults below, which suit a retail shop. Changing it changes what the log means: run
/// `unify rebuild` afterwards.
public struct ProjectionPolicy: Sendable, Hashable, Codable {
    public var profiles: ProfilePolicy
    public var journey: JourneyModel
    public var consents: ConsentPolicy

    public init(profiles: ProfilePolicy = ProfilePolicy(), journey: JourneyModel = JourneyModel(),
                consents: ConsentPolicy = ConsentPolicy()) {
        self.profiles = profiles
        self.journey = journey
        self.consents = consents
    }

    public init(from decoder: any Decoder) throws {
        // The configuration file's other sections are checked by ConfigurationFile.
        let container = try decoder.container(keyedBy: CodingKeys.self)
        profiles = try container.decodeIfPresent(ProfilePolicy.self, forKey: .profiles) ?? ProfilePolicy()
        journey = try container.decodeIfPresent(JourneyModel.self, forKey: .journey) ?? JourneyModel()
        consents = try container.decodeIfPresent(ConsentPolicy.self, forKey: .consents) ?? ConsentPolicy()
    }

    /// The policy in the configuration file beside the store, or the defaults.
    public static func load(forStoreAt storePath: String) throws(UnifyError) -> ProjectionPolicy {
        try ConfigurationFile.read(ProjectionPolicy.self, forStoreAt: storePath) ?? ProjectionPolicy()
    }
}

/// How traits are reconciled and what counts as an order, a passive event or a survey answer.
public struct ProfilePolicy: Sendable, Hashable, Codable {
    /// How one trait's value is chosen when events disagree.
    public struct TraitRule: Sendable, Hashable, Codable {
        public enum Policy: String, Sendable, Hashable, Codable {
            /// The value of the latest event (by event time, then event id).
            case latest
            /// The value of the earliest event, such as `createdAt`.
            case first
            /// The value seen in most events; ties go to the latest.
            case mostFrequent = "most_frequent"
            /// The value from the highest source in ``TraitRule/sources`` (then the latest);
            /// sources not listed rank below all listed ones.
            case sourcePriority = "source_priority"
        }

        public var policy: Policy
        /// For ``Policy/sourcePriority``: the event `source`s, most trusted first.
        public var sources: [String]

        public init(policy: Policy, sources: [String] = []) {
            self.policy = policy
            self.sources = sources
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case policy, sources
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            policy = try container.decode(Policy.self, forKey: .policy)
            sources = try container.decodeIfPresent([String].self, forKey: .sources) ?? []
        }
    }

    /// What makes an event an order, and where its amount is.
    public struct OrderRule: Sendable, Hashable, Codable {
        public var when: [EventRule]
        /// Properties holding the order's amount, the first present wins.
        public var amount: [String]
        /// The currency when an order names none (`properties.currency`).
        public var currency: String

        public init(when: [EventRule] = OrderRule.defaultEvents, amount: [String] = ["total", "revenue", "value", "amount"],
                    currency: String = "EUR") {
            self.when = when
            self.amount = amount
            self.currency = currency
        }

        public static let defaultEvents: [EventRule] = [
            .event("Order Completed", "Mail Order Placed", "Order Placed", "Purchase", "Purchased"),
        ]

        enum CodingKeys: String, CodingKey, CaseIterable {
            case when, amount, currency
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let defaults = OrderRule()
            when = try container.decodeIfPresent([EventRule].self, forKey: .when) ?? defaults.when
            amount = try container.decodeIfPresent([String].self, forKey: .amount) ?? defaults.amount
            currency = try container.decodeIfPresent(String.self, forKey: .currency) ?? defaults.currency
        }
    }

    /// A satisfaction survey: which events answer it and which property holds the score.
    public struct SurveyRule: Sendable, Hashable, Codable {
        public var when: [EventRule]
        public var score: String

        public init(when: [EventRule], score: String = "score") {
            self.when = when
            self.score = score
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case when, score
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            when = try container.decode([EventRule].self, forKey: .when)
            score = try container.decodeIfPresent(String.self, forKey: .score) ?? "score"
        }
    }

    /// Per trait; traits not listed take ``Policy/latest``.
    public var traits: [String: TraitRule]
    public var orders: OrderRule
    /// Events that reach the customer without them doing anything (a delivered email): they
    /// appear on the timeline but are not activity, so they neither end dormancy nor count
    /// as touchpoints.
    public var passive: [EventRule]
    public var nps: SurveyRule
    public var csat: SurveyRule

    enum CodingKeys: String, CodingKey, CaseIterable {
        case traits, orders, passive, nps, csat
    }

    public init(
        traits: [String: TraitRule] = ProfilePolicy.defaultTraits, orders: OrderRule = OrderRule(),
        passive: [EventRule] = ProfilePolicy.defaultPassive,
        nps: SurveyRule = SurveyRule(when: [.event("NPS Survey Completed", "NPS Submitted")]),
        csat: SurveyRule = SurveyRule(when: [.event("CSAT Survey Completed", "CSAT Submitted")])
    ) {
        self.traits = traits
        self.orders = orders
        self.passive = passive
        self.nps = nps
        self.csat = csat
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ProfilePolicy()
        traits = defaults.traits.merging(try container.decodeIfPresent([String: TraitRule].self, forKey: .traits) ?? [:]) { $1 }
        orders = try container.decodeIfPresent(OrderRule.self, forKey: .orders) ?? defaults.orders
        passive = try container.decodeIfPresent([EventRule].self, forKey: .passive) ?? defaults.passive
        nps = try container.decodeIfPresent(SurveyRule.self, forKey: .nps) ?? defaults.nps
        csat = try container.decodeIfPresent(SurveyRule.self, forKey: .csat) ?? defaults.csat
    }

    /// `createdAt` is when the account was made: the first report of it stands.
    public static let defaultTraits: [String: TraitRule] = ["createdAt": TraitRule(policy: .first)]

    public static let defaultPassive: [EventRule] = [
        .event("Email Delivered", "Email Sent", "Email Bounced", "SMS Delivered", "SMS Sent", "Push Delivered",
               "Push Sent", "Catalog Sent"),
    ]
}

/// The journey a customer goes through: stages reached by events, plus dormancy (no activity
/// for a while) and churn (an explicit cancellation).
///
/// Stages are in order; a customer is at the highest stage they have reached, and a stage
/// is reached at the `count`-th event meeting one of its rules (a second order makes a
/// customer loyal). A customer who jumps ahead skips the stages between.
public struct JourneyModel: Sendable, Hashable, Codable {
    public struct Stage: Sendable, Hashable, Codable {
        public var name: String
        public var when: [EventRule]
        /// The how-manieth matching event reaches the stage.
        public var count: Int

        public init(name: String, when: [EventRule], count: Int = 1) {
            self.name = name
            self.when = when
            self.count = count
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, when, count
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            when = try container.decode([EventRule].self, forKey: .when)
            count = try container.decodeWholeNumberIfPresent(forKey: .count) ?? 1
        }
    }

    public var stages: [Stage]
    /// Days without activity after which a customer is dormant.
    public var dormantAfterDays: Int
    /// Events that end a customer's relationship (a cancelled subscription, a closed account).
    public var churn: [EventRule]
    /// Events that bring a churned customer back; the default is an order.
    public var returns: [EventRule]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case stages, dormantAfterDays = "dormant_after_days", churn, returns = "return"
    }

    public init(stages: [Stage] = JourneyModel.defaultStages, dormantAfterDays: Int = 180,
                churn: [EventRule] = JourneyModel.defaultChurn, returns: [EventRule]? = nil) {
        self.stages = stages
        self.dormantAfterDays = dormantAfterDays
        self.churn = churn
        self.returns = returns
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = JourneyModel()
        stages = try container.decodeIfPresent([Stage].self, forKey: .stages) ?? defaults.stages
        dormantAfterDays = try container.decodeWholeNumberIfPresent(forKey: .dormantAfterDays) ?? defaults.dormantAfterDays
        churn = try container.decodeIfPresent([EventRule].self, forKey: .churn) ?? defaults.churn
        returns = try container.decodeIfPresent([EventRule].self, forKey: .returns)
    }

    public static let defaultStages: [Stage] = [
        Stage(name: "awareness", when: [
            .kind("page", "screen"),
            .event("Ad Clicked", "Ad Viewed", "Application Installed", "Application Opened", "Email Opened",
                   "Push Opened", "SMS Link Clicked"),
        ]),
        Stage(name: "consideration", when: [
            .event("Brochure Downloaded", "Newsletter Subscribed", "Email Link Clicked", "Signed Up",
                   "Catalog Requested", "Product Viewed", "Product List Viewed", "Products Searched",
                   "Loyalty Card Issued", "Store Visited"),
        ]),
        Stage(name: "decision", when: [
            .event("Product Added", "Cart Viewed", "Checkout Started", "Checkout Step Completed", "Quote Requested",
                   "Demo Requested", "Appointment Booked"),
        ]),
        Stage(name: "customer", when: ProfilePolicy.OrderRule.defaultEvents),
        Stage(name: "loyal", when: ProfilePolicy.OrderRule.defaultEvents, count: 2),
        Stage(name: "advocate", when: [
            .event("Referral Sent", "Product Shared", "Customer Referred"),
            EventRule(events: ["Product Reviewed", "Review Submitted"], property: "rating", atLeast: 4),
            EventRule(events: ["NPS Survey Completed", "NPS Submitted"], property: "score", atLeast: 9),
        ]),
    ]

    public static let defaultChurn: [EventRule] = [
        .event("Subscription Cancelled", "Account Deleted", "Account Closed", "Membership Cancelled",
               "Loyalty Card Cancelled", "Customer Churned"),
    ]
}

/// Where consents come from: events that grant or withdraw one, and properties or traits
/// that state one (`optin_sms: true`).
public struct ConsentPolicy: Sendable, Hashable, Codable {
    public struct EventConsent: Sendable, Hashable, Codable {
        public var when: EventRule
        public var channel: String
        public var granted: Bool

        public init(when: EventRule, channel: String, granted: Bool) {
            self.when = when
            self.channel = channel
            self.granted = granted
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case when, channel, granted
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            when = try container.decode(EventRule.self, forKey: .when)
            channel = try container.decode(String.self, forKey: .channel)
            granted = try container.decode(Bool.self, forKey: .granted)
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case channels, events, properties, traits
    }

    /// The consent channels a profile shows.
    public var channels: [String]
    public var events: [EventConsent]
    /// Boolean properties naming a consent: property → channel.
    public var properties: [String: String]
    /// Boolean traits naming a consent: trait → channel.
    public var traits: [String: String]

    public init(
        channels: [String] = ["email", "sms", "push", "postal", "phone"],
        events: [EventConsent] = ConsentPolicy.defaultEvents,
        properties: [String: String] = ConsentPolicy.defaultProperties,
        traits: [String: String] = ConsentPolicy.defaultTraits
    ) {
        self.channels = channels
        self.events = events
        self.properties = properties
        self.traits = traits
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ConsentPolicy()
        channels = try container.decodeIfPresent([String].self, forKey: .channels) ?? defaults.channels
        events = try container.decodeIfPresent([EventConsent].self, forKey: .events) ?? defaults.events
        properties = try container.decodeIfPresent([String: String].self, forKey: .properties) ?? defaults.properties
        traits = try container.decodeIfPresent([String: String].self, forKey: .traits) ?? defaults.traits
    }

    public static let defaultEvents: [EventConsent] = [
        EventConsent(when: .event("Newsletter Subscribed", "Email Subscribed", "Subscribed"), channel: "email", granted: true),
        EventConsent(when: .event("Unsubscribed", "Email Unsubscribed", "Newsletter Unsubscribed"), channel: "email",
                     granted: false),
        EventConsent(when: .event("SMS Opt-In", "SMS Subscribed"), channel: "sms", granted: true),
        EventConsent(when: .event("SMS Opt-Out", "SMS Unsubscribed"), channel: "sms", granted: false),
        EventConsent(when: .event("Push Enabled", "Push Notifications Enabled"), channel: "push", granted: true),
        EventConsent(when: .event("Push Disabled", "Push Notifications Disabled"), channel: "push", granted: false),
        EventConsent(when: .event("Postal Opt-Out", "Mail Opt-Out"), channel: "postal", granted: false),
        EventConsent(when: .event("Phone Opt-Out", "Do Not Call"), channel: "phone", granted: false),
    ]

    public static let defaultProperties: [String: String] = [
        "optin_email": "email", "optin_sms": "sms", "optin_push": "push", "optin_postal": "postal", "optin_phone": "phone",
    ]

    public static let defaultTraits: [String: String] = [
        "emailOptIn": "email", "smsOptIn": "sms", "pushOptIn": "push", "postalOptIn": "postal", "phoneOptIn": "phone",
        "optin_email": "email", "optin_sms": "sms",
    ]
}
