/// The policy turned into the questions resolution asks of every identifier: its limit,
/// its priority, whether it is junk, and its identity form (phones in E.164).
struct IdentityRules: Sendable {
    let policy: IdentityPolicy
    private let phones: PhoneNumbers
    private let junkValues: [String: Set<String>]
    private let junkEmailLocalParts: Set<String>
    private let junkAnyKind: Set<String>
    private let longestJunkForAnyKind: Int
    /// The limit and hub threshold of every kind the policy names and of the well-known ones,
    /// asked for every identifier of every event: a scan of short names compared as bytes
    /// costs less than hashing one name.
    private let kindRules: [(kind: Identifier.Kind, limit: Int, hubThreshold: Int)]

    init(policy: IdentityPolicy) {
        self.policy = policy
        let named = Set(policy.limits.keys).union(policy.hubThresholds.keys).map(Identifier.Kind.init(stored:))
        let wellKnown: [Identifier.Kind] = [.userID, .anonymousID, .email, .phone, .deviceID, .previousID, .matchRecord]
        kindRules = (wellKnown + named.filter { !wellKnown.contains($0) }.sorted()).map { kind in
            (kind, IdentityRules.limit(kind, policy: policy), IdentityRules.hubThreshold(kind, policy: policy))
        }
        let phones = PhoneNumbers(defaultCountry: policy.defaultCountry)
        self.phones = phones
        var values: [String: Set<String>] = [:]
        var localParts: Set<String> = []
        for (kind, entries) in policy.junk where kind != "*" {
            for entry in entries {
                if kind == "email" && entry.hasSuffix("@") {
                    localParts.insert(String(entry.dropLast()).lowercased())
                } else if kind == "phone", let phone = Identifier(kind: .phone, value: entry) {
                    values[kind, default: []].insert(phones.e164(phone.value))
                } else {
                    values[kind, default: []].insert(kind == "email" ? entry.lowercased() : entry)
                }
            }
        }
        junkValues = values
        junkEmailLocalParts = localParts
        junkAnyKind = Set((policy.junk["*"] ?? []).map { $0.lowercased() })
        // Lower-casing can change a value's length in bytes, but never beyond three times.
        longestJunkForAnyKind = 3 * (junkAnyKind.map(\.utf8.count).max() ?? 0)
    }

    /// Most identifiers of `kind` one customer may hold.
    func limit(_ kind: Identifier.Kind) -> Int {
        for entry in kindRules where entry.kind == kind { return entry.limit }
        // Neither named by the policy nor well known: an external id kind.
        return policy.externalLimit
    }

    private static func limit(_ kind: Identifier.Kind, policy: IdentityPolicy) -> Int {
        policy.limits[kind.rawValue] ?? (IdentityRules.isWellKnown(kind) ? Int.max : policy.externalLimit)
    }

    /// How many distinct anchors of one kind an identifier of `kind` may be seen with before
    /// it counts as a hub.
    func hubThreshold(_ kind: Identifier.Kind) -> Int {
        for entry in kindRules where entry.kind == kind { return entry.hubThreshold }
        return policy.hubThreshold
    }

    private static func hubThreshold(_ kind: Identifier.Kind, policy: IdentityPolicy) -> Int {
        policy.hubThresholds[kind.rawValue] ?? policy.hubThreshold
    }

    /// Kinds limited to one per customer: the identifiers whose co-occurrence reveals a hub.
    func isAnchor(_ kind: Identifier.Kind) -> Bool { limit(kind) == 1 }

    static func isWellKnown(_ kind: Identifier.Kind) -> Bool {
        [.userID, .anonymousID, .email, .phone, .deviceID, .previousID, .matchRecord].contains(kind)
    }

    /// How authoritative a kind is: a customer's id derives from its most authoritative
    /// identifier, and an event joins the customer of its most authoritative one.
    static func priority(_ kind: Identifier.Kind) -> Int {
        switch kind {
        case .userID: 0
        case .email: 2
        case .phone: 3
        case .deviceID: 4
        case .anonymousID: 5
        case .matchRecord: 6
        default: 1
        }
    }

    /// Identifiers in resolution order: by priority, then kind, then value (as UTF-8 bytes,
    /// the order SQLite and the digests use).
    static func precedes(_ lhs: Identifier, _ rhs: Identifier) -> Bool {
        let (left, right) = (priority(lhs.kind), priority(rhs.kind))
        if left != right { return left < right }
        if lhs.kind != rhs.kind { return lhs.kind.rawValue.utf8.lexicographicallyPrecedes(rhs.kind.rawValue.utf8) }
        return lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
    }

    /// The forms an alias call's `previousId` takes among an event's identifiers: the value
    /// that stands both as a user id and as an anonymous id.
    static func previousIDForms(in identifiers: [Identifier]) -> Set<Identifier> {
        let anonymous = Set(identifiers.filter { $0.kind == .anonymousID }.map(\.value))
        var forms: Set<Identifier> = []
        for identifier in identifiers where identifier.kind == .userID && anonymous.contains(identifier.value) {
            forms.insert(identifier)
            forms.insert(Identifier(normalised: identifier.value, kind: .anonymousID))
        }
        return forms
    }

