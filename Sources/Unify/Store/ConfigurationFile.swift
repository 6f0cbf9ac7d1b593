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
            return error.localizedDescription
        }
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
