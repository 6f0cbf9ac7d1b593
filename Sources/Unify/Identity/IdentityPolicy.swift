import Foundation

/// The rules identity resolution follows: how many identifiers of a kind one customer may
/// have, which values never link, when an identifier counts as a hub, and the country that
/// national phone numbers belong to.
///
/// Read from `<store>.config.json` beside the store (`unify.config.json` for `unify.db`)
/// when it exists; every field is optional and falls back to the defaults below, which suit
/// most shops. See docs/CONFIGURATION.md. Changing it changes how the log is read: run
/// `unify rebuild` afterwards.
public struct IdentityPolicy: Sendable, Hashable, Codable {
    /// Most identifiers of each kind one customer may hold. Kinds not listed here: external
    /// ids (loyalty, CRM…) take ``externalLimit``.
    public var limits: [String: Int]
    /// The limit for external id kinds (`loyalty_id`, `crm_id`, …) not named in ``limits``.
    public var externalLimit: Int
    /// An identifier seen with more than this many distinct witnesses of one kind (or than
    /// that kind's limit, if larger) is a hub and stops linking. Witnesses are identifiers of
    /// kinds limited to one per customer (user ids, loyalty ids…), emails and phones.
    public var hubThreshold: Int
    /// ``hubThreshold`` for particular kinds. A device seen with two accounts is a shared
    /// family tablet, and its logged-out sessions cannot be told apart: by default a device
    /// stops linking as soon as a second account uses it. So does a record identifier (`record`,
    /// a probabilistic link) seen with two accounts of one kind: the offline record fits two
    /// customers equally well (namesakes in one postcode), and joins neither.
    public var hubThresholds: [String: Int]
    /// Values that never link, by kind (`"email"`, `"phone"`, or `"*"` for every kind),
    /// compared after normalisation. An entry ending in `@` matches an email's local part.
    public var junk: [String: [String]]
    /// ISO 3166 country of phone numbers written in national form (`06 12 34 56 78`).
    public var defaultCountry: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case limits, externalLimit = "external_limit", hubThreshold = "hub_threshold", junk
        case hubThresholds = "hub_thresholds"
        case defaultCountry = "default_country"
    }

    public init(
        limits: [String: Int] = IdentityPolicy.defaultLimits, externalLimit: Int = 1, hubThreshold: Int = 3,
        hubThresholds: [String: Int] = ["device_id": 1, "record": 1],
        junk: [String: [String]] = IdentityPolicy.defaultJunk, defaultCountry: String? = "FR"
    ) {
        self.limits = limits
        self.externalLimit = externalLimit
        self.hubThreshold = hubThreshold
        self.hubThresholds = hubThresholds
        self.junk = junk
        self.defaultCountry = defaultCountry
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = IdentityPolicy()
        limits = defaults.limits.merging(try container.decodeWholeNumbersIfPresent(forKey: .limits) ?? [:]) { $1 }
        externalLimit = try container.decodeWholeNumberIfPresent(forKey: .externalLimit) ?? defaults.externalLimit
        hubThreshold = try container.decodeWholeNumberIfPresent(forKey: .hubThreshold) ?? defaults.hubThreshold
        hubThresholds = defaults.hubThresholds.merging(
            try container.decodeWholeNumbersIfPresent(forKey: .hubThresholds) ?? [:]) { $1 }
        junk = defaults.junk.merging(try container.decodeIfPresent([String: [String]].self, forKey: .junk) ?? [:]) {
            $0 + $1
        }
        defaultCountry = try container.decodeIfPresent(String.self, forKey: .defaultCountry) ?? defaults.defaultCountry
    }

    /// One user id per customer; a person may change email or phone a few times, and use a
    /// few devices; anonymous ids (cookies) are unlimited.
    public static let defaultLimits: [String: Int] = [
        "user_id": 1, "email": 3, "phone": 3, "device_id": 10, "anonymous_id": Int.max,
    ]

    /// Placeholders that tills, forms and call centres type when the customer gives nothing.
    public static let defaultJunk: [String: [String]] = [
        "email": ["test@test.com", "test@example.com", "email@email.com", "a@a.com", "noemail@", "no-email@",
                  "nomail@", "no.email@", "noreply@", "no-reply@", "none@", "unknown@", "invalid@", "null@",
                  "nobody@", "anonymous@", "magasin@", "client@", "customer@"],
        "phone": ["+33000000000", "+33100000000", "+33123456789", "0000000000", "1234567890", "0123456789"],
        "*": ["anonymous", "guest", "unknown", "test", "none", "n/a", "-1"],
    ]
}

extension IdentityPolicy {
    /// The configuration file that belongs to the store at `storePath`.
    public static func configurationPath(forStoreAt storePath: String) -> String {
        let url = URL(fileURLWithPath: storePath)
        let base = url.pathExtension.isEmpty ? url : url.deletingPathExtension()
        return base.path + ".config.json"
    }

    /// The policy in the configuration file beside the store, or the defaults when there is none.
    public static func load(forStoreAt storePath: String) throws(UnifyError) -> IdentityPolicy {
        struct File: Decodable { var identity: IdentityPolicy? }
        return try ConfigurationFile.read(File.self, forStoreAt: storePath)?.identity ?? IdentityPolicy()
    }
}