    /// Kinds whose distinct values seen with an identifier reveal a hub: those limited to
    /// one per customer, and emails and phones (a cookie shared by a family's guest
    /// checkouts, the shop's own phone typed for shoppers).
    func isWitness(_ kind: Identifier.Kind) -> Bool {
        isAnchor(kind) || kind == .email || kind == .phone
    }

    /// How many distinct witnesses of `witness` kind an identifier of `kind` may be seen with.
    func hubThreshold(_ kind: Identifier.Kind, witness: Identifier.Kind) -> Int {
        max(hubThreshold(kind), limit(witness))
    }

    /// Whether an identifier is a placeholder that never links: from the configuration, or a
    /// phone of one repeated digit or a run.
    func isJunk(_ identifier: Identifier) -> Bool {
        if identifier.kind == .matchRecord { return false }
        let value = identifier.value
        if value.utf8.count <= longestJunkForAnyKind && junkAnyKind.contains(value.lowercasedWithoutCopying()) { return true }
        if junkValues[identifier.kind.rawValue]?.contains(value) == true { return true }
        switch identifier.kind {
        case .email:
            guard !junkEmailLocalParts.isEmpty, let at = value.utf8.firstIndex(of: UInt8(ascii: "@")) else { return false }
            return junkEmailLocalParts.contains(String(value[..<at]))
        case .phone:
            // A national number of one repeated digit, or a run like 123456789, is a placeholder.
            let digits = value.utf8.filter { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            let significant = digits.suffix(9)
            guard let first = significant.first else { return false }
            return significant.allSatisfy { $0 == first } || IdentityRules.isRun(significant, in: "01234567890")
                || IdentityRules.isRun(significant, in: "98765432109")
        default:
            return false
        }
    }

    private static func isRun(_ digits: ArraySlice<UInt8>, in run: StaticString) -> Bool {
        let run = UnsafeBufferPointer(start: run.utf8Start, count: run.utf8CodeUnitCount)
        guard digits.count <= run.count else { return false }
        return (0...(run.count - digits.count)).contains { start in
            run[start..<(start + digits.count)].elementsEqual(digits)
        }
    }

    /// The identifiers an event brings to resolution, in their identity form and order.
    ///
    /// An alias call's `previousId` may be an anonymous id or a user id, so it stands for
    /// both; the call is explicit evidence that the two ids are one person, which is why
    /// its links are made even past the per-kind limits (``explicit``).
    func identityIdentifiers(of event: Event) -> (identifiers: [Identifier], explicit: Bool) {
        var found: [Identifier] = []
        for identifier in event.identifiers {
            let forms: [Identifier]
            switch identifier.kind {
            case .phone:
                forms = [Identifier(normalised: phones.e164(identifier.value), kind: .phone)]
            case .previousID:
                forms = [Identifier(normalised: identifier.value, kind: .userID),
                         Identifier(normalised: identifier.value, kind: .anonymousID)]
            default:
                forms = [identifier]
            }
            for form in forms where !found.contains(form) { found.append(form) }
        }
        found.sort(by: IdentityRules.precedes)
        return (found, event.kind == .alias && event.identifiers.contains { $0.kind == .previousID })
    }
}

/// An event's identifiers as resolution reads them: in their identity form and resolution
/// order, each with the digest that keys it in the store, and whether the event is an alias
/// call. Prepared on the decoding threads, so the one thread that writes does not hash.
struct IdentityKeys: Sendable {
    var identifiers: [Identifier]
    var digests: [Int64]
    /// Which identifiers are placeholders (``IdentityRules/isJunk(_:)``).
    var junk: [Bool]
    var explicit: Bool

    /// Adds identifiers the event did not carry itself (record identifiers, which are never
    /// junk), keeping resolution order.
    mutating func add(_ more: [Identifier]) {
        var all = identifiers.indices.map { (identifiers[$0], digests[$0], junk[$0]) }
        for identifier in more where !identifiers.contains(identifier) {
            all.append((identifier, identifier.digestKey, false))
        }
        all.sort { IdentityRules.precedes($0.0, $1.0) }
        identifiers = all.map(\.0)
        digests = all.map(\.1)
        junk = all.map(\.2)
    }
}

extension IdentityRules {
    /// The identity keys of an event (see ``identityIdentifiers(of:)``).
    func identityKeys(of event: Event) -> IdentityKeys {
        let (identifiers, explicit) = identityIdentifiers(of: event)
        return IdentityKeys(identifiers: identifiers, digests: identifiers.map(\.digestKey),
                            junk: identifiers.map(isJunk), explicit: explicit)
    }
}

extension Identifier {
    /// An identifier whose value is already normalised.
    init(normalised value: String, kind: Kind) {
        self.init(trustedKind: kind, value: value)
    }
}
