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
            let snake = Kind.snakeCased(rawValue.trimmingWhitespace())
            switch snake {
            case "userid", "user": self.rawValue = "user_id"
            case "anonymousid", "anonymous": self.rawValue = "anonymous_id"
            case "email_address", "e_mail", "mail": self.rawValue = "email"
            case "phone_number", "mobile", "mobile_phone", "telephone", "tel": self.rawValue = "phone"
            case "deviceid", "device": self.rawValue = "device_id"
            default: self.rawValue = snake
            }
        }

        public static let userID = Kind(rawValue: "user_id")
        public static let anonymousID = Kind(rawValue: "anonymous_id")
        public static let email = Kind(rawValue: "email")
        public static let phone = Kind(rawValue: "phone")
        public static let deviceID = Kind(rawValue: "device_id")
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

    /// `kind:value`, the form identifiers take in the log, in exports and on the command line.
    public var description: String { "\(kind.rawValue):\(value)" }

    public static func < (lhs: Identifier, rhs: Identifier) -> Bool {
        (lhs.kind.rawValue, lhs.value) < (rhs.kind.rawValue, rhs.value)
    }
}

extension Identifier {
    /// Placeholder words that trackers and forms write where a value is missing.
    static let placeholders: Set<String> = [
        "null", "nil", "none", "undefined", "nan", "n/a", "na", "unknown", "-", "--", "?", "[object object]",
        "0", "false", "true",
    ]

    static func normalise(_ raw: String, as kind: Kind) -> String? {
        let trimmed = raw.trimmingWhitespace()
        guard !trimmed.isEmpty, !placeholders.contains(trimmed.lowercased()) else { return nil }
        // A run of asterisks is how exports mask personal data; such a value matches nobody.
        guard !trimmed.contains("**") else { return nil }
        switch kind {
        case .email: return normaliseEmail(trimmed)
        case .phone: return normalisePhone(trimmed)
        default: return trimmed
        }
    }

    private static func normaliseEmail(_ text: String) -> String? {
        let lowered = text.lowercased()
        let parts = lowered.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !lowered.contains(where: { $0.isWhitespace || $0 == "*" })
        else { return nil }
        return lowered
    }

    /// Keeps the digits and a leading `+` (`00` becomes `+`), drops the national trunk `(0)`
    /// written after a country code. Turning national numbers into E.164 needs the shop's
    /// country and belongs to identity resolution.
    private static func normalisePhone(_ text: String) -> String? {
        var body = Substring(text)
        if let extensionStart = body.range(of: "ext")?.lowerBound ?? body.firstIndex(of: "x") {
            body = body[..<extensionStart]
        }
        body = Substring(body.replacingOccurrences(of: "(0)", with: ""))
        var digits = ""
        var international = false
        for character in body {
            if let digit = character.wholeNumberValue, character.isASCII {
                digits.append(String(digit))
            } else if character == "+" && digits.isEmpty {
                international = true
            } else if !" -./()\u{00A0}".contains(character) {
                return nil
            }
        }
        if !international && digits.hasPrefix("00") {
            international = true
            digits.removeFirst(2)
        }
        guard (6...15).contains(digits.count) else { return nil }
        return international ? "+" + digits : digits
    }
}
