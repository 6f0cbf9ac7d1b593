/// Makes customer ids (`cus_` and 16 hex digits) from a customer's most authoritative
/// identifier, through SipHash keyed with the store's secret: the same person gets the same
/// id whatever order their data arrives in, and the id reveals nothing about them.
struct CustomerIDs: Sendable {
    private let hasher: SipHash

    init(secret: (UInt64, UInt64)) {
        hasher = SipHash(key0: secret.0, key1: secret.1)
    }

    /// The id of a customer whose most authoritative identifier is `anchor`.
    func id(anchor: Identifier) -> CustomerID {
        id(anchorText: anchor.description)
    }

    /// The id of a customer known only by one event, with no identifier (a till receipt
    /// with a name and a postcode).
    func id(eventID: String) -> CustomerID {
        id(anchorText: "event:" + eventID)
    }

    /// The id made from an anchor as the store writes it: `kind:value`, or `event:<id>`.
    func id(anchorText: String) -> CustomerID {
        CustomerID(hash: hasher.hash(anchorText))
    }
}
