/// Makes customer ids (`cus_` and 16 hex digits) from a customer's most authoritative
/// identifier, through SipHash keyed with the store's secret: the same person gets the same
/// id whatever order their data arrives in, and the id reveals nothing about them.
struct CustomerIDs: Sendable {
    private let hasher: SipHash

    init(secret: (UInt64, UInt64)) {
        hasher = SipHash(key0: secret.0, key1: secret.1)
    }

    /// The id of a customer whose most authoritative identifier is `anchor`.
    func id(anchor: Identifier) -> String {
        format(hasher.hash(anchor.description))
    }

    /// The id of a customer known only by one event, with no identifier (a till receipt
    /// with a name and a postcode).
    func id(eventID: String) -> String {
        format(hasher.hash("event:" + eventID))
    }

    private func format(_ value: UInt64) -> String {
        let hex = String(value, radix: 16)
        return "cus_" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
