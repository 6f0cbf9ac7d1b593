import Testing
@testable import Unify

@Suite("Lines that are rejected, and why")
struct LineFaultTests {
    @Test(arguments: [
        ("this is not json", LineFault.Code.notJSON, "not valid JSON: expected a JSON value but found 't' at byte 1"),
        (#"{"type":"track","userId":"u1""#, .notJSON, "the JSON ends inside an object"),
        (#"{"type":"track","userId":"u1"} x"#, .notJSON, "unexpected text after the end of the JSON value at byte 32"),
        (#"{"type":"track",}"#, .notJSON, "expected a quoted key but found '}'"),
        (#"{"a":01}"#, .notJSON, "expected ',' or '}' but found '1'"),
        (#"{"a":"\x"}"#, .notJSON, "invalid escape"),
        (#"["track","u1"]"#, .notAnObject, "the line is an array, but every event must be a JSON object"),
        (#""track""#, .notAnObject, "the line is a string"),
        (#"{"type":"purchase","userId":"u1"}"#, .unknownType, #"unknown type "purchase": expected one of identify, track"#),
        (#"{"action":"buy","userId":"u1"}"#, .unknownType, #"unknown action "buy""#),
        (#"{"type":"identify","userId":"u1","traits":"gold"}"#, .wrongFieldType, #""traits" must be an object, but it is a string"#),
        (#"{"type":"track","userId":"u1","messageId":{"id":1}}"#, .wrongFieldType, #""messageId" must be a string or a number, but it is an object"#),
        (#"{"type":7,"userId":"u1"}"#, .wrongFieldType, #""type" must be a string, but it is a number"#),
        (#"{"type":"track","userId":true}"#, .wrongFieldType, #""userId" must be a string or a number"#),
        (#"{"type":"track","userId":"u","timestamp":1700000000}"#, .wrongFieldType, #""timestamp" must be an ISO-8601"#),
        (#"{"type":"track","event":"Order Completed","properties":{"total":5}}"#, .noPerson, "nothing ties this line to a person"),
        (#"{"type":"track","userId":"null","event":"x"}"#, .noPerson, "no identifier"),
        (#"{"type":"track","userId":"u1","timestamp":"yesterday at noon"}"#, .unreadableTime, #""timestamp" is "yesterday at noon""#),
        (#"{"type":"track","userId":"u1","timestamp":"2025-02-30T10:00:00Z"}"#, .unreadableTime, "not an ISO-8601 date and time"),
    ])
    func faultHasItsCodeAndAReasonAPersonUnderstands(line: String, code: LineFault.Code, reason: String) {
        let found = fault(line)
        #expect(found?.code == code)
        #expect(found?.message.contains(reason) == true, "\(found?.message ?? "accepted")")
    }

    @Test func invalidUTF8IsRejectedWithItsPosition() {
        let bytes = Array(#"{"type":"track","userId":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        let found = fault(bytes: bytes)
        #expect(found?.code == .invalidUTF8)
        #expect(found?.message == "invalid UTF-8 at byte 27; re-export the file as UTF-8")
    }

    @Test(arguments: [[0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF]] as [[UInt8]])
    func surrogatesOverlongFormsAndTruncatedSequencesAreInvalid(sequence: [UInt8]) {
        let bytes = Array(#"{"userId":""#.utf8) + sequence + Array(#""}"#.utf8)
        #expect(fault(bytes: bytes)?.code == .invalidUTF8)
    }

    @Test func validMultiByteTextIsAccepted() {
        #expect(fault(#"{"type":"identify","userId":"u","traits":{"name":"Zoë Ærø 東京 🎉"}}"#) == nil)
    }

    @Test func nestingPastTheLimitIsRejected() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let found = fault(#"{"type":"track","userId":"u","properties":{"p":\#(deep)}}"#)
        #expect(found?.code == .nestedTooDeep)
        #expect(found?.message == "the JSON is nested deeper than 64 levels")
        let fine = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect(fault(#"{"type":"track","userId":"u","properties":{"p":\#(fine)}}"#) == nil)
    }

    @Test func aLineOverTheSizeLimitIsRejected() {
        let line = Array(#"{"type":"track","userId":"u","properties":{"blob":""#.utf8)
            + [UInt8](repeating: 0x61, count: 2000) + Array(#""}}"#.utf8)
        let found = fault(bytes: line, maximumLineBytes: 1000)
        #expect(found?.code == .lineTooLong)
        #expect(found?.message.hasPrefix("the line is \(line.count) bytes, over the limit of 1000") == true)
    }
}
