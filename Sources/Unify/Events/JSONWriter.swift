/// Writes compact JSON text as UTF-8 bytes.
///
/// Two uses: the canonical form of a line that carries no id (keys sorted by their UTF-8
/// bytes, no whitespace, strings escaped one way), whose hash becomes the event id; and
/// the JSON text of events that an app appends in code rather than as lines.
struct JSONWriter {
    var bytes: [UInt8] = []

    mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .number(let literal): bytes.append(contentsOf: literal.utf8)
        case .string(let text): writeString(text.utf8)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            write(object)
        }
    }

    mutating func write(_ object: JSONObject) {
        let members = object.members
        bytes.append(UInt8(ascii: "{"))
        for (position, member) in members.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            writeString(member.key.utf8)
            bytes.append(UInt8(ascii: ":"))
            write(member.value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Writes the canonical form of the tape value at `index` without building Swift values
    /// for the parts that need no re-escaping.
    mutating func writeCanonical(_ document: JSONDocument, _ index: Int) {
        write(document, index, sortingKeys: true)
    }

    /// Writes the tape value at `index` as compact text, members in their order: the bytes
    /// of the value's ``JSONValue/jsonText``, without building the value.
    mutating func write(_ document: JSONDocument, _ index: Int) {
        write(document, index, sortingKeys: false)
    }

    private mutating func write(_ document: JSONDocument, _ index: Int, sortingKeys: Bool) {
        let token = document[index]
        switch token.kind {
        case .object:
            var members: [(key: String, value: Int)] = []
            document.forEachMember(of: index) { (key: Int, value: Int) in
                members.append((document.string(key), value))
            }
            if sortingKeys { members.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) } }
            bytes.append(UInt8(ascii: "{"))
            for (position, member) in members.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(member.key.utf8)
                bytes.append(UInt8(ascii: ":"))
                write(document, member.value, sortingKeys: sortingKeys)
            }
            bytes.append(UInt8(ascii: "}"))
        case .array:
            bytes.append(UInt8(ascii: "["))
            var first = true
            document.forEachElement(of: index) { element in
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                write(document, element, sortingKeys: sortingKeys)
            }
            bytes.append(UInt8(ascii: "]"))
        case .string:
            if token.escaped {
                writeString(document.string(index).utf8)
            } else {
                writeString(document.rawBytes(index))
            }
        case .number, .true, .false, .null:
            bytes.append(contentsOf: document.rawBytes(index))
        }
    }

    mutating func writeString(_ utf8: some Sequence<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        appendEscaped(utf8)
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ utf8: some Sequence<UInt8>) {
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case 0x0A: append("\\n")
            case 0x0D: append("\\r")
            case 0x09: append("\\t")
            case 0..<0x20:
                append("\\u00")
                bytes.append(JSONWriter.hexDigits[Int(byte >> 4)])
                bytes.append(JSONWriter.hexDigits[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
    }

    private mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    static let hexDigits = Array("0123456789abcdef".utf8)
}

extension JSONValue {
    /// The compact JSON text of this value, keys in their original order.
    public var jsonText: String {
        var writer = JSONWriter()
        writer.write(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
