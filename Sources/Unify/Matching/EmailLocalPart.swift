/// The part of an email address before the `@`, normalised so that the same person's
/// addresses at different providers compare: `Jean.Dupont+promo@gmail.com` and
/// `jean_dupont@orange.fr` are both `jeandupont`.
///
/// Identical emails are already one customer upstream; what is left for the matcher is the
/// same local part at another domain, or a near miss. A sub-address (`+promo`) is dropped,
/// the text folded (``FoldedText``) and its separators (`. _ -`) removed. Role and
/// placeholder local parts (`contact`, `info`, `noreply`, `test`…), masked ones (`j***`)
/// and those shorter than three characters say nothing about a person and give no value.
struct EmailLocalPart: Sendable, Hashable, CustomStringConvertible {
    /// The normalised local part.
    let text: CompactBytes

    /// Reads the local part of an email address; `nil` when there is none worth comparing.
    init?(email: String) {
        // Bytes, not characters: `@`, `+` and `*` are ASCII, and records are read back often.
        let bytes = Array(email.utf8)
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")), !bytes[..<at].contains(UInt8(ascii: "*")) else { return nil }
        let local = bytes[..<(bytes[..<at].firstIndex(of: UInt8(ascii: "+")) ?? at)]
        let text = FoldedText.fold(String(decoding: local, as: UTF8.self)).filter { $0 != UInt8(ascii: " ") }
        guard text.count >= 3, !EmailLocalPart.roles.contains(String(decoding: text, as: UTF8.self)) else { return nil }
        self.text = CompactBytes(text)
    }

    /// The normalised local part.
    var description: String { text.description }

    private static let roles: Set<String> = [
        "contact", "info", "infos", "admin", "noreply", "donotreply", "nepasrepondre", "test", "tests", "email", "mail",
        "nomail", "none", "null", "client", "clients", "service", "support", "sales", "hello", "bonjour", "office",
        "accueil", "secretariat", "commande", "commandes", "facturation", "compta", "webmaster", "postmaster", "abc",
        "xxx", "aaa", "toto", "user", "undefined", "unknown", "inconnu",
    ]
}
