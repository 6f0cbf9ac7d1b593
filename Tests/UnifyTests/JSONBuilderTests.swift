import Foundation
import Testing
@testable import Unify

@Suite("JSON documents written token by token")
struct JSONBuilderTests {
    @Test(arguments: [
        (Int64(0), "0"), (9, "9"), (10, "10"), (-1, "-1"), (-10, "-10"), (99, "99"), (100, "100"),
        (1_791_208_183_000, "1791208183000"), (999_999_999_999_999_999, "999999999999999999"),
        (1_000_000_000_000_000_000, "1000000000000000000"),
        (.max, "9223372036854775807"), (.min, "-9223372036854775808"),
    ])
    func integersAreWrittenInFull(value: Int64, expected: String) {
        var json = JSONBuilder()
        json.beginArray(); json.integer(value); json.integer(value); json.endArray()
        #expect(json.text == "[\(expected),\(expected)]")
    }

    /// Every length from one digit to nineteen, either sign, against Swift's own rendering:
    /// values at each power of ten, one either side, and seeded random ones of each length.
    @Test func integersOfEveryLengthAreWrittenAsSwiftWritesThem() {
        var generator = SeededGenerator(seed: 17)
        var values: [Int64] = [0]
        var power: Int64 = 1
        for _ in 0..<19 {
            values += [power - 1, power, power + 1]
            let upper = power > Int64.max / 10 ? Int64.max : power * 10 - 1
            values += (0..<50).map { _ in Int64.random(in: power...upper, using: &generator) }
            if power <= Int64.max / 10 { power *= 10 }
        }
        values += values.map { -$0 }
        for value in values {
            var json = JSONBuilder()
            json.beginArray(); json.integer(value); json.endArray()
            #expect(json.text == "[\(value)]")
        }
    }

    @Test func stringsAreEscapedAndReadBackUnchanged() throws {
        let strings = ["plain", "", "quote \" and backslash \\", "line\nbreak\r\ttab", "\u{01}\u{1F}", "Jérôme 😀"]
        var json = JSONBuilder()
        json.beginObject()
        for (index, string) in strings.enumerated() {
            json.key("k\(index)")
            json.string(string)
        }
        json.endObject()
        #expect(json.text.contains(#""k4":"\u0001\u001f""#))
        let decoded = try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? [String: String]
        #expect(decoded == Dictionary(uniqueKeysWithValues: strings.enumerated().map { ("k\($0.offset)", $0.element) }))
    }

    @Test func containersPlaceTheirCommasAndOptionalFieldsAreSkipped() {
        var json = JSONBuilder(capacity: 1)
        json.beginObject()
        json.field("absent", nil as Int64?)
        json.field("present", 3 as Int64?)
        json.key("list")
        json.beginArray()
        json.beginObject(); json.endObject()
        json.beginArray(); json.bool(true); json.bool(false); json.endArray()
        json.raw("1.50")
        json.endArray()
        json.field("name", "x" as String?)
        json.endObject()
        #expect(json.text == #"{"present":3,"list":[{},[true,false],1.50],"name":"x"}"#)
    }

    @Test func aDocumentLargerThanItsBufferGrowsWhole() throws {
        var json = JSONBuilder(capacity: 16)
        json.beginArray()
        for index in 0..<5_000 { json.string("value \(index)") }
        json.endArray()
        let decoded = try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? [String]
        #expect(decoded == (0..<5_000).map { "value \($0)" })
    }
}
