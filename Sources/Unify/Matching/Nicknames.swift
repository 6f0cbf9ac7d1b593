/// Short forms and translations of first names that one person goes by (`Alex` for
/// `Alexandre`, `Nico` for `Nicolas`, `John` for `Jean`).
///
/// A small hand-made French/English table, not a census: each group lists a name with the
/// forms commonly written for it on forms and receipts. A form may belong to several groups
/// (`Alex` is short for `Alexandre` and `Alexandra`, `Chris` for `Christophe`, `Christine` and
/// `Christian`); two names are nicknames of each other when they share a group. `Élise` and
/// `Lisa` are in `Elisabeth`'s group although each is also a name of its own: a pair that
/// meets only there gets the ``MatchLevel/nickname`` level, which is weaker than agreement.
/// Names are folded (``FoldedText``) before lookup, so accents and case do not matter.
enum Nicknames {
    /// The groups, at most 64 (each is a bit of ``groups(of:)``).
    static let table: [[String]] = [
        ["alexandre", "alexander", "alex", "sacha", "sasha"],
        ["alexandra", "alex", "sandra", "sacha"],
        ["christophe", "christopher", "chris", "kris"],
        ["christine", "christina", "chris", "kristine"],
        ["christian", "chris"],
        ["nicolas", "nicholas", "nico", "nick", "nicky", "colas"],
        ["nicole", "nico", "nikki"],
        ["catherine", "katherine", "kathryn", "cathy", "kathy", "cathie", "kate", "katie", "cath"],
        ["elisabeth", "elizabeth", "elise", "lisa", "lise", "liz", "beth", "betty", "babette", "zabeth"],
        ["isabelle", "isabel", "isabella", "isa", "bella", "babeth"],
        ["william", "bill", "billy", "will", "willy", "liam"],
        ["guillaume", "william", "will"],
        ["robert", "bob", "bobby", "rob", "robby", "bert"],
        ["richard", "rick", "ricky", "richie", "dick"],
        ["thomas", "tom", "tommy", "thom"],
        ["michel", "michael", "mickael", "mikael", "mike", "mick", "micky"],
        ["frederic", "frederick", "fred", "freddy", "fredo"],
        ["emmanuel", "manu", "manuel"],
        ["emmanuelle", "manue", "manu"],
        ["dominique", "dom", "domi"],
        ["philippe", "philip", "phillip", "phil", "flip"],
        ["joseph", "jo", "joe", "jojo", "jose", "pepe"],
        ["josephine", "jo", "josy", "josie", "fifi"],
        ["jacques", "jack", "jacky", "jacquot", "james", "jim", "jimmy"],
        ["jean", "john", "johnny", "jeannot", "jan", "johann", "hans"],
        ["jeanne", "jane", "jeannette", "jenny"],
        ["stephane", "stephan", "stefan", "stephen", "steven", "steve", "steph"],
        ["stephanie", "steph", "fanny"],
        ["benjamin", "ben", "benji", "benny"],
        ["antoine", "anthony", "antony", "tony", "toine"],
        ["francois", "franck", "frank", "francky", "francis", "fanfan"],
        ["francoise", "fanfan", "franca"],
        ["patrick", "pat", "patou", "paddy"],
        ["patricia", "pat", "patty", "tricia", "patou"],
        ["sebastien", "sebastian", "seb", "bastien"],
        ["maxime", "maximilien", "maximilian", "max"],
        ["mathieu", "matthieu", "matthew", "matt", "mat", "matteo"],
        ["daniel", "dan", "dany", "danny"],
        ["danielle", "daniele", "dany", "dani"],
        ["gabriel", "gaby", "gabi", "gab"],
        ["gabrielle", "gaby", "gabi", "gab"],
        ["raphael", "raph", "rafa"],
        ["charles", "charlie", "charly", "chuck", "carl", "karl"],
        ["charlotte", "charlie", "lotte", "lolotte"],
        ["henri", "henry", "harry", "riri"],
        ["louis", "lou", "loulou", "ludwig", "luis"],
        ["ludovic", "ludo"],
        ["veronique", "vero", "veronica"],
        ["jennifer", "jenny", "jen", "jenn"],
        ["victor", "vic", "vico"],
        ["victoria", "vicky", "vic"],
        ["anne", "annie", "anna", "nanou"],
        ["edouard", "edward", "ed", "eddy", "eddie", "ted"],
        ["bernard", "bernie", "nanard"],
        ["margaux", "margot", "marguerite", "margaret", "maggie", "meg", "peggy"],
        ["pierre", "peter", "pierrot", "pete"],
        ["paul", "paulo", "pablo"],
        ["valentin", "valentine", "val"],
        ["gregoire", "gregory", "greg"],
        ["jeremy", "jeremie", "jerry", "jerem"],
        ["timothee", "timothy", "tim", "timmy"],
        ["samuel", "sam", "sammy"],
        ["samantha", "sam", "sammy"],
    ]

    /// Group bits by folded name, built once.
    private static let groupsByName: [String: UInt64] = {
        precondition(table.count <= 64, "Nickname groups are bits of a UInt64")
        var groups: [String: UInt64] = [:]
        for (bit, names) in table.enumerated() {
            for name in names { groups[FoldedText.folded(name), default: 0] |= 1 << UInt64(bit) }
        }
        return groups
    }()

    /// The groups a folded first name or token belongs to, one bit each; 0 when none.
    static func groups(of folded: [UInt8]) -> UInt64 {
        groupsByName[String(decoding: folded, as: UTF8.self)] ?? 0
    }

    /// Whether two first names as written share a group.
    static func areNicknames(_ a: String, _ b: String) -> Bool {
        groups(of: FoldedText.fold(a)) & groups(of: FoldedText.fold(b)) != 0
    }
}
