/// Why a line of input was not accepted, in words a person can act on.
///
/// Every rejected line is kept verbatim in the store with its fault; `unify rejects` lists
/// them and writes them back out to be fixed and ingested again.
public struct LineFault: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of fault, stable across versions, for scripts and tests.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String {
            case invalidUTF8 = "invalid_utf8"
            case lineTooLong = "line_too_long"
            case notJSON = "not_json"
            case nestedTooDeep = "nested_too_deep"
            case notAnObject = "not_an_object"
            case unknownType = "unknown_type"
            case wrongFieldType = "wrong_field_type"
            case noPerson = "no_person"
            case unreadableTime = "unreadable_time"
        }

        private let base: Base

        /// The line is not valid UTF-8.
        public static let invalidUTF8 = Code(base: .invalidUTF8)
        /// The line is longer than the store's limit.
        public static let lineTooLong = Code(base: .lineTooLong)
        /// The line is not valid JSON.
        public static let notJSON = Code(base: .notJSON)
        /// The JSON nests deeper than the store's limit.
        public static let nestedTooDeep = Code(base: .nestedTooDeep)
        /// The line is JSON, but not an object.
        public static let notAnObject = Code(base: .notAnObject)
        /// `type` (or `action`) is not one of Segment's call types.
        public static let unknownType = Code(base: .unknownType)
        /// A field the engine reads has the wrong JSON type.
        public static let wrongFieldType = Code(base: .wrongFieldType)
        /// Nothing in the line can tie it to a person: no identifier and no trait.
        public static let noPerson = Code(base: .noPerson)
        /// A time field is present but is not a valid ISO-8601 date and time.
        public static let unreadableTime = Code(base: .unreadableTime)

        /// Reads a code as stored; `nil` for a code this version does not know.
        public init?(rawValue: String) {
            guard let base = Base(rawValue: rawValue) else { return nil }
            self.base = base
        }

        private init(base: Base) { self.base = base }

        /// The code as stored and printed, e.g. `not_json`.
        public var rawValue: String { base.rawValue }
        public var description: String { base.rawValue }
    }

    public var code: Code
    /// What is wrong, where, and what would fix it.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
