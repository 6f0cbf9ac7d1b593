/// One first or last name, normalised once for comparison: folded, split into tokens, with
/// its initials, nickname groups and phonetic code.
///
/// `Jean-Pierre`, `jean pierre` and `JEAN PIERRE` are one name (`jean pierre`); `J.-P.` is
/// initials only. Values that name nobody (`test`, `xxx`, `inconnu`, `n/a`…) give no name.
/// Everything a comparison reads is stored, so comparing two names allocates nothing.
struct MatchName: Sendable, Hashable, CustomStringConvertible {
    /// The folded name, tokens separated by one space: `jean pierre`.
    let text: CompactBytes
    /// The folded name without spaces, which exact and Jaro–Winkler comparisons read, so
    /// that `Jeanpierre` and `Jean Pierre` agree: `jeanpierre`.
    let squashed: CompactBytes
    /// A ``TokenHash`` of each token, in order.
    let tokenHashes: CompactWords
    /// The first letter of each token.
    let initials: CompactBytes
    /// Whether every token is a single character (`J.`, `J.-P.`).
    let isInitialsOnly: Bool
    /// The ``Nicknames`` groups of the whole name and of each token.
    let nicknameGroups: NicknameGroups
    /// The ``FrenchPhonetic`` code of the squashed name.
    let phonetic: CompactBytes

    /// Normalises a name as written; `nil` when nothing usable is left.
    init?(_ written: String) {
        let folded = FoldedText.fold(written)
        guard !folded.isEmpty else { return nil }
        let foldedText = String(decoding: folded, as: UTF8.self)
        guard !MatchName.placeholders.contains(foldedText), !Identifier.placeholders.contains(foldedText) else {
            return nil
        }
        let tokens = FoldedText.tokens(of: folded)
        let squashed = folded.filter { $0 != UInt8(ascii: " ") }
        text = CompactBytes(folded)
        self.squashed = CompactBytes(squashed)
        tokenHashes = CompactWords(tokens.map { TokenHash.of($0) })
        initials = CompactBytes(tokens.map { $0[0] })
        isInitialsOnly = tokens.allSatisfy { $0.count == 1 }
        nicknameGroups = tokens.reduce(Nicknames.groups(of: folded)) { $0.union(Nicknames.groups(of: $1)) }
        phonetic = CompactBytes(FrenchPhonetic.code(squashed))
    }

    /// The folded name.
    var description: String { text.description }

    /// Folded values that forms and tills write where the name is unknown.
    static let placeholders: Set<String> = [
        "x", "xx", "xxx", "xxxx", "test", "tests", "inconnu", "inconnue", "anonyme", "anonymous", "client", "cliente",
        "customer", "nc", "n c", "nr", "n a", "na", "sans nom", "no name", "noname", "aaa", "abc", "asdf", "qwerty", "azerty",
    ]
}
