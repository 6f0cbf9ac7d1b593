/// The tape positions of the top-level keys the decoder reads, in both spellings.
///
/// When a line has both spellings (`userId` and `user_id`), the camelCase one is the
/// Segment spec's and wins; when a key is repeated, the last occurrence wins.
struct TopLevelFields {
    var typeCamel: Int?, action: Int?
    var messageIDCamel: Int?, messageIDSnake: Int?, nativeID: Int?
    var timestamp: Int?
    var originalTimestampCamel: Int?, originalTimestampSnake: Int?
    var sentAtCamel: Int?, sentAtSnake: Int?
    var receivedAtCamel: Int?, receivedAtSnake: Int?
    var userIDCamel: Int?, userIDSnake: Int?
    var anonymousIDCamel: Int?, anonymousIDSnake: Int?
    var previousIDCamel: Int?, previousIDSnake: Int?
    var groupIDCamel: Int?, groupIDSnake: Int?
    var event: Int?, name: Int?, traits: Int?, properties: Int?, context: Int?
    var channel: Int?, source: Int?, identifiers: Int?

    var type: Int? { typeCamel ?? action }
    var typeName: String { typeCamel != nil ? "type" : "action" }
    var messageID: Int? { messageIDCamel ?? messageIDSnake ?? nativeID }
    var messageIDName: String {
        messageIDCamel != nil ? "messageId" : messageIDSnake != nil ? "message_id" : "id"
    }
    var userID: Int? { userIDCamel ?? userIDSnake }
    var anonymousID: Int? { anonymousIDCamel ?? anonymousIDSnake }
    var previousID: Int? { previousIDCamel ?? previousIDSnake }
    var groupID: Int? { groupIDCamel ?? groupIDSnake }

    /// The first time field present and not null, in the order the Segment spec falls back
    /// through them.
    func time(in document: JSONDocument) -> (field: String, token: Int)? {
        func present(_ token: Int?) -> Int? { token.flatMap { document.kind($0) == .null ? nil : $0 } }
        if let token = present(timestamp) { return ("timestamp", token) }
        if let token = present(originalTimestampCamel ?? originalTimestampSnake) { return ("originalTimestamp", token) }
        if let token = present(sentAtCamel ?? sentAtSnake) { return ("sentAt", token) }
        if let token = present(receivedAtCamel ?? receivedAtSnake) { return ("receivedAt", token) }
        return nil
    }

    mutating func record(key: Int, value: Int, in document: JSONDocument) {
        if document[key].escaped {
            // The raw length of a key written with escapes says nothing; compare its text.
            recordEscaped(document.string(key), value: value)
            return
        }
        recordPlain(key: key, value: value, in: document)
    }

    private mutating func recordPlain(key: Int, value: Int, in document: JSONDocument) {
        func isKey(_ text: StaticString) -> Bool { document.isString(key, equalTo: text) }
        switch document[key].end - document[key].start {
        case 2: if isKey("id") { nativeID = value }
        case 4:
            if isKey("type") { typeCamel = value } else if isKey("name") { name = value }
        case 5: if isKey("event") { event = value }
        case 6:
            if isKey("userId") { userIDCamel = value }
            else if isKey("traits") { traits = value }
            else if isKey("sentAt") { sentAtCamel = value }
            else if isKey("source") { source = value }
            else if isKey("action") { action = value }
        case 7:
            if isKey("context") { context = value }
            else if isKey("channel") { channel = value }
            else if isKey("user_id") { userIDSnake = value }
            else if isKey("groupId") { groupIDCamel = value }
            else if isKey("sent_at") { sentAtSnake = value }
        case 8: if isKey("group_id") { groupIDSnake = value }
        case 9:
            if isKey("messageId") { messageIDCamel = value } else if isKey("timestamp") { timestamp = value }
        case 10:
            if isKey("properties") { properties = value }
            else if isKey("receivedAt") { receivedAtCamel = value }
            else if isKey("message_id") { messageIDSnake = value }
            else if isKey("previousId") { previousIDCamel = value }
        case 11:
            if isKey("anonymousId") { anonymousIDCamel = value }
            else if isKey("identifiers") { identifiers = value }
            else if isKey("received_at") { receivedAtSnake = value }
            else if isKey("previous_id") { previousIDSnake = value }
        case 12: if isKey("anonymous_id") { anonymousIDSnake = value }
        case 17: if isKey("originalTimestamp") { originalTimestampCamel = value }
        case 18: if isKey("original_timestamp") { originalTimestampSnake = value }
        default: break
        }
    }

