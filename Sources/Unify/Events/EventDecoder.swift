/// Decodes one line of NDJSON, in either dialect, into an ``Event``, or says why it cannot.
///
/// A line with a `type` (or the legacy `action`) is Segment spec; any other object is the
/// flat native form. Both spellings of Segment's keys are read (`userId` and `user_id`),
/// and the messiness of real exports is taken as it comes (see DESIGN.md, Input).
///
/// One decoder is reused line after line: it keeps its parse tape and scratch buffer, so
/// decoding allocates only for the values the event keeps.
struct EventDecoder: ~Copyable {
    struct Limits: Sendable {
        var maximumLineBytes: Int
        var maximumDepth: Int
    }

    let limits: Limits
    private var tape: JSONTape
    private var canonical = JSONWriter()

    init(limits: Limits) {
        self.limits = limits
        self.tape = JSONTape(maximumDepth: limits.maximumDepth)
    }

    /// Decodes a line (without its line ending). `length` is the line's full length when only
    /// a prefix of it was kept. `ingestTime` is the time given to a line that carries no
    /// time field at all.
    mutating func decode(_ line: UnsafeBufferPointer<UInt8>, length: Int? = nil, ingestTime: Timestamp)
        throws(LineFault) -> Event
    {
        let length = length ?? line.count
        guard length <= limits.maximumLineBytes else {
            throw LineFault(code: .lineTooLong,
                            message: "the line is \(length) bytes, over the limit of \(limits.maximumLineBytes); "
                                + "split the record or raise the limit"
                                + (length > line.count ? " (only its first \(line.count) bytes are kept)" : ""))
        }
        if let offset = firstInvalidUTF8Offset(line) {
            throw LineFault(code: .invalidUTF8,
                            message: "invalid UTF-8 at byte \(offset + 1); re-export the file as UTF-8")
        }
        do {
            try tape.parse(line)
        } catch {
            if error.isTooDeep {
                throw LineFault(code: .nestedTooDeep,
                                message: "the JSON is nested deeper than \(limits.maximumDepth) levels")
            }
            throw LineFault(code: .notJSON, message: "not valid JSON: \(error.reason) at byte \(error.offset + 1)")
        }
        return try decode(JSONDocument(bytes: line, tokens: tape.tokens), ingestTime: ingestTime)
    }

