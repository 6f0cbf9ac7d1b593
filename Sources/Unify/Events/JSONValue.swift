/// A JSON value as it arrived, with object keys in their original order.
///
/// Numbers keep their literal text, so a price written `29.00` is still `29.00` when the
/// event is exported again; ``JSONValue/doubleValue`` reads it as a number.
///
/// ```swift
/// let plan = event.traits["plan"]?.stringValue   // "premium"
/// ```
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number, as its JSON literal (`29.00`, `-1e3`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The text of a string, or the literal of a number; `nil` for other kinds.
    public var stringValue: String? {
        switch self {
        case .string(let text), .number(let text): text
        default: nil
        }
    }

    /// The value of a number, or of a string that holds a number; `nil` otherwise.
    public var doubleValue: Double? {
        switch self {
        case .number(let literal), .string(let literal): Double(literal)
        default: nil
        }
    }

    /// The members of an object; `nil` for other kinds.
    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }
}

/// A JSON object: its members in the order they were written.
///
/// Lookup by key is linear, which is faster than hashing for the handful of traits or
/// properties an event carries. When a key is repeated, the last occurrence wins, as in
/// JavaScript.
public struct JSONObject: Sendable, Hashable, RandomAccessCollection {
    /// One key and its value.
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public private(set) var members: [Member]

    /// Creates an object from members in order.
    public init(_ members: [Member] = []) {
        self.members = members
    }

    public var startIndex: Int { members.startIndex }
    public var endIndex: Int { members.endIndex }
    public subscript(position: Int) -> Member { members[position] }

    /// The value of the last member named `key`, if any.
    public subscript(key: String) -> JSONValue? {
        get { members.last(where: { $0.key == key })?.value }
        set {
            members.removeAll { $0.key == key }
            if let newValue { members.append(Member(key: key, value: newValue)) }
        }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { Member(key: $0.0, value: $0.1) })
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    public init(integerLiteral value: Int) { self = .number(String(value)) }
    public init(floatLiteral value: Double) { self = .number(String(value)) }
}
