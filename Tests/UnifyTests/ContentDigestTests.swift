import Testing
@testable import Unify

@Suite("Content digests")
struct ContentDigestTests {
    /// Reference values from the `mmh3` Python package (MurmurHash3_x64_128, seed 0).
    @Test(arguments: [
        ("", "00000000000000000000000000000000"),
        ("hello", "cbd8a7b341bd9b025b1e906a48ae1d19"),
        ("hello world, this is longer than 16", "e91efcdeb80e61322442ed1f4fbdbdb2"),
        ("abcdefghijklmnopq", "7564747f88bda657ecda499da1110de4"),
    ])
    func matchesTheReferenceImplementation(text: String, hex: String) {
        #expect(ContentDigest(text).hex == hex)
    }
}
