import Testing
@testable import Unify

@Suite("The JSON tape parser")
struct JSONTapeTests {
    private func value(_ text: String) throws -> JSONValue {
        var tape = JSONTape(maximumDepth: 64)
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { buffer in
            let input = UnsafeBufferPointer(buffer)
            try tape.parse(input)
            return JSONDocument(bytes: input, tokens: tape.tokens).value(0)
        }
    }

    @Test func readsEveryKindOfValueKeepingKeyOrderAndNumberLiterals() throws {
        let parsed = try value(#" {"b": [1, -2.50e+3, true, false, null], "a": {"x": "y"}, "c": 29.00} "#)
        #expect(parsed == .object(["b": .array([1, .number("-2.50e+3"), true, false, nil]), "a": .object(["x": "y"]),
                                   "c": .number("29.00")]))
    }

    @Test func decodesEscapesIncludingSurrogatePairs() throws {
        let parsed = try value(#""tab\tquote\"slash\/\u00e9\ud83c\udf89\ud800""#)
        #expect(parsed == .string("tab\tquote\"slash/é🎉\u{FFFD}"))
    }

    @Test func writesTheSameValueBackInCompactForm() throws {
        let text = #"{"b":[1,-2.50e+3,true,false,null],"a":{"x":"y\n\u0001"},"c":29.00}"#
        #expect(try value(text).jsonText == text)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "\"\u{01}\"", "{\"a\":1}}", "nul"])
    func rejectsInvalidJSON(text: String) {
        #expect(throws: JSONTape.SyntaxError.self) { try value(text) }
    }
}
