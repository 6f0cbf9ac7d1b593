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
///
/// Some short forms are shared by a man's and a woman's name (`Flo` for `Florian` and
/// `Florence`, `Clem`, `Mel`, `Jacky`): a receipt signed `Flo` fits either, and two
/// relatives it fits both leave it unjoined (the rule on records that fit two account holders).
enum Nicknames {
    /// The groups, at most 128 (each is a bit of ``groups(of:)``).
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
        ["guillaume", "william", "will", "guigui"],
        ["robert", "bob", "bobby", "rob", "robby", "bert"],
        ["richard", "rick", "ricky", "richie", "dick"],
        ["thomas", "tom", "tommy", "thom"],
        ["michel", "michael", "mickael", "mikael", "mike", "mick", "micky", "mika"],
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
        ["stephane", "stephan", "stefan", "stephen", "steven", "steve", "steph", "stef"],
        ["stephanie", "steph", "stef", "fanny"],
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
        ["benoit", "ben"],
        ["clement", "clem"],
        ["clemence", "clem"],
        ["mohamed", "mohammed", "mohamad", "muhammad", "med", "momo"],
        ["kevin", "kev"],
        ["nathalie", "natalie", "nath"],
        ["valerie", "val", "valou"],
        ["sandrine", "sandy"],
        ["beatrice", "bea"],
        ["elodie", "elo"],
        ["laetitia", "letizia", "laeti"],
        ["yasmine", "yasmina", "jasmine"],
        ["fatima", "fatma"],
        ["jean pierre", "jp"],
        ["aurelie", "aurel"],
        ["emilie", "emily"],
        ["amandine", "mandy"],
        ["jonathan", "jon"],
        ["florian", "flo"],
        ["florence", "flo"],
        ["caroline", "caro"],
        ["alexis", "alex"],
        ["melanie", "mel"],
        ["melissa", "mel"],
        ["jacqueline", "jacky"],
        ["killian", "kilian", "kylian"],
        ["yacine", "yassine"],
        ["youssef", "youcef"],
    ]

    /// Group bits by folded name, built once.
    private static let groupsByName: [String: NicknameGroups] = {
        precondition(table.count <= NicknameGroups.capacity, "Nickname groups are bits of two words")
        var groups: [String: NicknameGroups] = [:]
        for (bit, names) in table.enumerated() {
            for name in names { groups[FoldedText.folded(name), default: .none].insert(bit) }
        }
        return groups
    }()

    /// The groups a folded first name or token belongs to; ``NicknameGroups/none`` when none.
    static func groups(of folded: [UInt8]) -> NicknameGroups {
        groupsByName[String(decoding: folded, as: UTF8.self)] ?? .none
    }

    /// Whether two first names as written share a group.
    static func areNicknames(_ a: String, _ b: String) -> Bool {
        groups(of: FoldedText.fold(a)).intersects(groups(of: FoldedText.fold(b)))
    }
}

/// A set of ``Nicknames`` groups, one bit each in two words.
struct NicknameGroups: Sendable, Hashable {
    /// Groups 0 to 63.
    var low: UInt64
    /// Groups 64 to 127.
    var high: UInt64

    /// The number of groups a set can hold.
    static let capacity = 128
    /// No group.
    static let none = NicknameGroups(low: 0, high: 0)

    /// Adds group `bit`.
    mutating func insert(_ bit: Int) {
        if bit < 64 { low |= 1 << UInt64(bit) } else { high |= 1 << UInt64(bit - 64) }
    }

    /// Both sets.
    func union(_ other: NicknameGroups) -> NicknameGroups {
        NicknameGroups(low: low | other.low, high: high | other.high)
    }

    /// Whether the sets share a group.
    func intersects(_ other: NicknameGroups) -> Bool {
        low & other.low != 0 || high & other.high != 0
    }
}
