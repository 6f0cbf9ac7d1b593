/// The blocking keys of a record under each ``BlockingRule``.
///
/// A record gets one key per combination of its values (each postcode with each last-name
/// initial, and so on), at most ``maximumKeysPerRule`` per rule, the first combinations in
/// value order. A last name of several words (`Dupont-Martin`, `de la Fontaine`) also keys
/// under each of its words of three letters or more that is not a particle, so that
/// `Dupont-Martin` and `Martin` can meet. A rule whose fields a record lacks gives it no key.
enum BlockingKeys {
    /// Keys per rule and record, so that a customer with a long history does not join
    /// dozens of blocks.
    static let maximumKeysPerRule = 16

    /// The keys of `record` under `rules`, sorted and without repeats.
    static func keys(for record: MatchRecord, rules: [BlockingRule] = BlockingRule.allCases) -> [BlockingKey] {
        // Decoded once for every rule: each reads several fields, last names twice.
        let values = MatchRecord.Decoded(record)
        return rules.flatMap { rule in keys(for: values, rule: rule).map { BlockingKey(rule: rule, value: $0) } }.sorted()
    }

    /// The key values of `record` under one rule, without repeats, in a fixed order.
    static func keys(for record: MatchRecord, rule: BlockingRule) -> [String] {
        keys(for: MatchRecord.Decoded(record), rule: rule)
    }

    private static func keys(for record: MatchRecord.Decoded, rule: BlockingRule) -> [String] {
        var values: [String] = []
        func add(_ value: String) {
            if values.count < maximumKeysPerRule, !values.contains(value) { values.append(value) }
        }
        let lastNames = lastNameVariants(record)
        switch rule {
        case .postcodeAndLastNameInitial:
            for postcode in record.postcodes {
                for name in lastNames { add("\(postcode) \(Character(Unicode.Scalar(name[0])))") }
            }
        case .postcodeAndLastName:
            for postcode in record.postcodes {
                for name in lastNames { add("\(postcode) \(text(name))") }
            }
        case .postcodeFirstNameAndLastNameInitial:
            for postcode in record.postcodes {
                for first in record.firstNames where !first.isInitialsOnly {
                    for name in lastNames { add("\(postcode) \(text(first.squashed)) \(Character(Unicode.Scalar(name[0])))") }
                }
            }
        case .lastNamePhoneticAndBirthYear:
            for name in lastNames {
                let code = FrenchPhonetic.code(name)
                guard !code.isEmpty else { continue }
                for birthday in record.birthdays { add("\(text(code)) \(birthday.year)") }
            }
        case .birthdayAndFirstNameInitial:
            for birthday in record.birthdays where birthday.isComplete {
                for first in record.firstNames { add("\(birthday) \(Character(Unicode.Scalar(first.initials[0])))") }
            }
        case .birthdayAndPostcode:
            for birthday in record.birthdays where birthday.isComplete {
                for postcode in record.postcodes { add("\(birthday) \(postcode)") }
            }
        case .houseNumberStreetAndTown:
            for street in record.streets {
                guard let number = street.number, let word = street.nameTokens.last else { continue }
                for postcode in record.postcodes { add("\(number) \(text(word)) \(postcode)") }
                for city in record.cities { add("\(number) \(text(word)) \(city)") }
            }
        case .phoneLastEightDigits:
            for phone in record.phones where phone.digitCount >= 8 { add(String(phone.number.suffix(8))) }
        case .lastNameFirstInitialAndCity:
            for name in lastNames {
                for first in record.firstNames {
                    for city in record.cities { add("\(text(name)) \(Character(Unicode.Scalar(first.initials[0]))) \(city)") }
                }
            }
        case .fullNameInAnyOrder:
            for last in record.lastNames {
                for first in record.firstNames where !first.isInitialsOnly && !last.isInitialsOnly {
                    let names = [text(first.squashed), text(last.squashed)].sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                    add(names.joined(separator: " "))
                }
            }
        case .emailLocalPart:
            for local in record.emailLocalParts { add(local.description) }
        }
        return values
    }

    /// Squashed last names, then the significant words of those with several.
    private static func lastNameVariants(_ record: MatchRecord.Decoded) -> [[UInt8]] {
        var variants: [[UInt8]] = []
        for name in record.lastNames where !name.isInitialsOnly && !variants.contains(Array(name.squashed)) {
            variants.append(Array(name.squashed))
        }
        for name in record.lastNames where !name.isInitialsOnly {
            let words = FoldedText.tokens(of: Array(name.text))
            guard words.count > 1 else { continue }
            for word in words where word.count >= 3 && !FullName.particles.contains(text(word)) && !variants.contains(word) {
                variants.append(word)
            }
        }
        return variants
    }

    /// Folded bytes as a string.
    private static func text(_ bytes: some Collection<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
}