    private mutating func decode(_ document: JSONDocument, ingestTime: Timestamp) throws(LineFault) -> Event {
        guard document.kind(0) == .object else {
            throw LineFault(code: .notAnObject,
                            message: "the line is \(EventDecoder.describe(document.kind(0))), "
                                + "but every event must be a JSON object")
        }
        var fields = TopLevelFields()
        document.forEachMember(of: 0) { key, value in fields.record(key: key, value: value, in: document) }

        let kind: Event.Kind
        if let typeToken = fields.type {
            guard document.kind(typeToken) == .string else {
                throw EventDecoder.wrongType(fields.typeName, expected: "a string", document, typeToken)
            }
            let written = document.string(typeToken)
            guard let known = Event.Kind(rawValue: written.lowercased()) else {
                throw LineFault(code: .unknownType,
                                message: "unknown \(fields.typeName) \"\(written)\": expected one of "
                                    + Event.Kind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            kind = known
        } else {
            kind = fields.event == nil ? .identify : .track
        }

        var identifiers = IdentifierCollector()
        try identifiers.add(.userID, document, fields.userID, field: "userId")
        try identifiers.add(.anonymousID, document, fields.anonymousID, field: "anonymousId")
        if kind == .alias {
            try identifiers.add(.previousID, document, fields.previousID, field: "previousId")
        }

        var traitsObjects: [Int] = []
        var context = ContextFields()
        if let contextToken = fields.context {
            try EventDecoder.expectObject(document, contextToken, field: "context")
            context = ContextFields(document, contextToken)
        }
        if let traits = fields.traits {
            try EventDecoder.expectObject(document, traits, field: "traits")
            if kind != .group && document.kind(traits) == .object { traitsObjects.append(traits) }
        }
        if let traits = context.traits, document.kind(traits) == .object { traitsObjects.append(traits) }
        for traits in traitsObjects {
            identifiers.addTraits(document, traits)
        }
        if let nativeIdentifiers = fields.identifiers {
            try EventDecoder.expectObject(document, nativeIdentifiers, field: "identifiers")
            identifiers.addNative(document, nativeIdentifiers)
        }
        for externalIDs in context.externalIDs {
            identifiers.addExternal(document, externalIDs)
        }
        if let device = context.deviceID {
            identifiers.addLenient(.deviceID, document, device)
        }

        let traits = EventDecoder.mergedObject(document, traitsObjects)
        guard !identifiers.found.isEmpty || !traits.isEmpty else {
            throw LineFault(code: .noPerson,
                            message: "nothing ties this line to a person: it has no identifier (userId, anonymousId, "
                                + "email, phone, external id) and no traits")
        }

        var properties = JSONObject()
        if let token = fields.properties {
            try EventDecoder.expectObject(document, token, field: "properties")
            if document.kind(token) == .object { properties = document.object(token) }
        }
        var name = try EventDecoder.optionalString(document, kind == .page || kind == .screen ? fields.name : fields.event,
                                                   field: kind == .page || kind == .screen ? "name" : "event")
        if kind == .group {
            name = try EventDecoder.optionalIdentifierText(document, fields.groupID, field: "groupId")
            if let traits = fields.traits, document.kind(traits) == .object { properties = document.object(traits) }
        }

        let (time, timeWasAssigned) = try EventDecoder.time(document, fields, ingestTime: ingestTime)
        let channelText = try EventDecoder.optionalString(document, context.channel ?? fields.channel, field: "channel")
        let source = try EventDecoder.optionalString(document, fields.source, field: "source")
        let id = try EventDecoder.optionalIdentifierText(document, fields.messageID, field: fields.messageIDName)
            ?? contentID(document)

        return Event(
            id: id, kind: kind, name: name, time: time, timeWasAssigned: timeWasAssigned,
            channel: channelText.flatMap { $0.isEmpty ? nil : Channel(rawValue: $0) },
            source: source.flatMap { $0.isEmpty ? nil : $0 },
            identifiers: identifiers.found, traits: traits, properties: properties)
    }

    /// `h:` and the 128-bit digest of the line's canonical JSON, for a line without an id.
    private mutating func contentID(_ document: JSONDocument) -> String {
        canonical.reset()
        canonical.writeCanonical(document, 0)
        let digest = canonical.bytes.withUnsafeBytes { ContentDigest($0) }
        return "h:" + digest.hex
    }
}

// MARK: - Field readers

extension EventDecoder {
    /// The kind of a JSON value with its article: "an object", "a string".
    static func describe(_ kind: JSONTape.Kind) -> String {
        switch kind {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .true, .false: "a boolean"
        case .null: "null"
        }
    }

    static func wrongType(_ field: String, expected: String, _ document: JSONDocument, _ token: Int) -> LineFault {
        LineFault(code: .wrongFieldType,
                  message: "\"\(field)\" must be \(expected), but it is \(describe(document.kind(token)))")
    }

    static func expectObject(_ document: JSONDocument, _ token: Int, field: String) throws(LineFault) {
        let kind = document.kind(token)
        guard kind == .object || kind == .null else {
            throw wrongType(field, expected: "an object", document, token)
        }
    }

    static func optionalString(_ document: JSONDocument, _ token: Int?, field: String) throws(LineFault) -> String? {
        guard let token else { return nil }
        switch document.kind(token) {
        case .string: return document.string(token)
        case .null: return nil
        default: throw wrongType(field, expected: "a string", document, token)
        }
    }

    /// An id written as text or as a JSON number (`"userId": 123` is the id `123`); `nil`
    /// when absent, `null` or blank.
    static func optionalIdentifierText(_ document: JSONDocument, _ token: Int?, field: String) throws(LineFault)
        -> String?
    {
        guard let token else { return nil }
        switch document.kind(token) {
        case .string:
            let text = document.string(token).trimmingWhitespace()
            return text.isEmpty ? nil : text
        case .number: return document.numberLiteral(token)
        case .null: return nil
        default: throw wrongType(field, expected: "a string or a number", document, token)
        }
    }

    /// The event time: `timestamp`, else `originalTimestamp`, `sentAt`, `receivedAt`; the
    /// ingest time when none is present. A time that is present but unreadable rejects.
    static func time(_ document: JSONDocument, _ fields: TopLevelFields, ingestTime: Timestamp) throws(LineFault)
        -> (Timestamp, Bool)
    {
        if let (field, token) = fields.time(in: document) {
            guard document.kind(token) == .string else {
                throw wrongType(field, expected: "an ISO-8601 date-time string", document, token)
            }
            let parsed: Int64?
            if document[token].escaped {
                var text = document.string(token)
                parsed = text.withUTF8 { Timestamp.parse($0) }
            } else {
                parsed = Timestamp.parse(document.rawBytes(token))
            }
            guard let milliseconds = parsed else {
                throw LineFault(code: .unreadableTime,
                                message: "\"\(field)\" is \"\(document.string(token))\", which is not an ISO-8601 "
                                    + "date and time (expected e.g. 2025-03-02T15:04:05.123Z)")
            }
            return (Timestamp(millisecondsSince1970: milliseconds), false)
        }
        return (ingestTime, true)
    }

    /// The members of several objects in one, earlier objects winning on repeated keys.
    static func mergedObject(_ document: JSONDocument, _ objects: [Int]) -> JSONObject {
        guard let first = objects.first else { return JSONObject() }
        let merged = document.object(first)
        guard objects.count > 1 else { return merged }
        var seen = Set(merged.members.map(\.key))
        var members = merged.members
        for other in objects.dropFirst() {
            for member in document.object(other) where seen.insert(member.key).inserted {
                members.append(member)
            }
        }
        return JSONObject(members)
    }
}