    /// A key written with escapes, matched on its decoded text against every key read.
    private mutating func recordEscaped(_ key: String, value: Int) {
        let keys: [String: WritableKeyPath<TopLevelFields, Int?>] = [
            "id": \.nativeID, "type": \.typeCamel, "name": \.name, "event": \.event, "userId": \.userIDCamel,
            "traits": \.traits, "sentAt": \.sentAtCamel, "source": \.source, "action": \.action, "context": \.context,
            "channel": \.channel, "user_id": \.userIDSnake, "groupId": \.groupIDCamel, "sent_at": \.sentAtSnake,
            "group_id": \.groupIDSnake, "messageId": \.messageIDCamel, "timestamp": \.timestamp,
            "properties": \.properties, "receivedAt": \.receivedAtCamel, "message_id": \.messageIDSnake,
            "previousId": \.previousIDCamel, "anonymousId": \.anonymousIDCamel, "identifiers": \.identifiers,
            "received_at": \.receivedAtSnake, "previous_id": \.previousIDSnake, "anonymous_id": \.anonymousIDSnake,
            "originalTimestamp": \.originalTimestampCamel, "original_timestamp": \.originalTimestampSnake,
        ]
        if let path = keys[key] { self[keyPath: path] = value }
    }
}

/// What the decoder reads inside `context`.
struct ContextFields {
    var traits: Int?
    /// `externalIds` (Segment) and `externalId` (RudderStack) arrays.
    var externalIDs: [Int] = []
    var deviceID: Int?
    var channel: Int?

    init() {}

    init(_ document: JSONDocument, _ context: Int) {
        guard document.kind(context) == .object else { return }
        document.forEachMember(of: context) { key, value in
            if document.isString(key, equalTo: "traits") {
                traits = value
            } else if document.isString(key, equalTo: "externalIds") || document.isString(key, equalTo: "externalId") {
                if document.kind(value) == .array { externalIDs.append(value) }
            } else if document.isString(key, equalTo: "device"), document.kind(value) == .object {
                document.forEachMember(of: value) { deviceKey, deviceValue in
                    if document.isString(deviceKey, equalTo: "id") { deviceID = deviceValue }
                }
            } else if document.isString(key, equalTo: "channel") {
                channel = value
            }
        }
    }
}

/// Gathers an event's identifiers in the order found, without repeats, up to a limit: a
/// line listing thousands of ids is a data dump, not a person, and the rest stay in its JSON.
struct IdentifierCollector {
    static let limit = 64
    private(set) var found: [Identifier] = []
    private var seen: Set<Identifier> = []

    private mutating func append(_ identifier: Identifier?) {
        guard let identifier, found.count < IdentifierCollector.limit else { return }
        // A handful is the rule: a linear scan beats hashing until the list grows.
        if found.count < 8 {
            guard !found.contains(identifier) else { return }
            if found.count == 7 { seen = Set(found + [identifier]) }
        } else {
            guard seen.insert(identifier).inserted else { return }
        }
        found.append(identifier)
    }

    /// A top-level id field: text, a number, or null; any other type rejects the line.
    mutating func add(_ kind: Identifier.Kind, _ document: JSONDocument, _ token: Int?, field: String)
        throws(LineFault)
    {
        if let text = try EventDecoder.optionalIdentifierText(document, token, field: field) {
            append(Identifier(kind: kind, value: text))
        }
    }

    /// A value inside the payload: text or a number is an identifier; any other type is
    /// kept in the payload but identifies nobody, and never rejects the line.
    mutating func addLenient(_ kind: Identifier.Kind, _ document: JSONDocument, _ token: Int) {
        switch document.kind(token) {
        case .string where document[token].escaped: append(Identifier(kind: kind, value: document.string(token)))
        case .string, .number: append(Identifier(kind: kind, utf8: document.rawBytes(token)))
        default: break
        }
    }

    /// `email` and `phone` among traits.
    mutating func addTraits(_ document: JSONDocument, _ traits: Int) {
        document.forEachMember(of: traits) { key, value in
            if document.isString(key, equalTo: "email") {
                addLenient(.email, document, value)
            } else if document.isString(key, equalTo: "phone") {
                addLenient(.phone, document, value)
            }
        }
    }

    /// The native form's `identifiers` object: `{kind: value}` or `{kind: [values]}`.
    mutating func addNative(_ document: JSONDocument, _ object: Int) {
        guard document.kind(object) == .object else { return }
        document.forEachMember(of: object) { key, value in
            let kind = Identifier.Kind(inputName: document.string(key))
            if document.kind(value) == .array {
                document.forEachElement(of: value) { addLenient(kind, document, $0) }
            } else {
                addLenient(kind, document, value)
            }
        }
    }

    /// `context.externalIds` entries: `{"id": …, "type": …}`.
    mutating func addExternal(_ document: JSONDocument, _ array: Int) {
        document.forEachElement(of: array) { entry in
            guard document.kind(entry) == .object else { return }
            var id: Int?
            var type: String?
            document.forEachMember(of: entry) { key, value in
                if document.isString(key, equalTo: "id") {
                    id = value
                } else if document.isString(key, equalTo: "type"), document.kind(value) == .string {
                    type = document.string(value)
                }
            }
            if let id {
                addLenient(Identifier.Kind(inputName: type.map { $0.isEmpty ? "external_id" : $0 } ?? "external_id"),
                           document, id)
            }
        }
    }
}
