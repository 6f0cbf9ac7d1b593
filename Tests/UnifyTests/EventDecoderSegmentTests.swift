import Testing
@testable import Unify

@Suite("Decoding Segment-spec lines")
struct EventDecoderSegmentTests {
    @Test func trackCallKeepsItsEnvelope() throws {
        let event = try decode("""
            {"type":"track","messageId":"m-1","event":"Order Completed","userId":"u42","anonymousId":"a-1",\
            "timestamp":"2025-03-02T15:04:05.123+01:00","channel":"browser",\
            "properties":{"total":29.00,"currency":"EUR"},"context":{"traits":{"email":" Jane@Example.COM "}}}
            """)
        #expect(event.id == "m-1")
        #expect(event.kind == .track)
        #expect(event.name == "Order Completed")
        #expect(event.time == Timestamp(iso8601: "2025-03-02T14:04:05.123Z"))
        #expect(!event.timeWasAssigned)
        #expect(event.channel == .web)
        #expect(event.identifiers.map(\.description) == ["user_id:u42", "anonymous_id:a-1", "email:jane@example.com"])
        #expect(event.properties["total"] == .number("29.00"))
        #expect(event.traits["email"] == .string(" Jane@Example.COM "))
    }

    @Test func legacyActionAndSnakeCaseKeysAreRead() throws {
        let event = try decode("""
            {"action":"track","event":"Email Opened","user_id":"019mr8mf4r","message_id":"x-9",\
            "original_timestamp":"2024-05-01T10:00:00Z","context":{"traits":{"email":"peter@example.com"}}}
            """)
        #expect(event.kind == .track)
        #expect(event.id == "x-9")
        #expect(event.time == Timestamp(iso8601: "2024-05-01T10:00:00Z"))
        #expect(event.identifiers.map(\.description) == ["user_id:019mr8mf4r", "email:peter@example.com"])
    }

    @Test func typeIsCaseInsensitive() throws {
        #expect(try decode(#"{"type":"Identify","userId":"u1"}"#).kind == .identify)
    }

