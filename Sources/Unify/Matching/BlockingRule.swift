/// A way of grouping records so that only records sharing a key are compared.
///
/// Each rule catches matches the others miss; together they keep likely matches in some
/// common block while comparing a tiny share of all pairs. Every rule's keys use the folded
/// values of ``MatchRecord``, one key per combination of values (see ``BlockingKeys``).
enum BlockingRule: String, CaseIterable, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The version of the rules and of the keys they make: raised whenever a rule is added or
    /// removed or a key changes, so that a store indexed by other rules indexes its records
    /// again when it is next opened for writing (else records matched before the change could
    /// never be found by its new keys, and the store would differ from its rebuild).
    /// 2: postcode and whole last name, postcode with first name and last-name initial.
    static let keysVersion = 2

    /// Postcode and the first letter of the last name: `75011 d`. Catches typos anywhere in
    /// a name but its first letter, within one postcode.
    case postcodeAndLastNameInitial
    /// Postcode and the whole last name: `75011 dupont`. Catches a first name misspelt,
    /// shortened, given as an initial or left out, in a block about the size of a household
    /// (plus namesakes), where postcode and initial alone make a block too big to compare in
    /// a town.
    case postcodeAndLastName
    /// Postcode, the whole first name and the first letter of the last name: `75011 jean d`.
    /// Catches a last name misspelt (past its first letter) or written in part, in a small
    /// block, for the same reason.
    case postcodeFirstNameAndLastNameInitial
    /// The ``FrenchPhonetic`` code of the last name and the birth year: `dupui 1980`. Catches
    /// spelling variants (`Dupuis`/`Dupuy`) of people who moved.
    case lastNamePhoneticAndBirthYear
    /// The complete birthday and the first-name initial: `1980-03-12 j`. Catches a last name
    /// misspelt, changed by marriage or missing, and people who moved.
    case birthdayAndFirstNameInitial
    /// The complete birthday and the postcode: `1980-03-12 75011`. Catches records whose
    /// names are missing or disagree.
    case birthdayAndPostcode
    /// House number, last word of the street name, and postcode or town: `12 hugo 75011`,
    /// `12 hugo lyon`. Catches one household address written with or without a name.
    case houseNumberStreetAndTown
    /// The last eight digits of a phone: `12345678`. Catches a number in another country
    /// prefix or national form.
    case phoneLastEightDigits
    /// Last name, first-name initial and city: `dupont j lyon`. Catches records without
    /// postcode or birthday, such as a till receipt's name and town.
    case lastNameFirstInitialAndCity
    /// First and last name in alphabetical order: `dupont jean`. Catches names written in the
    /// wrong boxes, and records with a name and nothing else in common.
    case fullNameInAnyOrder
    /// The normalised email local part: `jeandupont`. Catches one person's addresses at
    /// several providers.
    case emailLocalPart

    /// The rule's name.
    var description: String { rawValue }
}
