import Foundation

/// A typed key that can tie an event to a person: `email:jane@example.com`, `user_id:42`.
///
/// Values are normalised when an identifier is made, so two spellings of one key compare
/// equal: emails are trimmed and lower-cased, phones keep their digits (and a leading `+`),
/// other ids are trimmed. Values that cannot identify anyone are refused: empty text,
/// placeholders such as `null` or `undefined`, masked values (`f***@h***.c***`), an email
/// without a domain, a phone with too few digits.
///
/// ```swift
/// Identifier(kind: .email, value: " Jane.Doe@Example.com ")?.description  // "email:jane.doe@example.com"
/// ```
public struct Identifier: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The type of an identifier: one of the well-known kinds or any external id type.
    public struct Kind: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible {
        public let rawValue: String

        /// Takes a type as written in an export: `loyaltyId`, `Loyalty ID` and `loyalty_id`
        /// are one kind, and common synonyms (`phone_number`, `email_address`) map onto
        /// ``phone`` and ``email``.
        public init(rawValue: String) {
            let trimmed = rawValue.trimmingWhitespace()
            let isSnakeCase = trimmed.utf8.allSatisfy {
                ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                    || $0 == UInt8(ascii: "_")
            }
            let snake = isSnakeCase ? trimmed : Kind.snakeCased(trimmed)
            switch snake {
            case "userid", "user": self.rawValue = "user_id"
            case "anonymousid", "anonymous": self.rawValue = "anonymous_id"
            case "email_address", "e_mail", "mail": self.rawValue = "email"
            case "phone_number", "mobile", "mobile_phone", "telephone", "tel": self.rawValue = "phone"
            case "deviceid", "device": self.rawValue = "device_id"
            default: self.rawValue = snake
            }
        }

        /// A kind an input names: `record` is unify's own (``matchRecord``), so an input's
        /// `record` ids are `record_id`s.
        init(inputName: String) {
            let kind = Kind(rawValue: inputName)
            self = kind == .matchRecord ? Kind(stored: "record_id") : kind
        }

        /// A kind already in its normal form (read back from the store): taken as it is.
        init(stored rawValue: String) {
            self.rawValue = rawValue
        }

        public static let userID = Kind(rawValue: "user_id")
        public static let anonymousID = Kind(rawValue: "anonymous_id")
        public static let email = Kind(rawValue: "email")
        public static let phone = Kind(rawValue: "phone")
        public static let deviceID = Kind(rawValue: "device_id")
        /// An offline record's own identity, `record:<event id>`: a probabilistic link puts
        /// it on both records, the offline one's when the other holds an account, the earlier
        /// one's when both are offline (docs/IDENTITY.md). Events never carry it in their input.
        public static let matchRecord = Kind(stored: "record")
        /// The old id named by an `alias` call (`previousId`): a user id or an anonymous id.
        public static let previousID = Kind(rawValue: "previous_id")

        public var description: String { rawValue }

        public static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }

        private static func snakeCased(_ text: String) -> String {
            var result = ""
            var previousWasLower = false
            for character in text {
                if character.isUppercase {
                    if previousWasLower { result.append("_") }
                    result.append(contentsOf: character.lowercased())
                    previousWasLower = false
                } else if character == " " || character == "-" || character == "." {
                    if !result.hasSuffix("_") { result.append("_") }
                    previousWasLower = false
                } else {
                    result.append(character)
                    previousWasLower = character.isLowercase || character.isNumber
                }
            }
            return result
        }
    }

    public let kind: Kind
    /// The normalised value.
    public let value: String

    /// Makes an identifier from a value as written; `nil` when the value cannot identify anyone.
    public init?(kind: Kind, value: String) {
        guard let normalised = Identifier.normalise(value, as: kind) else { return nil }
        self.kind = kind
        self.value = normalised
    }

    init(trustedKind kind: Kind, value: String) {
        self.kind = kind
        self.value = value
    }

    /// `kind:value`, the form identifiers take in the log, in exports and on the command line.
    public var description: String { "\(kind.rawValue):\(value)" }

    /// The key the store keeps the identifier under: the first 64 bits of the digest of
    /// ``description``, made without building that text (every identifier of every event).
    var digestKey: Int64 {
        var (kind, value) = (kind.rawValue, value)
        return kind.withUTF8 { kind in
            value.withUTF8 { value in
                withUnsafeTemporaryAllocation(byteCount: kind.count + 1 + value.count, alignment: 8) { text in
                    if !kind.isEmpty { text.baseAddress!.copyMemory(from: kind.baseAddress!, byteCount: kind.count) }
                    text[kind.count] = UInt8(ascii: ":")
                    if !value.isEmpty {
                        (text.baseAddress! + kind.count + 1).copyMemory(from: value.baseAddress!, byteCount: value.count)
                    }
                    return ContentDigest(UnsafeRawBufferPointer(text)).integerKey
                }
            }
        }
    }

    /// By kind, then value, compared as UTF-8 bytes.
    public static func < (lhs: Identifier, rhs: Identifier) -> Bool {
        if lhs.kind != rhs.kind { return lhs.kind.rawValue.utf8.lexicographicallyPrecedes(rhs.kind.rawValue.utf8) }
        return lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
    }
}

