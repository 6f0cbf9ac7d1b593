/// A customer id as the engine holds it: the 64-bit keyed hash written `cus_` and 16 hex
/// digits (``description``), which is how tables, exports and users see it.
///
/// Hashing and comparing an integer is what resolution does for every event; the text is
/// made only when a row is written or an id is shown.
struct CustomerID: Hashable, Comparable, Sendable, CustomStringConvertible {
    let hash: UInt64

    init(hash: UInt64) {
        self.hash = hash
    }

    /// Reads `cus_` and 16 hex digits, in either case as people copy them (`CUS_…`); `nil`
    /// for anything else.
    init?(_ text: some StringProtocol) {
        guard text.utf8.count == 20, text.prefix(4).lowercased() == "cus_",
              let value = UInt64(text.dropFirst(4), radix: 16) else {
            return nil
        }
        hash = value
    }

    var description: String {
        let digits = String(hash, radix: 16)
        return "cus_" + String(repeating: "0", count: 16 - digits.count) + digits
    }

    static func < (lhs: CustomerID, rhs: CustomerID) -> Bool { lhs.hash < rhs.hash }

    func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
    }

    /// What sets and dictionaries hash a customer id by. The id is a keyed SipHash of its
    /// anchor already, spread evenly and out of an input's reach; running it through
    /// `Hasher` again (a SipHash per look-up) was a twentieth of the writer's instructions,
    /// a million look-ups per 100,000 events. The table's seed is still mixed in, so tables
    /// of different sizes do not order their ids alike.
    func _rawHashValue(seed: Int) -> Int {
        let mixed = (hash ^ UInt64(UInt(bitPattern: seed))) &* 0x9E37_79B9_7F4A_7C15
        return Int(Int64(bitPattern: mixed ^ (mixed &>> 29)))
    }

    /// The id as derived tables store it: the same 64 bits as a signed integer (SQL shows it
    /// as text with `printf('cus_%016x', customer)`).
    var storageValue: Int64 { Int64(bitPattern: hash) }

    init(storageValue: Int64) {
        hash = UInt64(bitPattern: storageValue)
    }
}
