import Foundation

/// Read access to a parsed tape together with the bytes it points into.
///
/// Valid only while the line's bytes are; the decoder never lets one escape a line.
struct JSONDocument {
    let bytes: UnsafeBufferPointer<UInt8>
    let tokens: UnsafeBufferPointer<JSONTape.Token>

    subscript(index: Int) -> JSONTape.Token { tokens[index] }

    func kind(_ index: Int) -> JSONTape.Kind { tokens[index].kind }

    /// Calls `body` with the token indexes of each key and value of the object at `index`.
    @inline(__always)
    func forEachMember<Failure: Error>(
        of index: Int, _ body: (_ key: Int, _ value: Int) throws(Failure) -> Void
    ) throws(Failure) {
        var member = index + 1
        let end = Int(tokens[index].next)
        while member < end {
            try body(member, member + 1)
            member = Int(tokens[member + 1].next)
        }
    }

    /// Calls `body` with the token index of each element of the array at `index`.
    func forEachElement(of index: Int, _ body: (Int) -> Void) {
        var element = index + 1
        let end = Int(tokens[index].next)
        while element < end {
            body(element)
            element = Int(tokens[element].next)
        }
    }

    /// The raw bytes a token covers (a string's contents without quotes).
    func rawBytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let token = tokens[index]
        return UnsafeBufferPointer(rebasing: bytes[Int(token.start)..<Int(token.end)])
    }

    /// Whether the string token at `index` is exactly `text` (escapes are decoded first).
    @inline(__always)
    func isString(_ index: Int, equalTo text: StaticString) -> Bool {
        let token = tokens[index]
        if token.escaped { return string(index) == text.description }
        let length = Int(token.end - token.start)
        return length == text.utf8CodeUnitCount
            && memcmp(bytes.baseAddress! + Int(token.start), text.utf8Start, length) == 0
    }

    /// The text of a string token, with escapes decoded.
    func string(_ index: Int) -> String {
        let token = tokens[index]
        let raw = rawBytes(index)
        guard token.escaped else { return String(decoding: raw, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: raw.count) { buffer in
            JSONDocument.unescape(raw, into: buffer)
        }
    }

    /// The literal text of a number token.
    func numberLiteral(_ index: Int) -> String {
        String(decoding: rawBytes(index), as: UTF8.self)
    }

    /// Builds the Swift value of the token at `index` and everything it contains.
    func value(_ index: Int) -> JSONValue {
        switch tokens[index].kind {
        case .null: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .number: return .number(numberLiteral(index))
        case .string: return .string(string(index))
        case .array:
            var elements: [JSONValue] = []
            forEachElement(of: index) { elements.append(value($0)) }
            return .array(elements)
        case .object:
            return .object(object(index))
        }
    }

    /// Builds the members of the object at `index`.
    func object(_ index: Int) -> JSONObject {
        var members: [JSONObject.Member] = []
        var member = index + 1
        let end = Int(tokens[index].next)
        while member < end {
            members.append(JSONObject.Member(key: string(member), value: value(member + 1)))
            member = Int(tokens[member + 1].next)
        }
        return JSONObject(members)
    }

    /// Decodes JSON string escapes; the escapes were validated by the parser. The result is
    /// never longer than the input, since every escape is at least as long as what it means.
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var read = 0
        var written = 0
        func put(_ byte: UInt8) {
            output[written] = byte
            written += 1
        }
        func hex4(_ at: Int) -> UInt32 {
            (0..<4).reduce(UInt32(0)) { $0 << 4 | UInt32(hexValue(raw[at + $1]) ?? 0) }
        }
        while read < raw.count {
            let byte = raw[read]
            guard byte == UInt8(ascii: "\\") else {
                put(byte)
                read += 1
                continue
            }
            let escape = raw[read + 1]
            read += 2
            switch escape {
            case UInt8(ascii: "b"): put(0x08)
            case UInt8(ascii: "f"): put(0x0C)
            case UInt8(ascii: "n"): put(0x0A)
            case UInt8(ascii: "r"): put(0x0D)
            case UInt8(ascii: "t"): put(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(read)
                read += 4
                if (0xD800..<0xDC00).contains(scalar), read + 6 <= raw.count,
                   raw[read] == UInt8(ascii: "\\"), raw[read + 1] == UInt8(ascii: "u")
                {
                    let low = hex4(read + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        read += 6
                    }
                }
                // A lone surrogate is legal JSON but not Unicode: it becomes U+FFFD.
                let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                for unit in UTF8.encode(character)! { put(unit) }
            default: put(escape)
            }
        }
        return written
    }
}