extension Identifier {
    /// Placeholder words that trackers and forms write where a value is missing.
    static let placeholders: Set<String> = [
        "null", "nil", "none", "undefined", "nan", "n/a", "na", "unknown", "-", "--", "?", "[object object]",
        "0", "false", "true",
    ]

    /// Makes an identifier from UTF-8 bytes as written, without an intermediate string.
    init?(kind: Kind, utf8: UnsafeBufferPointer<UInt8>) {
        guard let normalised = Identifier.normalise(utf8, as: kind) else { return nil }
        self.kind = kind
        self.value = normalised
    }

    static func normalise(_ raw: String, as kind: Kind) -> String? {
        var raw = raw
        return raw.withUTF8 { normalise($0, as: kind) }
    }

    /// Works on bytes: identifiers are normalised for every event of every ingest. Text
    /// beyond ASCII is first composed (Unicode NFC), so that `é` typed as one character or as
    /// `e` and an accent is one identifier, byte for byte.
    static func normalise(_ raw: UnsafeBufferPointer<UInt8>, as kind: Kind) -> String? {
        if raw.contains(where: { $0 >= 0x80 }) {
            var composed = String(decoding: raw, as: UTF8.self).precomposedStringWithCanonicalMapping
            return composed.withUTF8 { normaliseComposed($0, as: kind) }
        }
        return normaliseComposed(raw, as: kind)
    }

    private static func normaliseComposed(_ raw: UnsafeBufferPointer<UInt8>, as kind: Kind) -> String? {
        let text = raw.trimmingWhitespace()
        guard !text.isEmpty else { return nil }
        if text.count <= 15, placeholders.contains(asciiLowercased(text)) { return nil }
        // A run of asterisks is how exports mask personal data; such a value matches nobody.
        for index in 1..<max(text.count, 1) where text[index] == UInt8(ascii: "*") && text[index - 1] == UInt8(ascii: "*") {
            return nil
        }
        switch kind {
        case .email: return normaliseEmail(text)
        case .phone: return normalisePhone(text)
        default: return String(decoding: text, as: UTF8.self)
        }
    }

    private static func normaliseEmail(_ text: UnsafeBufferPointer<UInt8>) -> String? {
        var at = -1
        var hasNonASCII = false
        for (index, byte) in text.enumerated() {
            switch byte {
            case UInt8(ascii: "@"):
                guard at < 0 else { return nil }
                at = index
            case 0...0x20, UInt8(ascii: "*"): return nil
            case 0x80...: hasNonASCII = true
            default: break
            }
        }
        guard at > 0 else { return nil }
        let domain = UnsafeBufferPointer(rebasing: text[(at + 1)...])
        guard domain.count >= 3, domain.contains(UInt8(ascii: ".")),
              domain.first != UInt8(ascii: "."), domain.last != UInt8(ascii: ".")
        else { return nil }
        if hasNonASCII { return String(decoding: text, as: UTF8.self).lowercased() }
        return asciiLowercased(text)
    }

    /// The bytes as a string with ASCII capitals lower-cased (other bytes kept).
    private static func asciiLowercased(_ text: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: text.count) { buffer in
            for index in 0..<text.count {
                let byte = text[index]
                buffer[index] = byte.isASCIIUppercase ? byte | 0x20 : byte
            }
            return text.count
        }
    }

    /// Keeps the digits and a leading `+` (`00` becomes `+`), drops an extension and the
    /// national trunk `(0)` written after a country code. Turning national numbers into
    /// E.164 needs the shop's country and belongs to identity resolution.
    private static func normalisePhone(_ text: UnsafeBufferPointer<UInt8>) -> String? {
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        var international = false
        var index = 0
        scan: while index < text.count {
            let byte = text[index]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits.append(byte)
            case UInt8(ascii: "+") where digits.isEmpty && !international:
                international = true
            case UInt8(ascii: "("):
                if index + 2 < text.count, text[index + 1] == UInt8(ascii: "0"), text[index + 2] == UInt8(ascii: ")"),
                   international || !digits.isEmpty
                {
                    index += 3
                    continue
                }
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ")"):
                break
            case 0xC2 where index + 1 < text.count && text[index + 1] == 0xA0:
                index += 1
            case UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "#"):
                // An extension ("ext 12", "x12", "#12") ends the number.
                break scan
            default:
                return nil
            }
            index += 1
        }
        if !international && digits.starts(with: [0x30, 0x30]) {
            international = true
            digits.removeFirst(2)
        }
        guard (6...15).contains(digits.count) else { return nil }
        return (international ? "+" : "") + String(decoding: digits, as: UTF8.self)
    }
}
