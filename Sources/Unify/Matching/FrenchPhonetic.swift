/// A phonetic code for names as French, Belgian and Swiss speakers say them, for blocking:
/// names that sound alike share a code.
///
/// A deliberate simplification in the spirit of Phonex and Soundex-FR, small enough to read:
/// 1. keep the letters of the folded name (`De la Fontaine` is `delafontaine`);
/// 2. rewrite spellings of one sound: `sch sh ch` → `s` (but `chr` → `kr`), `ph` → `f`,
///    `th` → `t`, `gh` → `g`, `ck qu q` → `k`, `c` → `s` before e/i/y and `k` otherwise,
///    `g` → `j` before e/i/y (`gu` before e/i/y → `g`), `x` → `ks` (silent at the end),
///    `z` → `s`, `w` → `v`, `y` → `i`, silent `h`, `bv` → `v`, `dt` → `t`, `eau au` → `o`,
///    `ai ei ay ey` → `e`, `ou` → `u`, nasal `en em` before a consonant → `an`;
/// 3. collapse doubled letters;
/// 4. drop trailing silent letters (`e s t d x`) while more than two letters remain.
///
/// So `Dupuis`/`Dupuy` are `dupui`, `Lefèvre`/`Lefebvre` are `lefevr`, `Meyer`/`Meier`/`Mayer`
/// are `mer`, `Rousseau`/`Rousseaux` are `ruso`, `Gauthier`/`Gautier` are `gotier`,
/// `Dupont`/`Dupond` are `dupon`. Codes are coarse on purpose: a blocking key pairs the code
/// with a birth year, and the comparison, not the code, decides.
enum FrenchPhonetic {
    /// The code of a folded name (see ``FoldedText``); empty when it holds no letter a–z.
    static func code(_ folded: [UInt8]) -> [UInt8] {
        let letters = folded.filter { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
        var sounds: [UInt8] = []
        sounds.reserveCapacity(letters.count + 2)
        func at(_ index: Int) -> UInt8 { index < letters.count ? letters[index] : 0 }
        func isSoftening(_ letter: UInt8) -> Bool {
            letter == UInt8(ascii: "e") || letter == UInt8(ascii: "i") || letter == UInt8(ascii: "y")
        }
        func isVowel(_ letter: UInt8) -> Bool {
            switch letter {
            case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"),
                UInt8(ascii: "y"): true
            default: false
            }
        }
        func emit(_ text: StaticString) {
            text.withUTF8Buffer { sounds.append(contentsOf: $0) }
        }
        var index = 0
        while index < letters.count {
            let letter = letters[index]
            let next = at(index + 1)
            let afterNext = at(index + 2)
            var consumed = 1
            switch (letter, next) {
            case (UInt8(ascii: "s"), UInt8(ascii: "c")) where afterNext == UInt8(ascii: "h"):
                emit("s")
                consumed = 3
            case (UInt8(ascii: "c"), UInt8(ascii: "h")):
                emit(afterNext == UInt8(ascii: "r") ? "k" : "s")
                consumed = 2
            case (UInt8(ascii: "s"), UInt8(ascii: "h")):
                emit("s")
                consumed = 2
            case (UInt8(ascii: "p"), UInt8(ascii: "h")):
                emit("f")
                consumed = 2
            case (UInt8(ascii: "t"), UInt8(ascii: "h")), (UInt8(ascii: "g"), UInt8(ascii: "h")):
                sounds.append(letter)
                consumed = 2
            case (UInt8(ascii: "c"), UInt8(ascii: "k")):
                emit("k")
                consumed = 2
            case (UInt8(ascii: "q"), _):
                emit("k")
                consumed = next == UInt8(ascii: "u") ? 2 : 1
            case (UInt8(ascii: "c"), _):
                emit(isSoftening(next) ? "s" : "k")
            case (UInt8(ascii: "g"), UInt8(ascii: "u")) where isSoftening(afterNext):
                emit("g")
                consumed = 2
            case (UInt8(ascii: "g"), _):
                emit(isSoftening(next) ? "j" : "g")
            case (UInt8(ascii: "x"), _):
                if index + 1 < letters.count { emit("ks") }
            case (UInt8(ascii: "z"), _):
                emit("s")
            case (UInt8(ascii: "w"), _):
                emit("v")
            case (UInt8(ascii: "y"), _):
                emit("i")
            case (UInt8(ascii: "h"), _):
                break
            case (UInt8(ascii: "b"), UInt8(ascii: "v")), (UInt8(ascii: "d"), UInt8(ascii: "t")):
                break
            case (UInt8(ascii: "e"), UInt8(ascii: "a")) where afterNext == UInt8(ascii: "u"):
                emit("o")
                consumed = 3
            case (UInt8(ascii: "a"), UInt8(ascii: "u")):
                emit("o")
                consumed = 2
            case (UInt8(ascii: "a"), UInt8(ascii: "i")), (UInt8(ascii: "a"), UInt8(ascii: "y")),
                (UInt8(ascii: "e"), UInt8(ascii: "i")), (UInt8(ascii: "e"), UInt8(ascii: "y")):
                emit("e")
                consumed = 2
            case (UInt8(ascii: "o"), UInt8(ascii: "u")):
                emit("u")
                consumed = 2
            case (UInt8(ascii: "e"), UInt8(ascii: "n")), (UInt8(ascii: "e"), UInt8(ascii: "m")):
                if afterNext != 0, !isVowel(afterNext), afterNext != next {
                    emit("an")
                    consumed = 2
                } else {
                    sounds.append(letter)
                }
            default:
                sounds.append(letter)
            }
            index += consumed
        }
        var code: [UInt8] = []
        code.reserveCapacity(sounds.count)
        for sound in sounds where sound != code.last { code.append(sound) }
        while code.count > 2, let last = code.last, isSilentEnding(last) { code.removeLast() }
        return code
    }

    /// The code of a name as written.
    static func code(_ written: String) -> String {
        String(decoding: code(FoldedText.fold(written)), as: UTF8.self)
    }

    /// Letters French leaves unspoken at the end of a name.
    private static func isSilentEnding(_ letter: UInt8) -> Bool {
        switch letter {
        case UInt8(ascii: "e"), UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "d"), UInt8(ascii: "x"): true
        default: false
        }
    }
}
