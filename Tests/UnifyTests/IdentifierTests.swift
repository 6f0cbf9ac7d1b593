import Testing
@testable import Unify

@Suite("Normalising identifiers")
struct IdentifierTests {
    @Test(arguments: [
        ("email", "jane@example.com"), ("user_id", "u1"), ("phone", "+33612345678"), ("loyalty_id", ""),
        ("crm_id", "Zoë-Ørsted-with-a-value-longer-than-sixteen-bytes-and-more"), ("record", "e"),
    ])
    func theStorageKeyIsTheDigestOfTheWrittenForm(kind: String, value: String) {
        let identifier = Identifier(normalised: value, kind: Identifier.Kind(stored: kind))
        #expect(identifier.digestKey == ContentDigest(identifier.description).integerKey)
        #expect(identifier.digestKey == ContentDigest("\(kind):\(value)").integerKey)
    }

    @Test(arguments: [
        (" Jane.Doe@Example.COM ", "jane.doe@example.com"),
        ("peter@example.com", "peter@example.com"),
    ])
    func emailsAreTrimmedAndLowerCased(written: String, expected: String) {
        #expect(Identifier(kind: .email, value: written)?.value == expected)
    }

    @Test(arguments: ["f***@h***.c***", "jane", "jane@", "@example.com", "jane@localhost", "a b@c.de", "null", " ", ""])
    func emailsThatIdentifyNobodyAreRefused(written: String) {
        #expect(Identifier(kind: .email, value: written) == nil)
    }

    @Test(arguments: [
        ("06 12 34 56 78", "0612345678"), ("+33 6 12 34 56 78", "+33612345678"), ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("0033 6 12 34 56 78", "+33612345678"), ("(555) 123-4567", "5551234567"), ("+1 555.123.4567 ext 12", "+15551234567"),
    ])
    func phonesKeepTheirDigits(written: String, expected: String) {
        #expect(Identifier(kind: .phone, value: written)?.value == expected)
    }

    @Test(arguments: ["12", "call me", "06-12-34-**-**", "undefined"])
    func phonesThatIdentifyNobodyAreRefused(written: String) {
        #expect(Identifier(kind: .phone, value: written) == nil)
    }

    @Test func otherIdsAreTrimmedOnly() {
        #expect(Identifier(kind: .userID, value: "  AbC-1 ")?.value == "AbC-1")
        #expect(Identifier(kind: .userID, value: "undefined") == nil)
        #expect(Identifier(kind: .userID, value: "[object Object]") == nil)
    }

    @Test(arguments: [
        ("loyaltyId", "loyalty_id"), ("Loyalty ID", "loyalty_id"), ("loyalty_id", "loyalty_id"), ("userId", "user_id"),
        ("anonymousId", "anonymous_id"), ("phone_number", "phone"), ("email_address", "email"), ("CRM-id", "crm_id"),
    ])
    func kindsAreReadInAnySpelling(written: String, expected: String) {
        #expect(Identifier.Kind(rawValue: written).rawValue == expected)
    }
}

@Suite("Witness sets")
struct WitnessSetTests {
    @Test(arguments: [[Int64](), [0], [1, -1], [Int64.max, Int64.min, 42, -7_000_000_000_000]])
    func aWitnessSetReadsBackAsWritten(keys: [Int64]) {
        var set = WitnessSet()
        for (index, key) in keys.enumerated() {
            _ = set.insert(key, kind: index.isMultiple(of: 2) ? .email : Identifier.Kind(rawValue: "loyalty_id"))
        }
        #expect(WitnessSet(encoded: set.encoded) == set)
        // The stored form, as docs/SCHEMA.md gives it.
        #expect(set.encoded == set.entries.map { "\($0.kind.rawValue):\($0.key)" }.joined(separator: " "))
    }

    @Test func aWitnessIsCountedOnceAndPerKind() {
        var set = WitnessSet()
        #expect(set.insert(1, kind: .email) == 1)
        #expect(set.insert(2, kind: .email) == 2)
        #expect(set.insert(1, kind: .email) == nil)
        #expect(set.insert(3, kind: .userID) == 1)
    }

    @Test func theSameWitnessesSeenInAnyOrderAreStoredAlike() {
        let witnesses: [(Int64, Identifier.Kind)] = [(42, .email), (-7, .phone), (Int64.max, .userID), (0, .email)]
        var forwards = WitnessSet()
        var backwards = WitnessSet()
        for (key, kind) in witnesses { _ = forwards.insert(key, kind: kind) }
        for (key, kind) in witnesses.reversed() { _ = backwards.insert(key, kind: kind) }
        #expect(forwards == backwards)
        #expect(forwards.encoded == "phone:-7 email:0 email:42 user_id:\(Int64.max)")
        // A store written before witnesses were kept in order reads back in order.
        #expect(WitnessSet(encoded: "email:42 phone:-7 user_id:\(Int64.max) email:0") == forwards)
    }
}
