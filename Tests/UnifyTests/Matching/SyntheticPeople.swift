import Foundation
@testable import Unify

/// Seeded generated people and noisy records of them, for matcher tests and timing reports.
///
/// Each person gets a name, birthday, address, phone and email from small French pools;
/// each record of them drops fields, misspells names, transposes birthdays, moves house and
/// writes phones in national form at realistic rates, so that the records of one person
/// disagree the way offline data do.
struct SyntheticPeople {
    struct Person {
        var first: String
        var last: String
        var birthday: (year: Int, month: Int, day: Int)
        var postcode: String
        var city: String
        var street: String
        var phone: String
        var email: String
    }

    static let firstNames = [
        "Jean", "Marie", "Pierre", "Nathalie", "Nicolas", "Isabelle", "Christophe", "Catherine", "Alexandre", "Sophie",
        "Stéphane", "Sandrine", "Frédéric", "Valérie", "Thomas", "Céline", "Julien", "Aurélie", "Sébastien", "Élodie",
        "Kévin", "Hélène", "Mathieu", "Camille", "Antoine", "Émilie", "François", "Laetitia", "Jean-Pierre", "Anne-Sophie",
    ]
    static let lastNames = [
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon",
        "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard",
        "André", "Lefebvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Dupuis", "Meyer",
        "Rousseau", "Gauthier", "Perrin", "Chevalier", "Muller", "Faure", "Blanc", "Guérin",
    ]
    static let towns = [
        ("75011", "Paris"), ("75015", "Paris"), ("69003", "Lyon"), ("69100", "Villeurbanne"), ("13008", "Marseille"),
        ("31000", "Toulouse"), ("33000", "Bordeaux"), ("59000", "Lille"), ("44000", "Nantes"), ("67000", "Strasbourg"),
    ]
    static let streetNames = [
        "rue de la République", "avenue Victor Hugo", "boulevard Saint-Germain", "rue Jean Jaurès", "place de la Gare",
        "rue du Général Leclerc", "chemin des Vignes", "rue Pasteur", "allée des Tilleuls", "rue de Paris",
    ]
    static let nicknames = ["Nicolas": "Nico", "Christophe": "Chris", "Alexandre": "Alex", "Catherine": "Cathy", "Jean": "John"]

    /// `count` people drawn with `seed`.
    static func people(count: Int, seed: UInt64) -> [Person] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { index in
            let first = firstNames.randomElement(using: &random)!
            let last = lastNames.randomElement(using: &random)!
            let town = towns.randomElement(using: &random)!
            let number = Int.random(in: 1...180, using: &random)
            let phone = "+336" + String(Int.random(in: 10_000_000...99_999_999, using: &random))
            let local = FoldedText.folded(first + "." + last).replacingOccurrences(of: " ", with: ".")
            return Person(
                first: first, last: last,
                birthday: (Int.random(in: 1940...2005, using: &random), Int.random(in: 1...12, using: &random), Int.random(in: 1...28, using: &random)),
                postcode: town.0, city: town.1, street: "\(number) \(streetNames.randomElement(using: &random)!)",
                phone: phone, email: "\(local)\(index % 7 == 0 ? String(index) : "")@example.com"
            )
        }
    }

    /// One noisy record of `person`.
    static func record(of person: Person, using random: inout SeededGenerator) -> MatchRecord {
        func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &random) < probability }
        func padded(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var first = person.first
        var last = person.last
        if chance(0.05), let nickname = nicknames[first] { first = nickname }
        if chance(0.05) { first = String(first.prefix(1)) + "." }
        if chance(0.08) { last = misspelled(last, using: &random) }
        if chance(0.1) { last = last.uppercased() }
        var birthday = person.birthday
        if chance(0.02), birthday.day <= 12 { birthday = (birthday.year, birthday.day, birthday.month) }
        let birthdayText = chance(0.5)
            ? "\(birthday.year)-\(padded(birthday.month))-\(padded(birthday.day))"
            : "\(padded(birthday.day))/\(padded(birthday.month))/\(birthday.year)"
        let moved = chance(0.08)
        let town = moved ? towns.randomElement(using: &random)! : (person.postcode, person.city)
        let phone = chance(0.3) ? "0" + person.phone.dropFirst(3) : person.phone
        let swapped = chance(0.02)
        return MatchRecord(
            firstNames: chance(0.1) ? [] : [swapped ? last : first],
            lastNames: chance(0.05) ? [] : [swapped ? first : last],
            birthdays: chance(0.3) ? [] : [birthdayText],
            postcodes: chance(0.15) ? [] : [town.0],
            cities: chance(0.2) ? [] : [town.1],
            streets: chance(0.3) || moved ? [] : [person.street],
            phones: chance(0.5) ? [] : [phone],
            emails: chance(0.6) ? [] : [person.email]
        )
    }

    /// Records of `count` people, each seen `copies` times, shuffled; with the person of each record.
    static func dataset(people count: Int, copies: ClosedRange<Int>, seed: UInt64) -> (records: [MatchRecord], person: [Int]) {
        var random = SeededGenerator(seed: seed &+ 1)
        var rows: [(MatchRecord, Int)] = []
        for (index, person) in people(count: count, seed: seed).enumerated() {
            for _ in 0..<Int.random(in: copies, using: &random) { rows.append((record(of: person, using: &random), index)) }
        }
        rows.shuffle(using: &random)
        return (rows.map(\.0), rows.map(\.1))
    }

    private static func misspelled(_ name: String, using random: inout SeededGenerator) -> String {
        var letters = Array(name)
        guard letters.count > 3 else { return name }
        let position = Int.random(in: 1..<(letters.count - 1), using: &random)
        if Bool.random(using: &random) {
            letters.swapAt(position, position + 1)
        } else {
            letters.remove(at: position)
        }
        return String(letters)
    }
}
