extension JSONValue {
    /// Parses JSON text the engine wrote itself (a column of a derived table); `nil` when it
    /// is not valid JSON.
    init?(parsing text: String) {
        var text = text
        var tape = JSONTape(maximumDepth: 64)
        let value: JSONValue? = text.withUTF8 { bytes in
            do {
                try tape.parse(bytes)
            } catch {
                return nil
            }
            return JSONDocument(bytes: bytes, tokens: tape.tokens).value(0)
        }
        guard let value else { return nil }
        self = value
    }
}
