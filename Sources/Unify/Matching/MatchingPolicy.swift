/// How probabilistic matching joins offline records that share no identifier with anyone:
/// the `matching` section of the configuration file (docs/CONFIGURATION.md).
///
/// The m and u probabilities are not configuration: `unify train` estimates them from the
/// store's own records and saves them in the store, and until then unify uses reasoned
/// defaults (``MatchModel/default``).
public struct MatchingPolicy: Sendable, Hashable, Codable {
    /// Whether records are matched at all. Off by default: it costs a look-up and several
    /// comparisons per record, and on a customer base where many people share a name and a
    /// postcode it joins some of them (measured figures in Benchmarks/README.md).
    public var enabled: Bool
    /// Two records are linked when their match weight (log2 of the posterior odds that they
    /// are one person) is at least this: 0 is even odds, 6.6 a probability of 0.99.
    public var threshold: Double
    /// Blocks shared by more records than this are not compared: a key that many share
    /// (a common name in a big town) says little and would cost the square of its size.
    public var maximumBlockSize: Int
    /// Pairs whose first names, birthdays (outright, or complete dates within a year) or
    /// phones disagree are never linked, whatever their weight: relatives at one address
    /// share everything else.
    public var holdBackRelatives: Bool

    public init(enabled: Bool = false, threshold: Double = 6, maximumBlockSize: Int = 100, holdBackRelatives: Bool = true) {
        self.enabled = enabled
        self.threshold = threshold
        self.maximumBlockSize = maximumBlockSize
        self.holdBackRelatives = holdBackRelatives
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled, threshold
        case maximumBlockSize = "maximum_block_size"
        case holdBackRelatives = "hold_back_relatives"
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = MatchingPolicy()
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? defaults.enabled
        threshold = try container.decodeIfPresent(Double.self, forKey: .threshold) ?? defaults.threshold
        maximumBlockSize = try container.decodeWholeNumberIfPresent(forKey: .maximumBlockSize) ?? defaults.maximumBlockSize
        holdBackRelatives = try container.decodeIfPresent(Bool.self, forKey: .holdBackRelatives) ?? defaults.holdBackRelatives
        guard maximumBlockSize >= 2 else {
            throw DecodingError.dataCorruptedError(forKey: .maximumBlockSize, in: container,
                                                   debugDescription: "must be at least 2")
        }
    }

    /// The policy in the configuration file beside the store, or the defaults.
    public static func load(forStoreAt storePath: String) throws(UnifyError) -> MatchingPolicy {
        struct File: Decodable { var matching: MatchingPolicy? }
        return try ConfigurationFile.read(File.self, forStoreAt: storePath)?.matching ?? MatchingPolicy()
    }
}
