import Foundation

/// A JSON document parsed into a flat tape of tokens that point back into the line's bytes.
///
/// Building a tree of Swift values for every line of a million-line export costs more than
/// storing it in SQLite, so the decoder parses each line once into this tape (a reused
/// array, no allocation per value) and materialises only what an ``Event`` keeps.
/// Containers record the index just past their last descendant in `next`, so a value is
/// skipped in one step.
struct JSONTape {
    enum Kind: UInt8 {
        case object, array, string, number, `true`, `false`, null
    }

    struct Token {
        var kind: Kind
        /// For strings: the contents hold at least one backslash escape.
        var escaped: Bool
        /// For strings, the bytes between the quotes; for other kinds, the whole value.
        var start: Int32
        var end: Int32
        /// Index of the token after this value and all it contains.
        var next: Int32
    }

    /// Why a line is not valid JSON, and the byte offset where that was found.
    struct SyntaxError: Error {
        var reason: String
        var offset: Int
        /// The document nests deeper than the parser's limit.
        var isTooDeep = false
    }

    private(set) var tokens: [Token] = []
    let maximumDepth: Int

    init(maximumDepth: Int) {
        self.maximumDepth = maximumDepth
        tokens.reserveCapacity(256)
    }

    /// Parses one complete JSON value, replacing the previous contents of the tape.
    ///
    /// The bytes must already be valid UTF-8; the parser checks JSON grammar only.
    mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(SyntaxError) {
        tokens.removeAll(keepingCapacity: true)
        var parser = Parser(bytes: bytes, maximumDepth: maximumDepth, tokens: tokens)
        tokens = []
        defer { tokens = parser.tokens }
        var index = parser.skipWhitespace(0)
        guard index < bytes.count else { throw SyntaxError(reason: "the line holds only whitespace", offset: 0) }
        index = try parser.value(at: index, depth: 0)
        index = parser.skipWhitespace(index)
        if index != bytes.count {
            throw SyntaxError(reason: "unexpected text after the end of the JSON value", offset: index)
        }
    }
}

extension JSONTape {
    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        let maximumDepth: Int
        var tokens: [Token]

        func skipWhitespace(_ start: Int) -> Int {
            var index = start
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return index
                }
            }
            return index
        }

        func describe(_ offset: Int) -> String {
            guard offset < bytes.count else { return "end of line" }
            let byte = bytes[offset]
            if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
            return "byte 0x\(String(byte, radix: 16, uppercase: true))"
        }

        mutating func value(at offset: Int, depth: Int) throws(SyntaxError) -> Int {
            guard offset < bytes.count else {
                throw SyntaxError(reason: "the JSON ends where a value was expected", offset: offset)
            }
            switch bytes[offset] {
            case UInt8(ascii: "{"): return try container(at: offset, depth: depth, isObject: true)
            case UInt8(ascii: "["): return try container(at: offset, depth: depth, isObject: false)
            case UInt8(ascii: "\""): return try string(at: offset)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number(at: offset)
            case UInt8(ascii: "t"): return try literal("true", kind: .true, at: offset)
            case UInt8(ascii: "f"): return try literal("false", kind: .false, at: offset)
            case UInt8(ascii: "n"): return try literal("null", kind: .null, at: offset)
            default:
                throw SyntaxError(reason: "expected a JSON value but found \(describe(offset))", offset: offset)
            }
        }

        private mutating func container(at offset: Int, depth: Int, isObject: Bool) throws(SyntaxError) -> Int {
            guard depth < maximumDepth else {
                throw SyntaxError(
                    reason: "JSON nested deeper than \(maximumDepth) levels", offset: offset, isTooDeep: true)
            }
            let tokenIndex = tokens.count
            tokens.append(Token(kind: isObject ? .object : .array, escaped: false,
                                start: Int32(offset), end: 0, next: 0))
            let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            var index = skipWhitespace(offset + 1)
            if index < bytes.count && bytes[index] == close {
                index += 1
            } else {
                while true {
                    if isObject {
                        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                            throw SyntaxError(reason: "expected a quoted key but found \(describe(index))", offset: index)
                        }
                        index = skipWhitespace(try string(at: index))
                        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                            throw SyntaxError(reason: "expected ':' after a key but found \(describe(index))", offset: index)
                        }
                        index = skipWhitespace(index + 1)
                    }
                    index = skipWhitespace(try value(at: index, depth: depth + 1))
                    guard index < bytes.count else {
                        throw SyntaxError(reason: "the JSON ends inside an \(isObject ? "object" : "array")", offset: index)
                    }
                    if bytes[index] == UInt8(ascii: ",") {
                        index = skipWhitespace(index + 1)
                    } else if bytes[index] == close {
                        index += 1
                        break
                    } else {
                        throw SyntaxError(
                            reason: "expected ',' or '\(Character(Unicode.Scalar(close)))' but found \(describe(index))",
                            offset: index)
                    }
                }
            }
            tokens[tokenIndex].end = Int32(index)
            tokens[tokenIndex].next = Int32(tokens.count)
            return index
        }

        private mutating func string(at offset: Int) throws(SyntaxError) -> Int {
            var index = offset + 1
            var escaped = false
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let count = Int32(tokens.count)
                    tokens.append(Token(kind: .string, escaped: escaped, start: Int32(offset + 1),
                                        end: Int32(index), next: count + 1))
                    return index + 1
                }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    guard index + 1 < bytes.count else { break }
                    switch bytes[index + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                         UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        index += 2
                    case UInt8(ascii: "u"):
                        guard index + 5 < bytes.count,
                              (index + 2...index + 5).allSatisfy({ hexValue(bytes[$0]) != nil })
                        else {
                            throw SyntaxError(reason: "a \\u escape needs four hex digits", offset: index)
                        }
                        index += 6
                    default:
                        throw SyntaxError(reason: "invalid escape \\\(describe(index + 1)) in a string", offset: index)
                    }
                    continue
                }
                if byte < 0x20 {
                    throw SyntaxError(reason: "unescaped control character in a string", offset: index)
                }
                index += 1
            }
            throw SyntaxError(reason: "a string is not closed before the end of the line", offset: offset)
        }

        private mutating func number(at offset: Int) throws(SyntaxError) -> Int {
            var index = offset
            func digits() -> Int {
                let first = index
                while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                    index += 1
                }
                return index - first
            }
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count else { throw SyntaxError(reason: "a number has no digits", offset: offset) }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else if digits() == 0 {
                throw SyntaxError(reason: "a number has no digits", offset: offset)
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                if digits() == 0 { throw SyntaxError(reason: "a number has no digits after '.'", offset: index) }
            }
            if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                    index += 1
                }
                if digits() == 0 { throw SyntaxError(reason: "a number has no digits in its exponent", offset: index) }
            }
            let count = Int32(tokens.count)
            tokens.append(Token(kind: .number, escaped: false, start: Int32(offset), end: Int32(index), next: count + 1))
            return index
        }

        private mutating func literal(_ word: StaticString, kind: Kind, at offset: Int) throws(SyntaxError) -> Int {
            let length = word.utf8CodeUnitCount
            guard offset + length <= bytes.count,
                  memcmp(bytes.baseAddress! + offset, word.utf8Start, length) == 0
            else {
                throw SyntaxError(reason: "expected a JSON value but found \(describe(offset))", offset: offset)
            }
            let count = Int32(tokens.count)
            tokens.append(Token(kind: kind, escaped: false, start: Int32(offset), end: Int32(offset + length),
                                next: count + 1))
            return offset + length
        }
    }
}

@inline(__always)
func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
