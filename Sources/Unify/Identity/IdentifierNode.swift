/// An identifier as the identity graph holds it: its status, the component it is part of,
/// the customer it is attached to, and the witnesses it was seen with.
///
/// `key` is the 64-bit digest of `kind:value` that names it in the store (the next free
/// integer on a clash, as event keys do).
struct IdentifierNode: Sendable {
    /// Whether an identifier may link events.
    enum Status: String, Sendable {
        /// It links the events that carry it.
        case linking
        /// A placeholder (from the configuration or a pattern such as `0000000000`): never links.
        case junk
        /// Seen with too many distinct accounts (a till's email, a family tablet): no longer links.
        case hub
    }

    var key: Int64
    var identifier: Identifier
    var status: Status
    /// The connected set of events and linking identifiers it is part of (linking only).
    var component: Int64?
    /// The customer it is attached to; `nil` for junk, hubs, and an identifier no customer
    /// could take without breaking a limit.
    var customerID: CustomerID?
    var witnesses: WitnessSet
}

/// Which witnesses (identifiers of kinds limited to one per customer, emails and phones) an
/// identifier was seen with, up to one more than any threshold per kind: enough to tell a
/// hub, never more.
///
/// Counts over the whole store, so a hub is a hub whatever order its events arrived in.
struct WitnessSet: Sendable, Hashable {
    struct Entry: Sendable, Hashable {
        var kind: Identifier.Kind
        var key: Int64
    }

    /// In key order: the same witnesses make the same set (and the same stored text) in
    /// whatever order they were seen.
    private(set) var entries: [Entry] = []

    init() {}

    /// Records `witness` of `kind`; returns how many distinct witnesses of that kind there are
    /// now, or `nil` when it was already known.
    mutating func insert(_ witness: Int64, kind: Identifier.Kind) -> Int? {
        // Keys name identifiers of every kind, so a key alone tells a known witness.
        let position = entries.firstIndex { $0.key >= witness } ?? entries.endIndex
        guard position == entries.endIndex || entries[position].key != witness else { return nil }
        entries.insert(Entry(kind: kind, key: witness), at: position)
        return entries.reduce(0) { $0 + ($1.kind == kind ? 1 : 0) }
    }

    /// Whether `witness` is recorded.
    func contains(_ witness: Int64) -> Bool {
        entries.contains { $0.key == witness }
    }

    /// `kind:key kind:key …`: compact, readable with SQL's string functions.
    var encoded: String { String(decoding: encodedBytes, as: UTF8.self) }

    /// ``encoded`` as UTF-8, written without interpolating a string per entry: every
    /// identifier a write-back writes is encoded.
    var encodedBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * 32)
        for (index, entry) in entries.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: " ")) }
            bytes.append(contentsOf: entry.kind.rawValue.utf8)
            bytes.append(UInt8(ascii: ":"))
            DecimalText.append(entry.key, to: &bytes)
        }
        return bytes
    }

    /// Reads ``encoded`` back; read for every identifier loaded, so on bytes.
    init(encoded text: String) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != UInt8(ascii: " ") { end += 1 }
                var colon = end - 1
                while colon > start && bytes[colon] != UInt8(ascii: ":") { colon -= 1 }
                if colon > start, let key = WitnessSet.integer(UnsafeBufferPointer(rebasing: bytes[(colon + 1)..<end])) {
                    let kind = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<colon]), as: UTF8.self)
                    entries.append(Entry(kind: Identifier.Kind(stored: kind), key: key))
                }
                start = end + 1
            }
        }
        // Stores written before the order was kept.
        if !entries.indices.dropFirst().allSatisfy({ entries[$0 - 1].key < entries[$0].key }) {
            entries.sort { $0.key < $1.key }
        }
    }

    /// A witness's key: decimal digits with an optional minus, as ``encoded`` writes them.
    private static func integer(_ digits: UnsafeBufferPointer<UInt8>) -> Int64? {
        digits.first == UInt8(ascii: "+") ? nil : DecimalText.integer(digits)
    }
}

/// What the identity graph keeps of a customer: the summary that limits and names it, its
/// latest event in canonical order (which decides whether a new event can be placed on top
/// of it), and its events.
struct CustomerNode: Sendable {
    var summary: ClusterBuilder.Summary
    var last: EventPosition
    var eventList: EventList

    var events: Int64 { Int64(eventList.count) }

    /// What the customer's id is made from: `kind:value` of its anchor, or `event:<id>` for a
    /// customer with no identifier (whose only event is its last).
    var anchor: String {
        summary.anchor?.description ?? "event:" + last.eventID
    }
}

/// What resolution keeps of an event: its identifiers (junk and hubs included, in
/// resolution order), whether it is an alias call, and where it stands.
struct EventIdentity: Sendable {
    var seq: Int64
    var position: EventPosition
    var identifierKeys: [Int64]
    var explicit: Bool
}
