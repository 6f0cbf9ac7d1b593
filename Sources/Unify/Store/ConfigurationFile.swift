import Foundation

/// The configuration file beside a store (`unify.config.json` for `unify.db`): one JSON
/// object whose parts each rule set reads (docs/CONFIGURATION.md).
///
/// Unknown keys are errors rather than ignored: a misspelt key would otherwise leave a rule
/// without its condition, and a rule without a condition matches every event.
enum ConfigurationFile {
    /// The parts the file may hold.
    static let sections = ["identity", "profiles", "journey", "consents", "matching"]

    /// The file decoded as `Part`, or `nil` when there is no file.
    static func read<Part: Decodable>(_ part: Part.Type, forStoreAt storePath: String) throws(UnifyError) -> Part? {
        let path = IdentityPolicy.configurationPath(forStoreAt: storePath)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            let object = try JSONSerialization.jsonObject(with: data)
            guard let sections = object as? [String: Any] else {
                throw Problem(text: "the file must hold one JSON object")
            }
            if let unknown = sections.keys.sorted().first(where: { !ConfigurationFile.sections.contains($0) }) {
                throw Problem(text: "unknown section \"\(unknown)\": expected "
                              + ConfigurationFile.sections.map { "\"\($0)\"" }.joined(separator: ", "))
            }
            return try JSONDecoder().decode(Part.self, from: data)
        } catch {
            throw UnifyError(code: .storeUnavailable, message: "cannot read the configuration \(path): "
                             + describe(error) + "; fix it (docs/CONFIGURATION.md) or remove it to use the defaults")
        }
    }

    struct Problem: Error {
        var text: String
    }

    /// A decoding error as a person reads it: where in the file, and what is wrong.
    static func describe(_ error: any Error) -> String {
        func place(_ path: [any CodingKey]) -> String {
            let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "at the top" : "at " + String(text.drop { $0 == "." })
        }
        switch error {
        case let problem as Problem:
            return problem.text
        case DecodingError.keyNotFound(let key, let context):
            return "\(place(context.codingPath)): \"\(key.stringValue)\" is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            return "\(place(context.codingPath)): \(context.debugDescription)"
        default:
            // JSONSerialization says what is wrong only in its debug description
            // ("Number 1e400 is not representable in Swift.").
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            return detail.map { "the file cannot be read as JSON: \($0)" } ?? error.localizedDescription
        }
    }
}

extension KeyedDecodingContainer {
    /// The largest whole number a configuration holds: days, counts and limits far below it,
    /// and products such as days in milliseconds still fit.
    static var largestWholeNumber: Double { 1_000_000_000 }

    /// The whole number at `key`, when there is one. Read as a number first: JSONDecoder
    /// reports `2.5` where an `Int` is expected as "not valid JSON" at the top of the file,
    /// which says neither where nor what.
    func decodeWholeNumberIfPresent(forKey key: Key) throws -> Int? {
        let read: Double?
        do {
            read = try decodeIfPresent(Double.self, forKey: key)
        } catch DecodingError.typeMismatch {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected a whole number")
        }
        guard let number = read else { return nil }
        guard number.rounded() == number else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(number) is not a whole number")
        }
        guard number.magnitude <= Self.largestWholeNumber else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self,
                                                   debugDescription: "\(Int64(exactly: number).map(String.init) ?? "\(number)") is beyond "
                                                       + "1,000,000,000 either way")
        }
        return Int(number)
    }

    /// An object of whole numbers at `key` (`{"user_id": 1}`), each checked like
    /// ``decodeWholeNumberIfPresent(forKey:)``.
    func decodeWholeNumbersIfPresent(forKey key: Key) throws -> [String: Int]? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        let object = try nestedContainer(keyedBy: AnyCodingKey.self, forKey: key)
        var numbers: [String: Int] = [:]
        for member in object.allKeys {
            guard let number = try object.decodeWholeNumberIfPresent(forKey: member) else {
                throw DecodingError.dataCorruptedError(forKey: member, in: object, debugDescription: "expected a whole number, found null")
            }
            numbers[member.stringValue] = number
        }
        return numbers
    }
}

/// Any key of a JSON object.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// Fails on a key of this object that `Keys` does not name, so that a misspelling is
    /// reported instead of silently dropping what it meant.
    func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        let container = try self.container(keyedBy: AnyCodingKey.self)
        for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue })
        where Keys(stringValue: key.stringValue) == nil {
            let known = Keys.allCases.map { "\"\($0.stringValue)\"" }.joined(separator: ", ")
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: codingPath + [key], debugDescription: "unknown key \"\(key.stringValue)\": expected one of \(known)"))
        }
    }
}