    @Test func idsWrittenAsNumbersAreIds() throws {
        let event = try decode(#"{"type":"identify","userId":123,"messageId":77}"#)
        #expect(event.identifiers.map(\.description) == ["user_id:123"])
        #expect(event.id == "77")
    }

    @Test func nullAndEmptyIdsAreAbsent() throws {
        let event = try decode(#"{"type":"track","event":"x","userId":"","anonymousId":null,"traits":{"plan":"gold"}}"#)
        #expect(event.identifiers.isEmpty)
        #expect(event.traits["plan"] == "gold")
    }

    @Test func externalIdsInBothSpellingsAndTheDeviceIdAreIdentifiers() throws {
        let event = try decode("""
            {"type":"track","event":"x","context":{"externalIds":[{"id":"LOY1","type":"loyaltyId","collection":"users",\
            "encoding":"none"}],"externalId":[{"id":"CRM-7","type":"crm_id"}],"device":{"id":"dev-1","model":"x"}}}
            """)
        #expect(event.identifiers.map(\.description) == ["loyalty_id:LOY1", "crm_id:CRM-7", "device_id:dev-1"])
    }

    @Test func traitsOfAnUnexpectedTypeAreKeptButIdentifyNobody() throws {
        let event = try decode(#"{"type":"identify","userId":"u1","traits":{"email":true,"phone":{"n":1}}}"#)
        #expect(event.identifiers.map(\.description) == ["user_id:u1"])
        #expect(event.traits["email"] == .bool(true))
    }

    @Test func maskedEmailIsNotAnIdentifierButTheLineIsAccepted() throws {
        let event = try decode(#"{"type":"identify","traits":{"email":"f***@h***.c***","firstName":"Fanny"}}"#)
        #expect(event.identifiers.isEmpty)
        #expect(event.traits["firstName"] == "Fanny")
    }

    @Test func aliasLinksThePreviousId() throws {
        let event = try decode(#"{"type":"alias","previousId":"anon-7","userId":"u1"}"#)
        #expect(event.identifiers.map(\.description) == ["user_id:u1", "previous_id:anon-7"])
    }

    @Test func groupTraitsDescribeTheGroupNotThePerson() throws {
        let event = try decode(#"{"type":"group","groupId":"g1","userId":"u1","traits":{"name":"Initech","plan":"x"}}"#)
        #expect(event.name == "g1")
        #expect(event.traits.isEmpty)
        #expect(event.properties["name"] == "Initech")
    }

    @Test func pageAndScreenCallsAreNamedByName() throws {
        #expect(try decode(#"{"type":"page","name":"Home","anonymousId":"a"}"#).name == "Home")
        #expect(try decode(#"{"type":"screen","name":"Cart","anonymousId":"a"}"#).name == "Cart")
    }

    @Test func timeFallsBackAsTheSpecSays() throws {
        let sentAt = try decode(#"{"type":"track","userId":"u","sentAt":"2024-01-02T00:00:00Z","receivedAt":"2024-01-03T00:00:00Z"}"#)
        #expect(sentAt.time == Timestamp(iso8601: "2024-01-02T00:00:00Z"))
        let received = try decode(#"{"type":"track","userId":"u","receivedAt":"2024-01-03T00:00:00Z"}"#)
        #expect(received.time == Timestamp(iso8601: "2024-01-03T00:00:00Z"))
    }

    @Test func aLineWithoutTimeTakesTheIngestTimeAndIsFlagged() throws {
        let ingest = Timestamp(iso8601: "2026-11-25T10:00:00Z")!
        let event = try decode(#"{"type":"track","userId":"u"}"#, ingestTime: ingest)
        #expect(event.time == ingest)
        #expect(event.timeWasAssigned)
    }

    @Test func aLineWithoutIdIsIdentifiedByItsCanonicalContent() throws {
        let first = try decode(#"{"type":"track","userId":"u","properties":{"a":1,"b":"x"}}"#)
        let reordered = try decode(#"{ "properties" : {"b":"x","a":1}, "userId":"u","type":"track" }"#)
        let escaped = try decode(#"{"type":"track","userId":"\u0075","properties":{"a":1,"b":"x"}}"#)
        let different = try decode(#"{"type":"track","userId":"u","properties":{"a":2,"b":"x"}}"#)
        #expect(first.id.hasPrefix("h:") && first.id.count == 34)
        #expect(first.id == reordered.id)
        #expect(first.id == escaped.id)
        #expect(first.id != different.id)
    }

    @Test(arguments: [
        ("browser", "web"), ("mobile", "app"), ("server", "other"), ("Store", "store"), ("call_center", "call_center"),
        ("KIOSK", "kiosk"),
    ])
    func channelsAreMappedOrKeptLowerCased(written: String, expected: String) throws {
        let event = try decode(#"{"type":"track","userId":"u","channel":"\#(written)"}"#)
        #expect(event.channel?.rawValue == expected)
    }

    @Test func contextChannelWinsOverTheTopLevelOne() throws {
        let event = try decode(#"{"type":"track","userId":"u","channel":"server","context":{"channel":"email"}}"#)
        #expect(event.channel == .email)
    }

    @Test func anUnlistedChannelIsKeptAndReportedUnknown() throws {
        let event = try decode(#"{"type":"track","userId":"u","channel":"kiosk"}"#)
        #expect(event.channel?.isKnown == false)
        #expect(event.channel?.isOnline == true)
        #expect(Channel.store.isOnline == false)
    }
}

extension EventDecoderSegmentTests {
    @Test func aNullTimestampFallsBackToTheNextTimeField() throws {
        let event = try decode(#"{"type":"track","userId":"u","timestamp":null,"sentAt":"2024-01-02T00:00:00Z"}"#)
        #expect(event.time == Timestamp(iso8601: "2024-01-02T00:00:00Z"))
        #expect(!event.timeWasAssigned)
    }
}
