import Testing
@testable import Unify

@Suite("Decoding native-form lines")
struct EventDecoderNativeTests {
    @Test func aTillReceiptIsATrackEventWithTypedIdentifiers() throws {
        let event = try decode("""
            {"id":"pos-1","event":"Order Completed","timestamp":"2025-03-02T15:04:05+01:00","channel":"store",\
            "source":"pos","identifiers":{"loyalty_id":"LOY123456","email":"Jane.Doe@Example.COM "},\
            "traits":{"firstName":"Jane"},"properties":{"total":59.90}}
            """)
        #expect(event.id == "pos-1")
        #expect(event.kind == .track)
        #expect(event.channel == .store)
        #expect(event.source == "pos")
        #expect(event.identifiers.map(\.description) == ["loyalty_id:LOY123456", "email:jane.doe@example.com"])
        #expect(event.properties["total"]?.doubleValue == 59.9)
    }

    @Test func aRecordWithoutAnEventNameIsAnIdentify() throws {
        let event = try decode(#"{"id":"crm-1","identifiers":{"crmId":"CRM-1"},"traits":{"lastName":"Doe"}}"#)
        #expect(event.kind == .identify)
        #expect(event.identifiers.map(\.description) == ["crm_id:CRM-1"])
    }

    @Test func identifierListsAreRead() throws {
        let event = try decode(#"{"id":"x","identifiers":{"email":["a@x.fr","B@X.fr"],"phone":"06 12 34 56 78"}}"#)
        #expect(event.identifiers.map(\.description) == ["email:a@x.fr", "email:b@x.fr", "phone:0612345678"])
    }

    @Test func aReceiptWithOnlyANameAndPostcodeIsAccepted() throws {
        let event = try decode(#"{"event":"Order Completed","channel":"store","traits":{"lastName":"Martin","postalCode":"69003"}}"#)
        #expect(event.identifiers.isEmpty)
        #expect(event.traits["postalCode"] == "69003")
    }
}
