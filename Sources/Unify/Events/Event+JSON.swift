extension Event {
    /// The event as one line of JSON that decodes back to an equal event: what the log keeps
    /// as the original JSON of an event an app ingested as a value.
    ///
    /// The line is Segment-shaped (`type`, `messageId`, `timestamp`, …) with the identifiers in
    /// a native `identifiers` object, which the decoder reads in either dialect; they come back
    /// grouped by kind, in the order each kind first appears.
    public var jsonLine: String {
        var object = JSONObject()
        object["type"] = .string(kind.rawValue)
        object["messageId"] = .string(id)
        switch kind {
        case .track: object["event"] = name.map(JSONValue.string)
        case .page, .screen: object["name"] = name.map(JSONValue.string)
        case .group: object["groupId"] = name.map(JSONValue.string)
        case .identify, .alias: break
        }
        object["timestamp"] = .string(time.iso8601)
        object["channel"] = channel.map { .string($0.rawValue) }
        object["source"] = source.map(JSONValue.string)
        var identifiersByKind = JSONObject()
        for identifier in identifiers {
            let values = identifiersByKind[identifier.kind.rawValue].flatMap { value -> [JSONValue]? in
                if case .array(let values) = value { return values }
                return nil
            } ?? []
            identifiersByKind[identifier.kind.rawValue] = .array(values + [.string(identifier.value)])
        }
        if !identifiersByKind.isEmpty { object["identifiers"] = .object(identifiersByKind) }
        if kind == .group {
            // A group call's own traits describe the group; the person's ride in its context.
            if !properties.isEmpty { object["traits"] = .object(properties) }
            if !traits.isEmpty { object["context"] = .object(["traits": .object(traits)]) }
        } else {
            if !traits.isEmpty { object["traits"] = .object(traits) }
            if !properties.isEmpty { object["properties"] = .object(properties) }
        }
        return JSONValue.object(object).jsonText
    }
}
